//! How SDK errors and panics become JavaScript errors.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use serde_json::{json, Value};

/// The prefix of the message of every error the native layer throws; `index.js` parses the
/// JSON payload after it into a `VivamoError` subclass.
pub const ERROR_PREFIX: &str = "__vivamo_error__:";

/// A failure about to cross into JavaScript: the fields every `VivamoError` carries.
pub(crate) struct Failure {
    kind: &'static str,
    message: String,
    status: Option<u16>,
    errors: Value,
    violations: Value,
    request_id: Option<String>,
    headers: Option<std::collections::BTreeMap<String, String>>,
    retry_after: Option<f64>,
}

impl Failure {
    /// A failure with only a kind and a message.
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            status: None,
            errors: Value::Array(Vec::new()),
            violations: Value::Array(Vec::new()),
            request_id: None,
            headers: None,
            retry_after: None,
        }
    }

    /// A misconfiguration (thrown by the `Vivamo` constructor or a bad option).
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Failure::new("config", message)
    }

    /// A panic caught at the boundary: a bug in the SDK, reported instead of crashing Node.
    pub(crate) fn panic(payload: &(dyn Any + Send)) -> Self {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Failure::new(
            "internal",
            format!("internal error in the vivamo native module (please report it): {detail}"),
        )
    }

    /// The client-side violations of a validation failure.
    pub(crate) fn violations(violations: &[vivamo::Violation]) -> Value {
        Value::Array(violations.iter().map(violation_json).collect())
    }

    /// Attaches client-side violations.
    pub(crate) fn set_violations(&mut self, violations: &[vivamo::Violation]) {
        self.violations = Failure::violations(violations);
    }
}

fn violation_json(v: &vivamo::Violation) -> Value {
    json!({ "field": v.field, "code": v.code.as_str(), "message": v.message })
}

impl From<vivamo::Error> for Failure {
    fn from(e: vivamo::Error) -> Self {
        Failure {
            kind: e.kind().as_str(),
            // Display: one sentence with the status, kind and request id; never the key.
            message: e.to_string(),
            status: e.status(),
            errors: json!(e.errors()),
            violations: Failure::violations(e.violations()),
            request_id: e.request_id().map(str::to_string),
            headers: e.headers().cloned(),
            retry_after: e.retry_after().map(|d| d.as_secs_f64()),
        }
    }
}

impl From<Failure> for napi::Error {
    fn from(f: Failure) -> Self {
        let payload = json!({
            "kind": f.kind,
            "message": f.message,
            "status": f.status,
            "errors": f.errors,
            "violations": f.violations,
            "requestId": f.request_id,
            "headers": f.headers,
            "retryAfter": f.retry_after,
        });
        napi::Error::new(
            napi::Status::GenericFailure,
            format!("{ERROR_PREFIX}{payload}"),
        )
    }
}

/// Converts an SDK error for JavaScript.
pub(crate) fn js_error(e: vivamo::Error) -> napi::Error {
    Failure::from(e).into()
}

/// Runs `body`, turning a panic into an `internal` error instead of unwinding into Node.
pub(crate) fn guard<T>(body: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|payload| Err(Failure::panic(payload.as_ref()).into()))
}

/// Awaits `fut`, turning a panic into an `internal` error (a rejected promise), so a bug can
/// never take the Node process down.
pub(crate) async fn guard_async<T>(fut: impl Future<Output = napi::Result<T>>) -> napi::Result<T> {
    AssertUnwindSafe(fut)
        .catch_unwind()
        .await
        .unwrap_or_else(|payload| Err(Failure::panic(payload.as_ref()).into()))
}
