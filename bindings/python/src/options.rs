//! The options of a client (`Client(...)`, `AsyncClient(...)`) and of a call (the keyword-only
//! `timeout=`, `deadline=`, `max_retries=`, `extra_headers=`, `extra_body=` of every method and
//! of `with_options`), each converted once into the SDK's types; what is not given is left to
//! the SDK's defaults.

use std::collections::HashMap;
use std::time::Duration;

use pyo3::prelude::*;
use vivamo::{AppInfo, ClientBuilder, LogLevel, LogRecord, Validation};

use crate::convert::{environment, py_to_json};
use crate::errors::{config_error, to_py_err};
use crate::exit;
use crate::hooks;

/// A number of seconds as a `Duration`: finite and above zero.
fn seconds(name: &str, value: Option<f64>) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(Python::attach(|py| {
            config_error(
                py,
                format!("{name}={s} must be a positive number of seconds"),
            )
        })),
    }
}

/// A retry budget: a whole number from 0 up.
fn retries(value: Option<i64>) -> PyResult<Option<u32>> {
    value
        .map(|n| {
            u32::try_from(n).map_err(|_| {
                Python::attach(|py| {
                    config_error(
                        py,
                        format!("max_retries={n} must be a whole number from 0 up"),
                    )
                })
            })
        })
        .transpose()
}

/// The per-call options (`timeout`, `deadline` in seconds, `max_retries`, `extra_headers`,
/// `extra_body`).
#[derive(Default)]
pub struct CallOptions {
    pub timeout: Option<f64>,
    pub deadline: Option<f64>,
    pub max_retries: Option<i64>,
    pub extra_headers: Option<HashMap<String, String>>,
    /// `extra_body=`: a dict (or any mapping) of JSON fields sent as given.
    pub extra_body: Option<Py<PyAny>>,
}

/// `extra_body=` as JSON: a mapping (else a `TypeError` naming it), its values JSON-able (else
/// a `ValidationError` naming the path, `extra_body.data.x`).
fn extra_body(py: Python<'_>, given: &Py<PyAny>) -> PyResult<Option<serde_json::Value>> {
    let given = given.bind(py);
    if given.is_none() {
        return Ok(None);
    }
    if given.cast::<pyo3::types::PyDict>().is_err() && !given.hasattr("items")? {
        let type_name = given
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "extra_body must be a dict of JSON fields to add to the request body ({{\"data\": {{\"nickname\": \"Jo\"}}}}), not {type_name}"
        )));
    }
    py_to_json(given, "extra_body").map(Some)
}

impl TryFrom<CallOptions> for vivamo::RequestOptions {
    type Error = PyErr;

    fn try_from(o: CallOptions) -> PyResult<Self> {
        let mut options = vivamo::RequestOptions::new();
        if let Some(timeout) = seconds("timeout", o.timeout)? {
            options = options.timeout(timeout);
        }
        if let Some(deadline) = seconds("deadline", o.deadline)? {
            options = options.deadline(deadline);
        }
        if let Some(n) = retries(o.max_retries)? {
            options = options.max_retries(n);
        }
        for (name, value) in o.extra_headers.unwrap_or_default() {
            options = options.header(name, value);
        }
        if let Some(given) = &o.extra_body {
            options = Python::attach(|py| -> PyResult<_> {
                match extra_body(py, given)? {
                    Some(fields) => options
                        .extra_body_value("extra_body", fields)
                        .map_err(|e| to_py_err(py, &e)),
                    None => Ok(options),
                }
            })?;
        }
        Ok(options)
    }
}

/// The options of `Client(...)` / `AsyncClient(...)`.
pub struct ClientOptions<'a> {
    pub api_key: Option<String>,
    pub environment: Option<&'a str>,
    pub base_url: Option<String>,
    pub timeout: Option<f64>,
    pub deadline: Option<f64>,
    pub max_retries: Option<i64>,
    pub validation: Option<&'a str>,
    pub log_level: Option<&'a str>,
    pub proxy: Option<String>,
    pub ca_bundle: Option<std::path::PathBuf>,
    pub max_idle_connections: Option<usize>,
    /// `app_info={"name": …, "version": …, "url": …}`: the application named in the
    /// `User-Agent`.
    pub app_info: Option<HashMap<String, String>>,
    pub http2: Option<bool>,
    /// `backoff=(initial, max)`: the retry waits, in seconds.
    pub backoff: Option<(f64, f64)>,
    /// `on_retry=`: called with a `RetryEvent` for every attempt about to be retried.
    pub on_retry: Option<Py<PyAny>>,
    /// `on_request=`: called with a `RequestEvent` as each attempt is sent.
    pub on_request: Option<Py<PyAny>>,
    /// `on_response=`: called with a `ResponseEvent` as each attempt ends.
    pub on_response: Option<Py<PyAny>>,
}

/// `app_info=` as the SDK's [`AppInfo`]: `name` required, `version` and `url` optional, any
/// other key refused by name.
fn app_info(py: Python<'_>, given: HashMap<String, String>) -> PyResult<AppInfo> {
    if let Some(unknown) = given
        .keys()
        .find(|k| !["name", "version", "url"].contains(&k.as_str()))
    {
        return Err(config_error(
            py,
            format!("app_info has an unknown key {unknown:?}: use name, version and url"),
        ));
    }
    let Some(name) = given.get("name") else {
        return Err(config_error(
            py,
            "app_info needs a name: app_info={\"name\": \"acme-onboarding\", \"version\": \"1.4.2\"}",
        ));
    };
    let mut info = AppInfo::new(name);
    if let Some(version) = given.get("version") {
        info = info.version(version);
    }
    if let Some(url) = given.get("url") {
        info = info.url(url);
    }
    Ok(info)
}

impl ClientOptions<'_> {
    /// The SDK's builder with these options, the environment's (`VIVAMO_*`) for what is not
    /// given, and the log sink forwarding to `logging`.
    pub fn builder(self, py: Python<'_>) -> PyResult<ClientBuilder> {
        let mut builder = vivamo::Client::builder()
            .user_agent(format!(
                "vivamo-python/{} (Python SDK over vivamo-rust)",
                vivamo::VERSION
            ))
            .log_sink(forward_to_logging);
        if let Some(timeout) = seconds("timeout", self.timeout)? {
            builder = builder.timeout(timeout);
        }
        if let Some(deadline) = seconds("deadline", self.deadline)? {
            builder = builder.deadline(deadline);
        }
        if let Some(n) = retries(self.max_retries)? {
            builder = builder.max_retries(n);
        }
        if let Some(key) = self.api_key {
            builder = builder.api_key(key);
        }
        if let Some(name) = self.environment {
            builder = builder.environment(environment(py, name)?);
        }
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(v) = self.validation {
            builder = builder.validation(v.parse::<Validation>().map_err(|e| to_py_err(py, &e))?);
        }
        if let Some(level) = self.log_level {
            builder = builder.log_level(level.parse::<LogLevel>().map_err(|e| to_py_err(py, &e))?);
        }
        if let Some(proxy) = self.proxy {
            builder = builder.proxy(proxy);
        }
        if let Some(path) = self.ca_bundle {
            builder = builder.ca_bundle(path);
        }
        if let Some(max) = self.max_idle_connections {
            builder = builder.max_idle_connections(max);
        }
        if let Some(info) = self.app_info {
            builder = builder.app_info(app_info(py, info)?);
        }
        if let Some(enabled) = self.http2 {
            builder = builder.http2(enabled);
        }
        if let Some((initial, max)) = self.backoff {
            let initial = seconds("backoff", Some(initial))?.unwrap_or_default();
            let max = seconds("backoff", Some(max))?.unwrap_or_default();
            builder = builder.backoff(initial, max);
        }
        if let Some(hook) = self.on_retry {
            builder = builder.on_retry_event(hooks::retry_hook(py, hook)?);
        }
        if let Some(hook) = self.on_request {
            builder = builder.on_request(hooks::request_hook(py, hook)?);
        }
        if let Some(hook) = self.on_response {
            builder = builder.on_response(hooks::response_hook(py, hook)?);
        }
        builder.from_env().map_err(|e| to_py_err(py, &e))
    }
}

/// The SDK's log sink: each record goes to the standard `logging` logger named `vivamo`, at
/// its level. Called on a runtime thread or a waiting `Client` call; it attaches to the
/// interpreter only inside the exit gate (see [`crate::exit`]): after the `atexit` hook the
/// record is dropped.
fn forward_to_logging(record: &LogRecord) {
    let method = match record.level {
        LogLevel::Off => return,
        LogLevel::Error => "error",
        LogLevel::Warn => "warning",
        LogLevel::Info => "info",
        LogLevel::Debug => "debug",
    };
    let _ = exit::enter(|| {
        Python::attach(|py| {
            let logged = py
                .import("logging")
                .and_then(|logging| logging.call_method1("getLogger", ("vivamo",)))
                .and_then(|logger| logger.call_method1(method, ("%s", record.message.as_str())));
            // A failing handler is `logging`'s to report (it does, through `handleError`);
            // anything else must not reach the call that logged, but a Ctrl-C must.
            if let Err(err) = logged {
                let _ = crate::signals::keep_interrupt(py, &err);
            }
        })
    });
}
