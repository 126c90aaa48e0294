//! `Client` and `AsyncClient`: their constructor, options, `with_options`, settings, `request`
//! and `close` (the operations are in `crate::customers` and `crate::webhooks`, how a call
//! runs in `crate::call`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;

use crate::call::{awaitable, call_options, run, run_async, ExtraBody, Fail, Headers};
use crate::client_core::Core;
use crate::customers::{AsyncCustomers, Customers};
use crate::errors::guard;
use crate::options::{CallOptions, ClientOptions};
use crate::raw_request::{self, Json};
use crate::raw_response::value_of;
use crate::webhooks::{AsyncWebhooks, Webhooks};

/// What `Client` and `AsyncClient` have alike (constructor, `with_options`, settings,
/// `close`): one text for both classes (pyo3 classes cannot be generic).
macro_rules! client_class {
    ($(#[$doc:meta])* $class:ident, $customers:ident, $customers_doc:literal, $webhooks:ident, $webhooks_doc:literal) => {
        $(#[$doc])*
        #[pyclass(frozen, module = "vivamo")]
        pub struct $class {
            core: Arc<Core>,
            customers: Py<$customers>,
            webhooks: Py<$webhooks>,
        }

        impl $class {
            fn around(py: Python<'_>, core: Arc<Core>) -> PyResult<Self> {
                let customers = Py::new(py, $customers { core: core.clone() })?;
                let webhooks = Py::new(py, $webhooks { core: core.clone() })?;
                Ok($class { core, customers, webhooks })
            }
        }

        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (api_key = None, environment = None, base_url = None, timeout = None, deadline = None, max_retries = None, validation = None, *, log_level = None, proxy = None, ca_bundle = None, max_idle_connections = None, app_info = None, http2 = None, backoff = None, on_retry = None, on_request = None, on_response = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                api_key: Option<String>,
                environment: Option<&str>,
                base_url: Option<String>,
                timeout: Option<f64>,
                deadline: Option<f64>,
                max_retries: Option<i64>,
                validation: Option<&str>,
                log_level: Option<&str>,
                proxy: Option<String>,
                ca_bundle: Option<PathBuf>,
                max_idle_connections: Option<usize>,
                app_info: Option<HashMap<String, String>>,
                http2: Option<bool>,
                backoff: Option<(f64, f64)>,
                on_retry: Option<Py<PyAny>>,
                on_request: Option<Py<PyAny>>,
                on_response: Option<Py<PyAny>>,
            ) -> PyResult<Self> {
                guard(py, || {
                    let core = Core::new(
                        py,
                        ClientOptions {
                            api_key,
                            environment,
                            base_url,
                            timeout,
                            deadline,
                            max_retries,
                            validation,
                            log_level,
                            proxy,
                            ca_bundle,
                            max_idle_connections,
                            app_info,
                            http2,
                            backoff,
                            on_retry,
                            on_request,
                            on_response,
                        },
                    )?;
                    Self::around(py, core)
                })
            }

            /// A client whose calls use these options over this one's (what is not given is
            /// kept), sharing its connection pool.
            #[pyo3(signature = (*, timeout = None, deadline = None, max_retries = None, extra_headers = None, extra_body = None))]
            fn with_options(
                &self,
                py: Python<'_>,
                timeout: Option<f64>,
                deadline: Option<f64>,
                max_retries: Option<i64>,
                extra_headers: Option<HashMap<String, String>>,
                extra_body: ExtraBody,
            ) -> PyResult<Self> {
                guard(py, || {
                    let options = CallOptions {
                        timeout,
                        deadline,
                        max_retries,
                        extra_headers,
                        extra_body,
                    };
                    Self::around(py, self.core.with_options(py, options)?)
                })
            }

            #[doc = $customers_doc]
            #[getter]
            fn customers(&self, py: Python<'_>) -> Py<$customers> {
                self.customers.clone_ref(py)
            }

            #[doc = $webhooks_doc]
            #[getter]
            fn webhooks(&self, py: Python<'_>) -> Py<$webhooks> {
                self.webhooks.clone_ref(py)
            }

            /// `"production"` or `"sandbox"`.
            #[getter]
            fn environment(&self) -> &'static str {
                self.core.environment
            }

            /// The API base URL in use.
            #[getter]
            fn base_url(&self) -> &str {
                &self.core.base_url
            }

            /// `"strict"`, `"warn"` or `"off"`.
            #[getter]
            fn validation(&self) -> &'static str {
                self.core.validation
            }

            /// Closes the connections; later calls raise `ConfigError`.
            fn close(&self, py: Python<'_>) {
                py.detach(|| self.core.close());
            }

            fn __repr__(&self) -> String {
                self.core.repr(stringify!($class))
            }
        }
    };
}

client_class!(
    /// The synchronous client. Every call releases the GIL while it waits.
    Client,
    Customers,
    "The customer operations.",
    Webhooks,
    "The webhook endpoints: where Vivamo POSTs events."
);

client_class!(
    /// The asyncio client: every call returns an awaitable; `async with` closes it.
    AsyncClient,
    AsyncCustomers,
    "The customer operations (awaitables).",
    AsyncWebhooks,
    "The webhook endpoints (awaitables)."
);

#[pymethods]
impl Client {
    /// Any endpoint of the API (`"/v1/…"`), with this client's key, retries, deadline, logs
    /// and typed errors; returns the answer's JSON. `query` is a mapping or `(name, value)`
    /// pairs; `body` is sent as given (no validation). A `POST` or `PATCH` is retried only
    /// when the server cannot have applied it, unless `idempotent=True`.
    #[pyo3(signature = (method, path, *, query = None, body = None, idempotent = None, timeout = None, deadline = None, max_retries = None, extra_headers = None, extra_body = None))]
    #[allow(clippy::too_many_arguments)]
    fn request(
        &self,
        py: Python<'_>,
        method: &str,
        path: String,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        idempotent: Option<bool>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
        extra_body: ExtraBody,
    ) -> PyResult<Json> {
        let call = guard(py, || {
            raw_request::request(py, method, path, query, body, idempotent)
        })?;
        let options = call_options(timeout, deadline, max_retries, extra_headers, extra_body);
        run(&self.core, py, options, value_of(call))
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }
}

#[pymethods]
impl AsyncClient {
    /// `Client.request` as an awaitable.
    #[pyo3(signature = (method, path, *, query = None, body = None, idempotent = None, timeout = None, deadline = None, max_retries = None, extra_headers = None, extra_body = None))]
    #[allow(clippy::too_many_arguments)]
    fn request<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: String,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        idempotent: Option<bool>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
        extra_body: ExtraBody,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = guard(py, || {
            raw_request::request(py, method, path, query, body, idempotent)
        })?;
        let options = call_options(timeout, deadline, max_retries, extra_headers, extra_body);
        run_async(&self.core, py, options, value_of(call))
    }

    /// Closes the connections (awaitable form of `close`).
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.close(py);
        awaitable(py, async { Ok::<_, Fail>(()) })
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, async move { Ok::<_, Fail>(slf) })
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _args: &Bound<'_, pyo3::types::PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.close(py);
        awaitable(py, async { Ok::<_, Fail>(false) })
    }
}
