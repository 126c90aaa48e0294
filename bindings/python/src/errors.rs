//! Errors: the SDK's `vivamo::Error` becomes an instance of the hierarchy in `vivamo._errors`
//! through [`to_py_err`], the one place that maps SDK kinds to Python classes (by the kind's
//! name, through the table generated into `_errors.py`).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};

use crate::models::Violation;

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The fields of an exception instance; its class is the kind's (`_CLASS_FOR_KIND` of
/// `vivamo._errors`, generated with the classes), `VivamoError` for a kind without one.
struct Fields<'a> {
    kind: &'a str,
    display: String,
    message: String,
    status_code: Option<u16>,
    errors: Vec<std::collections::BTreeMap<String, String>>,
    request_id: Option<&'a str>,
    violations: Vec<Violation>,
    retry_after: Option<f64>,
    headers: Option<&'a std::collections::BTreeMap<String, String>>,
}

fn build(py: Python<'_>, f: Fields<'_>) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let module = ERRORS_MODULE
            .get_or_try_init(py, || py.import("vivamo._errors").map(Bound::unbind))?
            .bind(py);
        let class = match module.getattr("_CLASS_FOR_KIND")?.get_item(f.kind) {
            Ok(class) => class,
            Err(_) => module.getattr("VivamoError")?,
        };
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", f.kind)?;
        kwargs.set_item("api_message", f.message)?;
        kwargs.set_item("status_code", f.status_code)?;
        let errors = PyList::empty(py);
        for entry in f.errors {
            errors.append(entry.into_pyobject(py)?)?;
        }
        kwargs.set_item("errors", errors)?;
        kwargs.set_item("request_id", f.request_id)?;
        kwargs.set_item("violations", f.violations)?;
        kwargs.set_item("retry_after", f.retry_after)?;
        kwargs.set_item("headers", f.headers)?;
        let instance = class.call((f.display,), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    })();
    made.unwrap_or_else(|e| e)
}

/// Maps an SDK error to its Python exception. The only mapping from SDK errors to classes.
pub fn to_py_err(py: Python<'_>, e: &vivamo::Error) -> PyErr {
    build(
        py,
        Fields {
            kind: e.kind().as_str(),
            display: e.to_string(),
            message: e.message().to_string(),
            status_code: e.status(),
            errors: e.errors().to_vec(),
            request_id: e.request_id(),
            violations: e
                .violations()
                .iter()
                .cloned()
                .map(Violation::from)
                .collect(),
            retry_after: e.retry_after().map(|d| d.as_secs_f64()),
            headers: e.headers(),
        },
    )
}

/// A `ValidationError` raised by the binding itself (an argument it cannot convert).
pub fn validation_error(py: Python<'_>, violations: Vec<Violation>) -> PyErr {
    let display = match violations.as_slice() {
        [one] => format!("invalid customer: {one}"),
        many => format!(
            "invalid customer ({} problems): {}",
            many.len(),
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    build(
        py,
        Fields {
            kind: "validation",
            message: display.clone(),
            display,
            status_code: None,
            errors: Vec::new(),
            request_id: None,
            violations,
            retry_after: None,
            headers: None,
        },
    )
}

/// A `ConfigError` raised by the binding itself (an unusable option).
pub fn config_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    let message = message.into();
    build(
        py,
        Fields {
            kind: "config",
            display: message.clone(),
            message,
            status_code: None,
            errors: Vec::new(),
            request_id: None,
            violations: Vec::new(),
            retry_after: None,
            headers: None,
        },
    )
}

/// A Rust panic, as a `VivamoError` of kind `internal`.
pub fn panic_error(py: Python<'_>, payload: Box<dyn Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let message = format!("internal error in the vivamo native module (please report it): {what}");
    build(
        py,
        Fields {
            kind: "internal",
            display: message.clone(),
            message,
            status_code: None,
            errors: Vec::new(),
            request_id: None,
            violations: Vec::new(),
            retry_after: None,
            headers: None,
        },
    )
}

/// Runs `f`, turning a panic into a `VivamoError` instead of pyo3's `PanicException`.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(panic_error(py, payload)),
    }
}
