//! The client's event hooks, `onRequest`, `onResponse` and `onRetry`: the SDK's events as
//! JavaScript objects, each hook installed on the SDK's builder as a thread-safe function.
//! They are told the method, path, status, timing, attempt and request id — never the key, a
//! header's value or a body. `index.js` wraps each hook so that one that throws is reported as
//! a process warning and the call goes on.
//!
//! The functions are weak: a hook never keeps the process alive, and once its environment is
//! gone an event is dropped.

use napi::bindgen_prelude::Unknown;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;

/// A hook called from any thread with `E`; weak.
pub type HookFn<E> = ThreadsafeFunction<E, Unknown<'static>, E, Status, false, true>;

/// An attempt about to be sent, as `onRequest` receives it.
#[napi(object)]
#[derive(Clone)]
pub struct RequestEvent {
    /// The operation (`get_customer`, `request` for `vivamo.request`, …).
    pub operation: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// The URL path, without the query.
    pub path: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
}

/// An attempt that ended, answered (any status) or not, as `onResponse` receives it.
#[napi(object)]
#[derive(Clone)]
pub struct ResponseEvent {
    /// The operation.
    pub operation: String,
    /// `GET`, `POST`, … (empty when the attempt timed out before the request was built).
    pub method: String,
    /// The URL path, without the query (empty likewise).
    pub path: String,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// How long the attempt took, in milliseconds.
    pub elapsed_ms: f64,
    /// 1 for the first attempt, …
    pub attempt: u32,
    /// Vivamo's request id, when the response carried one.
    pub request_id: Option<String>,
    /// The error kind the attempt ended in (`server`, `timeout`, …), if it failed.
    pub error: Option<String>,
}

/// A failed attempt the client is about to retry, as `onRetry` receives it.
#[napi(object)]
#[derive(Clone)]
pub struct RetryEvent {
    /// The operation (`get_customer`, …).
    pub operation: String,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// The error kind it failed with (`rate_limited`, `server`, `timeout`, …).
    pub error: String,
    /// Its HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The wait before the next attempt, in milliseconds.
    pub delay_ms: f64,
    /// Vivamo's request id of the failed attempt, when sent.
    pub request_id: Option<String>,
}

/// The hooks a `Vivamo` was given (each optional).
pub struct Hooks {
    pub on_retry: Option<HookFn<RetryEvent>>,
    pub on_request: Option<HookFn<RequestEvent>>,
    pub on_response: Option<HookFn<ResponseEvent>>,
}

impl Hooks {
    /// `builder` with these hooks installed (once the environment is gone a hook's call is
    /// refused and the event dropped).
    pub fn install(self, mut builder: vivamo::ClientBuilder) -> vivamo::ClientBuilder {
        if let Some(hook) = self.on_retry {
            builder = builder.on_retry_event(move |e: &vivamo::RetryEvent| {
                let event = RetryEvent {
                    operation: e.operation.to_string(),
                    attempt: e.attempt,
                    error: e.error.as_str().to_string(),
                    status: e.status,
                    delay_ms: e.delay.as_secs_f64() * 1000.0,
                    request_id: e.request_id.clone(),
                };
                let _ = hook.call(event, ThreadsafeFunctionCallMode::NonBlocking);
            });
        }
        if let Some(hook) = self.on_request {
            builder = builder.on_request(move |e: &vivamo::RequestEvent| {
                let event = RequestEvent {
                    operation: e.operation.to_string(),
                    method: e.method.clone(),
                    path: e.path.clone(),
                    attempt: e.attempt,
                };
                let _ = hook.call(event, ThreadsafeFunctionCallMode::NonBlocking);
            });
        }
        if let Some(hook) = self.on_response {
            builder = builder.on_response(move |e: &vivamo::ResponseEvent| {
                let event = ResponseEvent {
                    operation: e.operation.to_string(),
                    method: e.method.clone(),
                    path: e.path.clone(),
                    status: e.status,
                    elapsed_ms: e.elapsed.as_secs_f64() * 1000.0,
                    attempt: e.attempt,
                    request_id: e.request_id.clone(),
                    error: e.error.map(|k| k.as_str().to_string()),
                };
                let _ = hook.call(event, ThreadsafeFunctionCallMode::NonBlocking);
            });
        }
        builder
    }
}
