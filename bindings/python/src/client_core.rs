//! What `Client` and `AsyncClient` share: the options, and the SDK client of the current
//! process (rebuilt once in a forked child).

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use vivamo::ClientBuilder;

use crate::errors::{config_error, to_py_err};
use crate::options::{CallOptions, ClientOptions};

/// What both clients share: the options, and the SDK client of the current process.
pub(crate) struct Core {
    builder: ClientBuilder,
    /// The options of a client made by `with_options` (empty otherwise).
    options: vivamo::RequestOptions,
    pub(crate) environment: &'static str,
    pub(crate) base_url: String,
    pub(crate) validation: &'static str,
    /// The SDK client and the pid it was built in; `None` once closed.
    sdk: Mutex<Option<(u32, vivamo::Client)>>,
}

impl Core {
    pub(crate) fn new(py: Python<'_>, options: ClientOptions<'_>) -> PyResult<Arc<Core>> {
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
    pub(crate) fn with_options(&self, py: Python<'_>, options: CallOptions) -> PyResult<Arc<Core>> {
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

    pub(crate) fn close(&self) {
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
