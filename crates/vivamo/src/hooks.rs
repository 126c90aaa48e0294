//! Event hooks: functions the client calls as each attempt is sent, as it ends, and before a
//! retry — for metrics, traces built by hand (OpenTelemetry in Node and Python), or audit
//! logs. They are told the method, path, status, timing, attempt and request id; never the
//! key, a header's value or a body. A hook that panics is logged and ignored: it can never
//! break the call.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use crate::error::ErrorKind;
use crate::log::{LogLevel, Logger};

/// An attempt about to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestEvent {
    /// The operation (`create_customer`, `request` for [`crate::Client::request`], …).
    pub operation: &'static str,
    /// `GET`, `POST`, …
    pub method: String,
    /// The URL path, without the query.
    pub path: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
}

/// An attempt that ended: answered (any status), or failed without an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseEvent {
    /// The operation.
    pub operation: &'static str,
    /// `GET`, `POST`, … (empty when the attempt timed out before the request was built).
    pub method: String,
    /// The URL path, without the query (empty likewise).
    pub path: String,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// How long the attempt took.
    pub elapsed: Duration,
    /// 1 for the first attempt, …
    pub attempt: u32,
    /// Vivamo's request id, when the response carried one.
    pub request_id: Option<String>,
    /// The kind of error the attempt ended in, if it failed.
    pub error: Option<ErrorKind>,
}

/// A failed attempt about to be retried.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryEvent {
    /// The operation.
    pub operation: &'static str,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// Why it failed.
    pub error: ErrorKind,
    /// Its HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The wait before the next attempt (backoff, or what `Retry-After` asked).
    pub delay: Duration,
    /// Vivamo's request id of the failed attempt, when sent.
    pub request_id: Option<String>,
}

type Hook<E> = Arc<dyn Fn(&E) + Send + Sync>;

/// The hooks of a client (shared by every client derived from it).
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) on_request: Vec<Hook<RequestEvent>>,
    pub(crate) on_response: Vec<Hook<ResponseEvent>>,
    pub(crate) on_retry: Vec<Hook<RetryEvent>>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("on_request", &self.on_request.len())
            .field("on_response", &self.on_response.len())
            .field("on_retry", &self.on_retry.len())
            .finish()
    }
}

impl Hooks {
    pub(crate) fn wants_requests(&self) -> bool {
        !self.on_request.is_empty()
    }

    pub(crate) fn request(&self, logger: &Logger, event: &RequestEvent) {
        call_each(&self.on_request, logger, "on_request", event);
    }

    pub(crate) fn response(&self, logger: &Logger, event: &ResponseEvent) {
        call_each(&self.on_response, logger, "on_response", event);
    }

    pub(crate) fn retry(&self, logger: &Logger, event: &RetryEvent) {
        call_each(&self.on_retry, logger, "on_retry", event);
    }
}

fn call_each<E>(hooks: &[Hook<E>], logger: &Logger, name: &str, event: &E) {
    for hook in hooks {
        if catch_unwind(AssertUnwindSafe(|| hook(event))).is_err() {
            logger.log(LogLevel::Error, || {
                format!("the {name} hook panicked; the call goes on")
            });
        }
    }
}
