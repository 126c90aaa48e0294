//! `client.customers` and `aclient.customers`: the classes, and `list_all` with its
//! iterators. Their other methods are generated from openapi.yaml into `crate::generated`
//! and call `crate::operations`.
//!
//! Every method takes the keyword-only call options `timeout=`, `deadline=`, `max_retries=`
//! and `extra_headers=` (see [`CallOptions`]), and every result carries `_request_id`.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use pyo3::prelude::*;
use vivamo::RequestOptions;

use crate::call::{awaitable, block, call_options, ExtraBody, Fail, Headers};
use crate::client_core::Core;
use crate::errors::guard;
use crate::models::Customer;
use crate::operations::count;
use crate::options::CallOptions;

type CustomerStream = Pin<Box<dyn Stream<Item = vivamo::Result<vivamo::Customer>> + Send>>;

fn list_all_stream(
    core: &Core,
    py: Python<'_>,
    size: i64,
    options: CallOptions,
) -> PyResult<Arc<tokio::sync::Mutex<Option<CustomerStream>>>> {
    let options = RequestOptions::try_from(options)?;
    let sdk = core.sdk(py)?;
    let stream: CustomerStream = Box::pin(
        sdk.customers()
            .list_all()
            .size(count(size))
            .options(options)
            .stream(),
    );
    Ok(Arc::new(tokio::sync::Mutex::new(Some(stream))))
}

/// `client.customers`: create, ensure, get, update, list, list_all and the KYC operations.
#[pyclass(frozen, module = "vivamo")]
pub struct Customers {
    pub(crate) core: Arc<Core>,
}

#[pymethods]
impl Customers {
    /// Every customer, page after page, as an iterator (the options apply to each page).
    #[pyo3(signature = (*, size = 100, timeout = None, deadline = None, max_retries = None, extra_headers = None, extra_body = None))]
    #[allow(clippy::too_many_arguments)]
    fn list_all(
        &self,
        py: Python<'_>,
        size: i64,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
        extra_body: ExtraBody,
    ) -> PyResult<CustomerIterator> {
        let options = call_options(timeout, deadline, max_retries, extra_headers, extra_body);
        guard(py, || {
            Ok(CustomerIterator {
                stream: list_all_stream(&self.core, py, size, options)?,
            })
        })
    }

    fn __repr__(&self) -> String {
        format!("<vivamo.Customers of {}>", self.core.repr("Client"))
    }
}

/// The iterator of `Client.customers.list_all()`; fetches a page at a time.
#[pyclass(frozen, module = "vivamo")]
pub struct CustomerIterator {
    stream: Arc<tokio::sync::Mutex<Option<CustomerStream>>>,
}

#[pymethods]
impl CustomerIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Customer>> {
        guard(py, || {
            let stream = self.stream.clone();
            block(py, async move { next_customer(&stream).await }).map(|c| c.map(Customer::from))
        })
    }
}

async fn next_customer(
    stream: &tokio::sync::Mutex<Option<CustomerStream>>,
) -> vivamo::Result<Option<vivamo::Customer>> {
    let mut guard = stream.lock().await;
    let Some(s) = guard.as_mut() else {
        return Ok(None);
    };
    match s.next().await {
        Some(Ok(customer)) => Ok(Some(customer)),
        Some(Err(e)) => {
            *guard = None;
            Err(e)
        }
        None => {
            *guard = None;
            Ok(None)
        }
    }
}

/// `aclient.customers`: the same operations as `Client.customers`, as awaitables.
#[pyclass(frozen, module = "vivamo")]
pub struct AsyncCustomers {
    pub(crate) core: Arc<Core>,
}

#[pymethods]
impl AsyncCustomers {
    /// Every customer, page after page, as an async iterator (the options apply to each
    /// page).
    #[pyo3(signature = (*, size = 100, timeout = None, deadline = None, max_retries = None, extra_headers = None, extra_body = None))]
    #[allow(clippy::too_many_arguments)]
    fn list_all(
        &self,
        py: Python<'_>,
        size: i64,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
        extra_body: ExtraBody,
    ) -> PyResult<AsyncCustomerIterator> {
        let options = call_options(timeout, deadline, max_retries, extra_headers, extra_body);
        guard(py, || {
            Ok(AsyncCustomerIterator {
                stream: list_all_stream(&self.core, py, size, options)?,
            })
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<vivamo.AsyncCustomers of {}>",
            self.core.repr("AsyncClient")
        )
    }
}

/// The async iterator of `AsyncClient.customers.list_all()`.
#[pyclass(frozen, module = "vivamo")]
pub struct AsyncCustomerIterator {
    stream: Arc<tokio::sync::Mutex<Option<CustomerStream>>>,
}

#[pymethods]
impl AsyncCustomerIterator {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stream = self.stream.clone();
        awaitable(py, async move {
            match next_customer(&stream).await? {
                Some(customer) => Ok(Customer::from(customer)),
                None => Err(Fail::StopAsync),
            }
        })
    }
}
