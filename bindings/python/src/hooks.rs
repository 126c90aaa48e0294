//! The client's event hooks, `on_request=`, `on_response=` and `on_retry=`: the SDK's events
//! as Python objects, and each callable wrapped as the SDK's hook. They are told the method,
//! path, status, timing, attempt and request id — never the key, a header's value or a body.
//!
//! A hook runs on a runtime thread or a waiting `Client` call, attached to the interpreter
//! only inside the exit gate (see `crate::exit`), so one called after the `atexit` hook is
//! skipped. An exception it raises is reported as unraisable and the call goes on.

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::errors::config_error;
use crate::exit;

/// An attempt about to be sent, as `on_request=` receives it.
#[pyclass(frozen, get_all, module = "vivamo")]
pub struct RequestEvent {
    /// The operation (`get_customer`, `request` for `client.request`, …).
    pub operation: &'static str,
    /// `GET`, `POST`, …
    pub method: String,
    /// The URL path, without the query.
    pub path: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
}

#[pymethods]
impl RequestEvent {
    fn __repr__(&self) -> String {
        format!(
            "RequestEvent(operation='{}', method='{}', path='{}', attempt={})",
            self.operation, self.method, self.path, self.attempt
        )
    }
}

/// An attempt that ended, answered (any status) or not, as `on_response=` receives it.
#[pyclass(frozen, get_all, module = "vivamo")]
pub struct ResponseEvent {
    /// The operation.
    pub operation: &'static str,
    /// `GET`, `POST`, … (empty when the attempt timed out before the request was built).
    pub method: String,
    /// The URL path, without the query (empty likewise).
    pub path: String,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// How long the attempt took, in seconds.
    pub elapsed: f64,
    /// 1 for the first attempt, …
    pub attempt: u32,
    /// Vivamo's request id, when the response carried one.
    pub request_id: Option<String>,
    /// The error kind the attempt ended in (`server`, `timeout`, …), if it failed.
    pub error: Option<&'static str>,
}

#[pymethods]
impl ResponseEvent {
    fn __repr__(&self) -> String {
        format!(
            "ResponseEvent(operation='{}', method='{}', path='{}', status={}, attempt={}, error={})",
            self.operation,
            self.method,
            self.path,
            self.status.map_or("None".to_string(), |s| s.to_string()),
            self.attempt,
            self.error.map_or("None".to_string(), |e| format!("'{e}'")),
        )
    }
}

/// A failed attempt the client is about to retry, as `on_retry=` receives it.
#[pyclass(frozen, get_all, module = "vivamo")]
pub struct RetryEvent {
    /// The operation (`get_customer`, …).
    pub operation: &'static str,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// The error kind it failed with (`rate_limited`, `server`, `timeout`, …).
    pub error: &'static str,
    /// Its HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The wait before the next attempt, in seconds (backoff, or what `Retry-After` asked).
    pub delay: f64,
    /// Vivamo's request id of the failed attempt, when sent.
    pub request_id: Option<String>,
}

#[pymethods]
impl RetryEvent {
    fn __repr__(&self) -> String {
        format!(
            "RetryEvent(operation='{}', attempt={}, error='{}', status={}, delay={:.3})",
            self.operation,
            self.attempt,
            self.error,
            self.status.map_or("None".to_string(), |s| s.to_string()),
            self.delay
        )
    }
}

/// `hook` as an SDK hook taking `E`, which `event` turns into the Python event; refused with
/// a `ConfigError` naming `option` when it is not callable.
fn hook<E: ?Sized, P>(
    py: Python<'_>,
    option: &str,
    class: &str,
    hook: Py<PyAny>,
    event: impl Fn(&E) -> P + Send + Sync + 'static,
) -> PyResult<impl Fn(&E) + Send + Sync + 'static>
where
    P: for<'py> IntoPyObject<'py>,
{
    if !hook.bind(py).is_callable() {
        return Err(config_error(
            py,
            format!("{option} must be a callable taking a vivamo.{class}"),
        ));
    }
    Ok(move |e: &E| {
        let _ = exit::enter(|| {
            Python::attach(|py| {
                let called = event(e)
                    .into_bound_py_any(py)
                    .and_then(|info| hook.call1(py, (info,)));
                if let Err(err) = called {
                    if !crate::signals::keep_interrupt(py, &err) {
                        err.write_unraisable(py, Some(hook.bind(py)));
                    }
                }
            })
        });
    })
}

/// `on_request=` as the SDK's request hook.
pub(crate) fn request_hook(
    py: Python<'_>,
    callable: Py<PyAny>,
) -> PyResult<impl Fn(&vivamo::RequestEvent) + Send + Sync + 'static> {
    hook(
        py,
        "on_request",
        "RequestEvent",
        callable,
        |e: &vivamo::RequestEvent| RequestEvent {
            operation: e.operation,
            method: e.method.clone(),
            path: e.path.clone(),
            attempt: e.attempt,
        },
    )
}

/// `on_response=` as the SDK's response hook.
pub(crate) fn response_hook(
    py: Python<'_>,
    callable: Py<PyAny>,
) -> PyResult<impl Fn(&vivamo::ResponseEvent) + Send + Sync + 'static> {
    hook(
        py,
        "on_response",
        "ResponseEvent",
        callable,
        |e: &vivamo::ResponseEvent| ResponseEvent {
            operation: e.operation,
            method: e.method.clone(),
            path: e.path.clone(),
            status: e.status,
            elapsed: e.elapsed.as_secs_f64(),
            attempt: e.attempt,
            request_id: e.request_id.clone(),
            error: e.error.map(|k| k.as_str()),
        },
    )
}

/// `on_retry=` as the SDK's retry hook.
pub(crate) fn retry_hook(
    py: Python<'_>,
    callable: Py<PyAny>,
) -> PyResult<impl Fn(&vivamo::RetryEvent) + Send + Sync + 'static> {
    hook(
        py,
        "on_retry",
        "RetryEvent",
        callable,
        |e: &vivamo::RetryEvent| RetryEvent {
            operation: e.operation,
            attempt: e.attempt,
            error: e.error.as_str(),
            status: e.status,
            delay: e.delay.as_secs_f64(),
            request_id: e.request_id.clone(),
        },
    )
}
