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
pub struct Response<T> {
    /// The value with the status and headers, as they came (no copy on the hot path).
    inner: ResponseValue<T>,
    request_id: Option<String>,
    retries_taken: u32,
    elapsed: std::time::Duration,
}

impl<T> Response<T> {
    pub(crate) fn from_value(inner: ResponseValue<T>, request_id: Option<String>) -> Self {
        Response {
            inner,
            request_id,
            retries_taken: 0,
            elapsed: std::time::Duration::ZERO,
        }
    }

    /// The same response, with how many retries and how long the whole call took.
    pub(crate) fn timed(mut self, retries_taken: u32, elapsed: std::time::Duration) -> Self {
        self.retries_taken = retries_taken;
        self.elapsed = elapsed;
        self
    }

    /// How many failed attempts were retried before this answer (`0`: the first attempt).
    pub fn retries_taken(&self) -> u32 {
        self.retries_taken
    }

    /// How long the whole call took, every attempt and wait included.
    pub fn elapsed(&self) -> std::time::Duration {
        self.elapsed
    }

    /// Vivamo's id for the request (`x-request-id`), for audit trails and support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.inner
    }

    /// The value, without the metadata.
    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }

    /// The value and, apart, the same metadata around `()`: what a binding keeps to give
    /// the status and headers only when asked for them.
    pub fn into_parts(self) -> (T, Response<()>) {
        let status = self.inner.status();
        let headers = self.inner.headers().clone();
        let meta = Response {
            inner: ResponseValue::new((), status, headers),
            request_id: self.request_id,
            retries_taken: self.retries_taken,
            elapsed: self.elapsed,
        };
        (self.inner.into_inner(), meta)
    }

    /// The same metadata around another value.
    pub fn map<U: std::fmt::Debug>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        let inner = match self.inner.map::<U, _, std::convert::Infallible>(f) {
            Ok(inner) => inner,
            Err(never) => match never {},
        };
        Response {
            inner,
            request_id: self.request_id,
            retries_taken: self.retries_taken,
            elapsed: self.elapsed,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status())
            .field("request_id", &self.request_id)
            .field("retries_taken", &self.retries_taken)
            .field("value", self.value())
            .finish()
    }
}
