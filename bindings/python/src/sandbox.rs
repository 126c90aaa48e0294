//! `vivamo.testing.Sandbox`: the Rust sandbox (`vivamo_sandbox`) served in-process on a
//! loopback port, on the shared tokio runtime. Reset, seed and KYC control call the sandbox's
//! in-process API (`vivamo_sandbox::AppState`); nothing is re-implemented here.

use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vivamo_sandbox::{AppState, ControlError, KycUpdate, Mode, SandboxHandle};

use crate::client::{AsyncClient, Client};
use crate::convert::py_to_json;
use crate::errors::{config_error, guard};
use crate::json::json_to_py;
use crate::models::Customer;
use crate::runtime;

/// A local Vivamo served in this process for tests (see `vivamo/testing/__init__.py`).
#[pyclass(frozen, module = "vivamo.testing")]
pub struct Sandbox {
    handle: Mutex<Option<SandboxHandle>>,
    state: AppState,
    url: String,
    api_keys: Vec<String>,
    mode: Mode,
}

fn control_err(e: ControlError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

impl Sandbox {
    /// The client options of this sandbox under `options` (which win).
    fn client_kwargs<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("api_key", &self.api_keys[0])?;
        kwargs.set_item("base_url", &self.url)?;
        let environment = match self.mode {
            Mode::Production => "production",
            Mode::Test => "sandbox",
        };
        kwargs.set_item("environment", environment)?;
        if let Some(options) = options {
            kwargs.update(options.as_mapping())?;
        }
        Ok(kwargs)
    }

    fn key<'a>(&'a self, api_key: Option<&'a str>) -> &'a str {
        api_key.unwrap_or(&self.api_keys[0])
    }
}

#[pymethods]
impl Sandbox {
    #[new]
    #[pyo3(signature = (mode = "test", api_keys = None, fail_rate = 0.0, lost_response_rate = 0.0, latency_ms = 0, rate_limit = None, seed = None, *, webhook_retry_unit_ms = None, webhook_duplicate_rate = 0.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        mode: &str,
        api_keys: Option<Vec<String>>,
        fail_rate: f64,
        lost_response_rate: f64,
        latency_ms: u64,
        rate_limit: Option<u32>,
        seed: Option<u64>,
        webhook_retry_unit_ms: Option<u64>,
        webhook_duplicate_rate: f64,
    ) -> PyResult<Self> {
        guard(py, || {
            let mode: Mode = mode.parse().map_err(|e: vivamo_sandbox::Error| {
                config_error(py, format!("mode={mode:?}: {e}"))
            })?;
            let mut builder = vivamo_sandbox::Sandbox::builder()
                .mode(mode)
                .fail_rate(fail_rate)
                .lost_response_rate(lost_response_rate)
                .webhook_duplicate_rate(webhook_duplicate_rate)
                .latency(Duration::from_millis(latency_ms))
                .rate_limit(rate_limit.unwrap_or(0));
            for key in api_keys.unwrap_or_default() {
                builder = builder.api_key(key);
            }
            if let Some(seed) = seed {
                builder = builder.seed(seed);
            }
            if let Some(ms) = webhook_retry_unit_ms {
                if ms == 0 {
                    return Err(config_error(py, "webhook_retry_unit_ms must be at least 1"));
                }
                builder = builder.webhook_retry_unit(Duration::from_millis(ms));
            }
            // Spawned onto the shared multi-thread runtime itself, so the server keeps
            // running between calls whatever runtime a call is driven on.
            let runtime = runtime::handle();
            let (spawned, _pass) =
                runtime::block_on(py, async move { runtime.spawn(builder.spawn()).await })?;
            let handle = spawned
                .map_err(|e| config_error(py, format!("the sandbox did not start: {e}")))?
                .map_err(|e| config_error(py, e.to_string()))?;
            Ok(Sandbox {
                url: handle.base_url(),
                api_keys: handle.api_keys().to_vec(),
                state: handle.state().clone(),
                mode,
                handle: Mutex::new(Some(handle)),
            })
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The first API key (the operator `client()` uses).
    #[getter]
    fn api_key(&self) -> &str {
        &self.api_keys[0]
    }

    /// Every accepted API key, one operator each.
    #[getter]
    fn api_keys(&self) -> Vec<String> {
        self.api_keys.clone()
    }

    /// `"test"` or `"production"`.
    #[getter]
    fn mode(&self) -> &'static str {
        self.mode.as_str()
    }

    /// A `vivamo.Client` for this sandbox; `options` are `Client`'s keyword arguments.
    #[pyo3(signature = (**options))]
    fn client<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = self.client_kwargs(py, options)?;
        py.get_type::<Client>().call((), Some(&kwargs))
    }

    /// A `vivamo.AsyncClient` for this sandbox; `options` are its keyword arguments.
    #[pyo3(signature = (**options))]
    fn async_client<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = self.client_kwargs(py, options)?;
        py.get_type::<AsyncClient>().call((), Some(&kwargs))
    }

    /// Removes every customer of every operator; returns how many were removed.
    fn reset(&self) -> usize {
        self.state.reset()
    }

    /// Creates `count` valid customers (ids `{prefix}{n}`) for the operator of `api_key`
    /// (default: the first key); returns `{"created", "total", "firstExternalCustomerId",
    /// "lastExternalCustomerId"}`.
    #[pyo3(signature = (count, *, prefix = "seed_", api_key = None))]
    fn seed<'py>(
        &self,
        py: Python<'py>,
        count: u64,
        prefix: &str,
        api_key: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let key = self.key(api_key);
        let seeded = py
            .detach(|| self.state.seed(key, count, prefix))
            .map_err(control_err)?;
        crate::models::dict_of(py, &seeded)
    }

    /// Sets the status of the customer's latest KYC verification of `type` (or adds one);
    /// returns the customer.
    #[pyo3(signature = (external_customer_id, status, *, r#type = "proof_of_id", attempted = true, expire_secret = false, api_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn set_kyc(
        &self,
        external_customer_id: &str,
        status: &str,
        r#type: &str,
        attempted: bool,
        expire_secret: bool,
        api_key: Option<&str>,
    ) -> PyResult<Customer> {
        let mut update = KycUpdate::new(status);
        update.kind = r#type.to_string();
        update.attempted = attempted;
        update.expire_secret = expire_secret;
        let value = self
            .state
            .set_kyc(self.key(api_key), external_customer_id, &update)
            .map_err(control_err)?;
        serde_json::from_value::<vivamo::Customer>(value)
            .map(Customer::from)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Sends an event of `event_type` (`transaction`, `kyc_verification`, …) to the active
    /// webhooks of the operator of `api_key` (default: the first key) subscribed to it, `data`
    /// over the sandbox's example body; returns `{"eventId", "eventType", "body",
    /// "deliveries"}` (the delivery ids). Each delivery is sent and retried in the background.
    #[pyo3(signature = (event_type, data = None, *, api_key = None))]
    fn trigger_webhook<'py>(
        &self,
        py: Python<'py>,
        event_type: &str,
        data: Option<&Bound<'py, PyAny>>,
        api_key: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let data = match data {
            None => serde_json::Map::new(),
            Some(d) if d.is_none() => serde_json::Map::new(),
            Some(d) => match py_to_json(d, "data")? {
                serde_json::Value::Object(map) => map,
                _ => return Err(PyValueError::new_err("data must be a dict of body fields")),
            },
        };
        let key = self.key(api_key);
        let answer = py
            .detach(|| self.state.trigger_webhook(key, event_type, &data))
            .map_err(control_err)?;
        json_to_py(py, &answer)
    }

    /// Every webhook delivery so far, oldest first: the event, the webhook, the body and
    /// `signature`, each attempt (time, status, latency, error), its state and next attempt.
    fn webhook_deliveries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.state.webhook_deliveries())
    }

    /// Sends delivery `delivery_id`'s event again, same body and signature, as a new
    /// delivery; returns it.
    fn resend_webhook<'py>(
        &self,
        py: Python<'py>,
        delivery_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let answer = self
            .state
            .resend_webhook(delivery_id)
            .map_err(control_err)?;
        json_to_py(py, &answer)
    }

    /// Stops the server (in-flight requests finish first); idempotent.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let handle = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(handle) = handle else {
            return Ok(());
        };
        if crate::exit::closed() {
            // The runtime is stopping: dropping the handle stops the server.
            drop(handle);
            return Ok(());
        }
        let runtime = runtime::handle();
        let _ = runtime::block_on(py, async move { runtime.spawn(handle.shutdown()).await })?;
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!(
            "Sandbox(url='{}', mode='{}', operators={})",
            self.url,
            self.mode.as_str(),
            self.api_keys.len()
        )
    }
}
