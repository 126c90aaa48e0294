//! `ClientHooks` for the generated client: records what each response said about itself.
//!
//! progenitor drops the status and headers of a response whose body fails to decode
//! (`Error::InvalidResponsePayload`), yet a caller still needs them: a 500 with an HTML body
//! is a server error worth retrying, and the request id of any failed call is what Vivamo's
//! support asks for. The post hook writes them into a task-local slot that [`observe`] opens
//! around one request.
//!
//! The same slot carries what a caller adds to one request: [`observe_with`] gives the pre
//! hook extra headers to set, and asks it to keep a copy of the request body (for debug logs).

use std::cell::RefCell;
use std::future::Future;

use progenitor_client::{ClientHooks, Error, OperationInfo};
use reqwest::header::HeaderMap;

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
    /// Keep a copy of the request body in [`Observed::request_body`].
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
pub async fn observe<F: Future>(request: F) -> (F::Output, Observed) {
    observe_with(Extra::default(), request).await
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
pub async fn observe_with<F: Future>(extra: Extra, request: F) -> (F::Output, Observed) {
    let slot = Slot {
        extra,
        observed: Observed::default(),
    };
    SLOT.scope(RefCell::new(slot), async move {
        let output = request.await;
        let seen = SLOT.with(|cell| std::mem::take(&mut cell.borrow_mut().observed));
        (output, seen)
    })
    .await
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
            slot.observed.method = Some(request.method().as_str().to_owned());
            slot.observed.path = Some(request.url().path().to_owned());
            if slot.extra.keep_request_body {
                slot.observed.request_body = request
                    .body()
                    .and_then(reqwest::Body::as_bytes)
                    .map(<[u8]>::to_vec);
            }
            slot.extra.on_send.clone()
        });
        // Called with the slot released: the function may do anything.
        if let Ok(Some(on_send)) = on_send {
            (on_send.0)(request.method().as_str(), request.url().path());
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
