//! A successful call's value with what the response said about itself.

use std::ops::Deref;

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;

/// The value of a call together with its HTTP status, headers and Vivamo's request id; what
/// `.with_response()` on any request yields.
///
/// ```no_run
/// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
/// let created = client
///     .customers()
///     .create(vivamo::NewCustomer::new("user_123", "jane@example.com"))
///     .with_response()
///     .await?;
/// println!("created in request {:?} (HTTP {})", created.request_id(), created.status());
/// let created = created.into_inner();
/// # let _ = created;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Response<T> {
    value: T,
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
}

impl<T> Response<T> {
    pub(crate) fn from_value(value: ResponseValue<T>, request_id: Option<String>) -> Self {
        let status = value.status().as_u16();
        let headers = value.headers().clone();
        Response {
            value: value.into_inner(),
            status,
            headers,
            request_id,
        }
    }

    /// Vivamo's id for the request (`x-request-id`), for audit trails and support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value, without the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The same metadata around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
