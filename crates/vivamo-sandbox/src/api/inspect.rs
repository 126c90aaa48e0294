//! What a test needs to see of the requests themselves: a log of the last `/v1` requests
//! (request id, method, path, headers with the key redacted, the body as it arrived, whether
//! the client stayed for the answer), and a switch that adds unknown fields to every customer the API returns (the
//! fields Vivamo may add tomorrow).
//!
//! | Route | Body | Effect |
//! |---|---|---|
//! | `GET /__sandbox/requests` | none | `{"requests": [{"requestId", "method", "path", "httpVersion", "headers", "body", "completed", "status", "latencyMs", "fault"}]}`, oldest first, the last 100 (`httpVersion`: `HTTP/1.1` or `HTTP/2.0`; `body`: the request body as far as the handler read it, as JSON when it parses, else as text, `null` when empty or unread, its first 64 KiB; `fault`: `fail_rate`, `lost_response`, `rate_limit`, `latency` or null) |
//! | `POST /__sandbox/extra-fields` | `{"fields": {"loyaltyTier": "gold"}}` | adds these fields to every customer object in `/v1` answers; `{}` stops |

use std::collections::VecDeque;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH};
use axum::http::{HeaderMap, Method, StatusCode, Uri, Version};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use futures::StreamExt;
use parking_lot::Mutex;
use serde_json::{Map, Value};

use super::constraint::{Constraint, Failure};
use super::error::{json_response, ApiError};
use crate::AppState;

/// Requests kept in the log.
const KEPT: usize = 100;

/// Bytes of each request body kept in the log.
const BODY_KEPT: usize = 64 * 1024;

/// One logged request, kept as it came (the JSON is built when the log is read).
struct Entry {
    seq: u64,
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    /// The body's bytes, as the handler reads them (its first [`BODY_KEPT`]).
    body: Arc<Mutex<Vec<u8>>>,
    request_id: Option<String>,
    completed: bool,
    status: Option<u16>,
    latency_ms: Option<u64>,
    fault: Option<&'static str>,
}

impl Entry {
    fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name == AUTHORIZATION {
                    "[redacted]".to_string()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_string(), Value::String(shown))
            })
            .collect();
        let body = {
            let bytes = self.body.lock();
            if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes)
                    .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
            }
        };
        serde_json::json!({
            "requestId": self.request_id,
            "method": self.method.as_str(),
            "path": self.uri.path(),
            "httpVersion": format!("{:?}", self.version),
            "headers": headers,
            "body": body,
            "completed": self.completed,
            "status": self.status,
            "latencyMs": self.latency_ms,
            "fault": self.fault,
        })
    }
}

/// The request log and the extra fields.
#[derive(Default)]
pub(crate) struct Inspect {
    log: Mutex<(u64, VecDeque<Entry>)>,
    extra_fields: Mutex<Map<String, Value>>,
}

impl Inspect {
    fn start(
        &self,
        method: Method,
        uri: Uri,
        version: Version,
        headers: HeaderMap,
        body: Arc<Mutex<Vec<u8>>>,
    ) -> u64 {
        let mut log = self.log.lock();
        log.0 += 1;
        let seq = log.0;
        if log.1.len() == KEPT {
            log.1.pop_front();
        }
        log.1.push_back(Entry {
            seq,
            method,
            uri,
            version,
            headers,
            body,
            request_id: None,
            completed: false,
            status: None,
            latency_ms: None,
            fault: None,
        });
        seq
    }

    fn complete(
        &self,
        seq: u64,
        request_id: Option<String>,
        status: u16,
        latency_ms: u64,
        fault: Option<&'static str>,
    ) {
        let mut log = self.log.lock();
        let Some(first) = log.1.front().map(|e| e.seq) else {
            return;
        };
        let index = seq.checked_sub(first).and_then(|i| usize::try_from(i).ok());
        if let Some(entry) = index.and_then(|i| log.1.get_mut(i)) {
            entry.request_id = request_id;
            entry.completed = true;
            entry.status = Some(status);
            entry.latency_ms = Some(latency_ms);
            entry.fault = fault;
        }
    }
}

/// Middleware (outermost): logs `/v1` requests and adds the extra fields to their answers.
pub(super) async fn inspect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/v1") {
        return next.run(req).await;
    }
    let inspect = &state.inner.inspect;
    // The body is copied as the handler reads it (streamed, its limits unchanged).
    let kept = Arc::new(Mutex::new(Vec::new()));
    let sink = kept.clone();
    let (parts, body) = req.into_parts();
    let body = Body::from_stream(body.into_data_stream().map(move |chunk| {
        if let Ok(bytes) = &chunk {
            let mut kept = sink.lock();
            let room = BODY_KEPT.saturating_sub(kept.len());
            kept.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        chunk
    }));
    let req = Request::from_parts(parts, body);
    let seq = inspect.start(
        req.method().clone(),
        req.uri().clone(),
        req.version(),
        req.headers().clone(),
        kept,
    );
    state.inner.live.changed(crate::live::REQUESTS);
    let started = std::time::Instant::now();
    // When the client goes away first, this future is dropped here and the entry keeps
    // `completed: false`.
    let response = next.run(req).await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let fault = response.extensions().get::<super::Injected>().map(|f| f.0);
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    inspect.complete(
        seq,
        request_id,
        response.status().as_u16(),
        latency_ms,
        fault,
    );
    state.inner.live.changed(crate::live::REQUESTS);
    let extra = inspect.extra_fields.lock().clone();
    if extra.is_empty() || !response.status().is_success() {
        return response;
    }
    with_extra_fields(response, &extra).await
}

async fn with_extra_fields(response: Response, extra: &Map<String, Value>) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let add = |customer: &mut Value| {
        if let Some(object) = customer.as_object_mut() {
            for (k, v) in extra {
                object.insert(k.clone(), v.clone());
            }
        }
    };
    if value.get("externalCustomerId").is_some() {
        add(&mut value);
    }
    if let Some(customers) = value.get_mut("customers").and_then(Value::as_array_mut) {
        customers.iter_mut().for_each(add);
    }
    let bytes = Bytes::from(value.to_string());
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// The control routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/__sandbox/requests", get(requests))
        .route("/__sandbox/extra-fields", post(set_extra_fields))
}

/// `GET /__sandbox/requests`.
async fn requests(State(state): State<AppState>) -> Response {
    let log: Vec<Value> = state
        .inner
        .inspect
        .log
        .lock()
        .1
        .iter()
        .map(Entry::to_json)
        .collect();
    let body = serde_json::json!({ "requests": log });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

/// `POST /__sandbox/extra-fields`.
async fn set_extra_fields(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("fields").and_then(Value::as_object).cloned())
        .ok_or_else(|| ApiError::validation([Failure::new(Constraint::IsObject, "fields")]))?;
    let count = fields.len();
    *state.inner.inspect.extra_fields.lock() = fields;
    let body = serde_json::json!({ "fields": count });
    Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
}
