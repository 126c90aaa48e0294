//! `Client` and `AsyncClient`: their options, `with_options`, and how a call runs (see
//! `crate::customers` for the operations).
//!
//! Every call takes the SDK client (rebuilt once in a forked child), runs the SDK future on
//! the shared runtime — with the GIL released for `Client`, as an asyncio awaitable for
//! `AsyncClient` — and converts the result or error.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use vivamo::ClientBuilder;

use crate::customers::{AsyncCustomers, Customers};
use crate::errors::{config_error, guard, panic_error, to_py_err};
use crate::exit;
use crate::options::{CallOptions, ClientOptions};
use crate::runtime::{block_on, VivamoRuntime};
use crate::signals;

/// What both clients share: the options, and the SDK client of the current process.
pub(crate) struct Core {
    builder: ClientBuilder,
    /// The options of a client made by `with_options` (empty otherwise).
    options: vivamo::RequestOptions,
    environment: &'static str,
    base_url: String,
    validation: &'static str,
    /// The SDK client and the pid it was built in; `None` once closed.
    sdk: Mutex<Option<(u32, vivamo::Client)>>,
}

impl Core {
    fn new(py: Python<'_>, options: ClientOptions<'_>) -> PyResult<Arc<Core>> {
        let builder = options.builder(py)?;
        let sdk = builder.clone().build().map_err(|e| to_py_err(py, &e))?;
        Ok(Core::around(builder, sdk))
    }

    fn around(builder: ClientBuilder, sdk: vivamo::Client) -> Arc<Core> {
        Arc::new(Core {
            builder,
            options: sdk.options().clone(),
            environment: sdk.environment().as_str(),
            base_url: sdk.base_url().to_string(),
            validation: sdk.validation().as_str(),
            sdk: Mutex::new(Some((std::process::id(), sdk))),
        })
    }

    /// A core whose calls use `options` over this one's, sharing its connection pool.
    fn with_options(&self, py: Python<'_>, options: CallOptions) -> PyResult<Arc<Core>> {
        let options = vivamo::RequestOptions::try_from(options)?;
        let sdk = self.sdk(py)?;
        let derived = sdk.with_options(options).map_err(|e| to_py_err(py, &e))?;
        Ok(Core::around(self.builder.clone(), derived))
    }

    /// The SDK client for this process: a forked child builds its own (the parent's holds
    /// connections of the parent's runtime), once.
    pub(crate) fn sdk(&self, py: Python<'_>) -> PyResult<vivamo::Client> {
        let pid = std::process::id();
        let mut slot = self.sdk.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_mut() {
            None => Err(config_error(
                py,
                "this client is closed: create a new vivamo client",
            )),
            Some((owner, client)) if *owner == pid => Ok(client.clone()),
            Some(entry) => {
                let fresh = self
                    .builder
                    .clone()
                    .build()
                    .and_then(|c| c.with_options(self.options.clone()))
                    .map_err(|e| to_py_err(py, &e))?;
                let (_, inherited) = std::mem::replace(entry, (pid, fresh.clone()));
                std::mem::forget(inherited);
                Ok(fresh)
            }
        }
    }

    fn close(&self) {
        let taken = self.sdk.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((owner, client)) = taken {
            if owner == std::process::id() {
                drop(client);
            } else {
                std::mem::forget(client);
            }
        }
    }

    pub(crate) fn repr(&self, class: &str) -> String {
        let closed = self.sdk.lock().map(|s| s.is_none()).unwrap_or(false);
        format!(
            "vivamo.{class}(environment='{}', base_url='{}', validation='{}'{})",
            self.environment,
            self.base_url,
            self.validation,
            if closed { ", closed=True" } else { "" }
        )
    }
}

/// Runs an SDK future to completion on the shared runtime with the GIL released; on the main
/// thread a signal handler's exception (Ctrl-C's `KeyboardInterrupt`) ends it early (see
/// `crate::signals`).
pub(crate) fn block<T: Send>(
    py: Python<'_>,
    fut: impl Future<Output = vivamo::Result<T>> + Send,
) -> PyResult<T> {
    let watch = signals::on_main_thread(py);
    let fut = signals::interruptible(watch, AssertUnwindSafe(fut).catch_unwind());
    // The pass is held until the result is converted (see `crate::exit`).
    let (outcome, _pass) = block_on(py, fut)?;
    match outcome {
        Err(raised) => Err(raised),
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(e))) => Err(to_py_err(py, &e)),
        Ok(Err(payload)) => Err(panic_error(py, payload)),
    }
}

/// Why an async call ended without a value.
pub(crate) enum Fail {
    Sdk(vivamo::Error),
    StopAsync,
}

impl From<vivamo::Error> for Fail {
    fn from(e: vivamo::Error) -> Self {
        Fail::Sdk(e)
    }
}

/// Wraps an SDK future as an asyncio awaitable running on the shared runtime.
pub(crate) fn awaitable<'py, T>(
    py: Python<'py>,
    fut: impl Future<Output = Result<T, Fail>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    exit::ensure_open(py)?;
    pyo3_async_runtimes::generic::future_into_py::<VivamoRuntime, _, T>(py, async move {
        match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(Fail::Sdk(e))) => Err(exit::attach_err(|py| to_py_err(py, &e))),
            Ok(Err(Fail::StopAsync)) => Err(PyStopAsyncIteration::new_err(())),
            Err(payload) => Err(exit::attach_err(|py| panic_error(py, payload))),
        }
    })
}

/// What `Client` and `AsyncClient` have alike (constructor, `with_options`, settings,
/// `close`): one text for both classes (pyo3 classes cannot be generic).
macro_rules! client_class {
    ($(#[$doc:meta])* $class:ident, $customers:ident, $customers_doc:literal) => {
        $(#[$doc])*
        #[pyclass(frozen, module = "vivamo")]
        pub struct $class {
            core: Arc<Core>,
            customers: Py<$customers>,
        }

        impl $class {
            fn around(py: Python<'_>, core: Arc<Core>) -> PyResult<Self> {
                let customers = Py::new(py, $customers { core: core.clone() })?;
                Ok($class { core, customers })
            }
        }

        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (api_key = None, environment = None, base_url = None, timeout = None, deadline = None, max_retries = None, validation = None, *, log_level = None, proxy = None, ca_bundle = None, max_idle_connections = None))]
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
                        },
                    )?;
                    Self::around(py, core)
                })
            }

            /// A client whose calls use these options over this one's (what is not given is
            /// kept), sharing its connection pool.
            #[pyo3(signature = (*, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
            fn with_options(
                &self,
                py: Python<'_>,
                timeout: Option<f64>,
                deadline: Option<f64>,
                max_retries: Option<i64>,
                extra_headers: Option<HashMap<String, String>>,
            ) -> PyResult<Self> {
                guard(py, || {
                    let options = CallOptions {
                        timeout,
                        deadline,
                        max_retries,
                        extra_headers,
                    };
                    Self::around(py, self.core.with_options(py, options)?)
                })
            }

            #[doc = $customers_doc]
            #[getter]
            fn customers(&self, py: Python<'_>) -> Py<$customers> {
                self.customers.clone_ref(py)
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
    "The customer operations."
);

client_class!(
    /// The asyncio client: every call returns an awaitable; `async with` closes it.
    AsyncClient,
    AsyncCustomers,
    "The customer operations (awaitables)."
);

#[pymethods]
impl Client {
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
