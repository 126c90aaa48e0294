//! `ClientHooks` for the generated client: records what each response said about itself.
//!
//! progenitor drops the status and headers of a response whose body fails to decode
//! (`Error::InvalidResponsePayload`), yet a caller still needs them: a 500 with an HTML body
//! is a server error worth retrying, and the request id of any failed call is what Vivamo's
//! support asks for. The post hook writes them into a task-local slot that [`observe`] opens
//! around one request.

use std::cell::RefCell;
use std::future::Future;

use progenitor_client::{ClientHooks, Error, OperationInfo};

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
}

tokio::task_local! {
    static OBSERVED: RefCell<Observed>;
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
    OBSERVED
        .scope(RefCell::new(Observed::default()), async move {
            let output = request.await;
            let seen = OBSERVED.with(|cell| cell.take());
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
    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(response) = result {
            let seen = Observed {
                status: Some(response.status().as_u16()),
                request_id: header(response, REQUEST_ID_HEADER),
                retry_after: header(response, "retry-after"),
            };
            // Outside `observe` there is no slot, and nothing to record.
            let _ = OBSERVED.try_with(|cell| *cell.borrow_mut() = seen);
        }
        Ok(())
    }
}
