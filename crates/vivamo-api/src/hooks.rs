//! `ClientHooks` for the generated client: records what each response said about itself.
//!
//! progenitor drops the status and headers of a response whose body fails to decode
//! (`Error::InvalidResponsePayload`), yet a caller still needs them: a 500 with an HTML body
//! is a server error worth retrying, and the request id of any failed call is what Vivamo's
//! support asks for. The post hook writes them into a task-local slot that [`observe`] opens
//! around one request.
//!
//! The same slot carries what a caller adds to one request: [`observe_with`] gives the pre
//! hook extra headers to set and extra JSON fields to merge into the body, and asks it to keep
//! a copy of the request body (for debug logs).

use std::cell::RefCell;
use std::future::Future;

use futures::FutureExt;
use progenitor_client::{ClientHooks, Error, OperationInfo};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::{Map, Value};

use crate::Client;

/// The header Vivamo (and the local sandbox) use for the id of a request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What the transport saw of one response, whatever became of its body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observed {
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The `x-request-id` header, when the server sent one.
    pub request_id: Option<String>,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
    /// Every header of a response with an error status (400 and above); empty otherwise, so
    /// a successful call copies nothing.
    pub error_headers: HeaderMap,
    /// The request's method (`GET`, `POST`, …), once the request was built.
    pub method: Option<String>,
    /// The request's URL path (without the query), once the request was built.
    pub path: Option<String>,
    /// A copy of the request body, when [`Extra::keep_request_body`] asked for one.
    pub request_body: Option<Vec<u8>>,
}

/// What [`observe_with`] adds to one request.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    /// Headers set on the request, replacing any of the same name the generated code set.
    pub headers: HeaderMap,
    /// JSON fields merged into the request's body, sent as given and not validated: objects
    /// merge key by key, recursively (`{"data": {"nickname": "Jo"}}` adds one key inside
    /// `data`), any other value (`null` included) replaces what the body held. A request
    /// without a body gets these fields as its JSON body. See [`merge_json`].
    ///
    /// A body that is not a JSON object fails the request with [`Error::InvalidRequest`]
    /// before it is sent.
    pub body: Option<Map<String, Value>>,
    /// Keep a copy of the request body in [`Observed::request_body`] (after `body` is merged:
    /// what is sent).
    pub keep_request_body: bool,
    /// Told the method and path of the request just before it is sent.
    pub on_send: Option<OnSend>,
}

/// The function of an [`OnSend`]: told the method and the path.
pub type OnSendFn = dyn Fn(&str, &str) + Send + Sync;

/// A function told the method and path of a request about to be sent.
#[derive(Clone)]
pub struct OnSend(pub std::sync::Arc<OnSendFn>);

impl std::fmt::Debug for OnSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnSend")
    }
}

struct Slot {
    extra: Extra,
    observed: Observed,
}

tokio::task_local! {
    static SLOT: RefCell<Slot>;
}

/// Runs `request` (one call of the generated client) and returns its output together with
/// what the post hook observed of the response.
///
/// ```
/// # async fn demo(client: &vivamo_api::Client) {
/// let (result, seen) = vivamo_api::observe(client.get_customer().external_customer_id("u1").send()).await;
/// if let Some(id) = seen.request_id { println!("request id {id}"); }
/// # let _ = result;
/// # }
/// ```
pub fn observe<F: Future>(request: F) -> impl Future<Output = (F::Output, Observed)> {
    observe_with(Extra::default(), request)
}

/// [`observe`], with headers to add to the request and, if asked, a copy of its body.
///
/// ```
/// # async fn demo(client: &vivamo_api::Client) {
/// use reqwest::header::{HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.insert("x-trace", HeaderValue::from_static("abc"));
/// let extra = vivamo_api::Extra { headers, ..Default::default() };
/// let (result, seen) = vivamo_api::observe_with(extra, client.get_customer().external_customer_id("u1").send()).await;
/// # let _ = (result, seen);
/// # }
/// ```
pub fn observe_with<F: Future>(
    extra: Extra,
    request: F,
) -> impl Future<Output = (F::Output, Observed)> {
    // Not an `async fn`: its state would hold `request` three times over (the argument, the
    // inner block's copy and that block's awaited copy), and every caller's future with it.
    let slot = Slot {
        extra,
        observed: Observed::default(),
    };
    SLOT.scope(
        RefCell::new(slot),
        request.map(|output| {
            let seen = SLOT.with(|cell| std::mem::take(&mut cell.borrow_mut().observed));
            (output, seen)
        }),
    )
}

/// Merges `from` into `into`: where both hold an object under the same key, the objects merge
/// the same way, recursively; any other value of `from` (`null` included) replaces the one in
/// `into`.
///
/// ```
/// use serde_json::json;
/// let mut body = json!({"data": {"email": "jo@example.com"}, "verifyAfterCreation": false});
/// let extra = json!({"data": {"nickname": "Jo"}, "verifyAfterCreation": null});
/// vivamo_api::merge_json(body.as_object_mut().unwrap(), extra.as_object().unwrap());
/// assert_eq!(body, json!({"data": {"email": "jo@example.com", "nickname": "Jo"}, "verifyAfterCreation": null}));
/// ```
pub fn merge_json(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(extra)) => merge_json(inner, extra),
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The name of a JSON value's type, for messages.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Merges `fields` into the request's JSON object body (see [`Extra::body`]); a request
/// without a body gets them as its JSON body.
fn merge_into_body(
    request: &mut reqwest::Request,
    fields: &Map<String, Value>,
) -> Result<(), String> {
    let mut body = match request.body() {
        None => Map::new(),
        Some(body) => {
            let Some(bytes) = body.as_bytes() else {
                return Err(
                    "extra body fields cannot be added to a streamed request body".to_owned(),
                );
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                Map::new()
            } else {
                match serde_json::from_slice::<Value>(bytes) {
                    Ok(Value::Object(body)) => body,
                    Ok(other) => {
                        return Err(format!(
                            "extra body fields can only be merged into a JSON object body; this request's body is {}",
                            json_type(&other)
                        ))
                    }
                    Err(e) => {
                        return Err(format!(
                            "extra body fields can only be merged into a JSON body; this request's body is not JSON ({e})"
                        ))
                    }
                }
            }
        }
    };
    merge_json(&mut body, fields);
    let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
    let headers = request.headers_mut();
    headers.remove(CONTENT_LENGTH);
    if !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    *request.body_mut() = Some(bytes.into());
    Ok(())
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl ClientHooks<()> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // Outside `observe_with` there is no slot, and nothing to add.
        let on_send = SLOT.try_with(|cell| {
            let mut slot = cell.borrow_mut();
            let slot = &mut *slot;
            let headers = request.headers_mut();
            for name in slot.extra.headers.keys() {
                headers.remove(name);
            }
            for (name, value) in &slot.extra.headers {
                headers.append(name, value.clone());
            }
            if let Some(fields) = slot.extra.body.as_ref().filter(|f| !f.is_empty()) {
                merge_into_body(request, fields)?;
            }
            slot.observed.method = Some(request.method().as_str().to_owned());
            slot.observed.path = Some(request.url().path().to_owned());
            if slot.extra.keep_request_body {
                slot.observed.request_body = request
                    .body()
                    .and_then(reqwest::Body::as_bytes)
                    .map(<[u8]>::to_vec);
            }
            Ok(slot.extra.on_send.clone())
        });
        // Called with the slot released: the function may do anything.
        match on_send {
            Ok(Err(message)) => return Err(Error::InvalidRequest(message)),
            Ok(Ok(Some(on_send))) => (on_send.0)(request.method().as_str(), request.url().path()),
            _ => {}
        }
        Ok(())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(response) = result {
            // Outside `observe` there is no slot, and nothing to record.
            let _ = SLOT.try_with(|cell| {
                let seen = &mut cell.borrow_mut().observed;
                seen.status = Some(response.status().as_u16());
                seen.request_id = header(response, REQUEST_ID_HEADER);
                seen.retry_after = header(response, "retry-after");
                if response.status().as_u16() >= 400 {
                    seen.error_headers = response.headers().clone();
                }
            });
        }
        Ok(())
    }
}
