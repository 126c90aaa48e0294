//! `client.customers.with_raw_response`: what every operation answers — its value and the
//! response's status, headers, request id, retry count and duration — and [`RawResponse`],
//! the object the raw methods return.
//!
//! The metadata rides along every call as the SDK's `Response<()>` and becomes Python only
//! when a raw method asks for it, so the plain methods pay nothing for it.

use std::time::Duration;

use futures::future::BoxFuture;
use futures::FutureExt;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::BoundObject;
use vivamo::RequestOptions;

use crate::call::Call;
use crate::models::RequestId;

/// An operation's value with the response it came in.
pub(crate) struct Answer<T> {
    pub(crate) value: T,
    pub(crate) meta: vivamo::Response<()>,
}

/// The answer of `response`, its value wrapped by `wrap` (given the request id the result
/// class keeps as `_request_id`).
pub(crate) fn answer<V, T>(
    response: vivamo::Response<V>,
    wrap: impl FnOnce(V, RequestId) -> T,
) -> Answer<T> {
    let (value, meta) = response.into_parts();
    let id = RequestId(meta.request_id().map(str::to_owned));
    Answer {
        value: wrap(value, id),
        meta,
    }
}

/// `call` as the plain methods run it: the value alone.
pub(crate) fn value_of<T: Send + 'static>(
    call: Call<T>,
) -> impl FnOnce(vivamo::Client, RequestOptions) -> BoxFuture<'static, vivamo::Result<T>> {
    move |client, options| {
        call(client, options)
            .map(|answer| answer.map(|a| a.value))
            .boxed()
    }
}

impl<'py, T> IntoPyObject<'py> for Answer<T>
where
    T: IntoPyObject<'py>,
{
    type Target = RawResponse;
    type Output = Bound<'py, RawResponse>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, RawResponse>> {
        let value = self.value.into_pyobject(py).map_err(Into::into)?;
        Bound::new(
            py,
            RawResponse {
                meta: self.meta,
                value: value.into_any().unbind(),
            },
        )
    }
}

/// The response of a call made through `with_raw_response`: `status_code`, `headers`,
/// `request_id`, `retries_taken`, `elapsed`, and `parse()` for the value the plain method
/// returns.
#[pyclass(frozen, generic, module = "vivamo")]
pub struct RawResponse {
    meta: vivamo::Response<()>,
    value: Py<PyAny>,
}

#[pymethods]
impl RawResponse {
    /// The HTTP status.
    #[getter]
    fn status_code(&self) -> u16 {
        self.meta.status()
    }

    /// The response headers, names in lower case; a header sent more than once has its
    /// values joined by `, `.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for name in self.meta.headers().keys() {
            let values: Vec<String> = self
                .meta
                .headers()
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            dict.set_item(name.as_str(), values.join(", "))?;
        }
        Ok(dict)
    }

    /// Vivamo's id for the request (`x-request-id`), for support and audit trails.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// How many failed attempts were retried before this answer (`0`: the first attempt).
    #[getter]
    fn retries_taken(&self) -> u32 {
        self.meta.retries_taken()
    }

    /// How long the whole call took, every attempt and wait included.
    #[getter]
    fn elapsed(&self) -> Duration {
        self.meta.elapsed()
    }

    /// The value the plain method returns (a `Customer`, a `CustomerPage`, …).
    fn parse(&self, py: Python<'_>) -> Py<PyAny> {
        self.value.clone_ref(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<vivamo.RawResponse [{}] request_id={:?}>",
            self.meta.status(),
            self.meta.request_id().unwrap_or("")
        )
    }
}
