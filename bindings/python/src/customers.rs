//! `client.customers` and `aclient.customers`: every operation written once (an `async fn`
//! over the SDK client and the call's options), run by `Customers` on the shared runtime with
//! the GIL released and by `AsyncCustomers` as an asyncio awaitable; and the `list_all`
//! iterators.
//!
//! Every method takes the keyword-only call options `timeout=`, `deadline=`, `max_retries=`
//! and `extra_headers=` (see [`CallOptions`]), and every result carries `_request_id`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use pyo3::prelude::*;
use vivamo::rules::CustomerData;
use vivamo::{CustomerUpdate, KycType, NewCustomer, RequestOptions};

use crate::client::{awaitable, block, Core, Fail};
use crate::convert::{apply_fields, customer_data};
use crate::errors::guard;
use crate::kyc::KycInfo;
use crate::models::{from_response, CreatedCustomer, Customer, CustomerPage, EnsuredCustomer};
use crate::options::CallOptions;

type CustomerStream = Pin<Box<dyn Stream<Item = vivamo::Result<vivamo::Customer>> + Send>>;
pub(crate) type Headers = Option<HashMap<String, String>>;

/// Runs `call` (given the SDK client and the call's options) as a blocking call.
fn run<T, F, Fut>(core: &Core, py: Python<'_>, options: CallOptions, call: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(vivamo::Client, RequestOptions) -> Fut,
    Fut: Future<Output = vivamo::Result<T>> + Send,
{
    guard(py, || {
        let options = RequestOptions::try_from(options)?;
        let sdk = core.sdk(py)?;
        block(py, call(sdk, options))
    })
}

/// Runs `call` (given the SDK client and the call's options) as an asyncio awaitable.
fn run_async<'py, T, F, Fut>(
    core: &Core,
    py: Python<'py>,
    options: CallOptions,
    call: F,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: FnOnce(vivamo::Client, RequestOptions) -> Fut,
    Fut: Future<Output = vivamo::Result<T>> + Send + 'static,
{
    guard(py, || {
        let options = RequestOptions::try_from(options)?;
        let sdk = core.sdk(py)?;
        let fut = call(sdk, options);
        awaitable(py, async move { Ok::<T, Fail>(fut.await?) })
    })
}

pub(crate) fn call_options(
    timeout: Option<f64>,
    deadline: Option<f64>,
    max_retries: Option<i64>,
    extra_headers: Headers,
) -> CallOptions {
    CallOptions {
        timeout,
        deadline,
        max_retries,
        extra_headers,
    }
}

// The operations, once for both clients.

async fn create(
    c: vivamo::Client,
    o: RequestOptions,
    new: NewCustomer,
) -> vivamo::Result<CreatedCustomer> {
    let r = c.customers().create(new).options(o).with_response().await?;
    Ok(from_response(r, CreatedCustomer))
}

async fn ensure(
    c: vivamo::Client,
    o: RequestOptions,
    new: NewCustomer,
) -> vivamo::Result<EnsuredCustomer> {
    let r = c.customers().ensure(new).options(o).with_response().await?;
    Ok(from_response(r, EnsuredCustomer))
}

async fn get(c: vivamo::Client, o: RequestOptions, id: String) -> vivamo::Result<Customer> {
    let r = c.customers().get(id).options(o).with_response().await?;
    Ok(from_response(r, Customer))
}

async fn update(
    c: vivamo::Client,
    o: RequestOptions,
    id: String,
    update: CustomerUpdate,
) -> vivamo::Result<Customer> {
    let r = c
        .customers()
        .update(id, update)
        .options(o)
        .with_response()
        .await?;
    Ok(from_response(r, Customer))
}

async fn list(
    c: vivamo::Client,
    o: RequestOptions,
    page: i64,
    size: i64,
) -> vivamo::Result<CustomerPage> {
    let r = c
        .customers()
        .list()
        .page(count(page))
        .size(count(size))
        .options(o)
        .with_response()
        .await?;
    Ok(from_response(r, CustomerPage))
}

async fn kyc_info(c: vivamo::Client, o: RequestOptions, id: String) -> vivamo::Result<KycInfo> {
    let r = c
        .customers()
        .kyc_info(id)
        .options(o)
        .with_response()
        .await?;
    Ok(from_response(r, KycInfo))
}

async fn kyc_for_review(c: vivamo::Client, o: RequestOptions) -> vivamo::Result<Vec<Customer>> {
    let queue = c.customers().kyc_for_review().options(o).await?;
    Ok(queue.into_iter().map(Customer::from).collect())
}

async fn decide_kyc(
    c: vivamo::Client,
    o: RequestOptions,
    id: String,
    kind: KycType,
    approve: bool,
) -> vivamo::Result<String> {
    let customers = c.customers();
    if approve {
        customers.approve_kyc(id, kind).options(o).await
    } else {
        customers.reject_kyc(id, kind).options(o).await
    }
}

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

fn new_customer(
    external_customer_id: String,
    data: &Bound<'_, PyAny>,
    verify_after_creation: bool,
) -> PyResult<NewCustomer> {
    Ok(NewCustomer {
        external_customer_id,
        verify_after_creation,
        data: customer_data(Some(data))?,
    })
}

fn customer_update(
    data: Option<&Bound<'_, PyAny>>,
    fields: Vec<(&'static str, Option<String>)>,
) -> PyResult<CustomerUpdate> {
    let mut changes: CustomerData = customer_data(data)?;
    apply_fields(&mut changes, fields);
    Ok(CustomerUpdate { data: changes })
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl Customers {
    /// `update` once its arguments are read: the keyword arguments, one per field, are
    /// declared in generated.rs from openapi.yaml.
    pub(crate) fn update_fields(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        data: Option<&Bound<'_, PyAny>>,
        fields: Vec<(&'static str, Option<String>)>,
        options: CallOptions,
    ) -> PyResult<Customer> {
        let changes = guard(py, || customer_update(data, fields))?;
        run(&self.core, py, options, |c, o| {
            update(c, o, external_customer_id, changes)
        })
    }
}

impl AsyncCustomers {
    /// As [`Customers::update_fields`], as an awaitable.
    pub(crate) fn update_fields<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        data: Option<&Bound<'_, PyAny>>,
        fields: Vec<(&'static str, Option<String>)>,
        options: CallOptions,
    ) -> PyResult<Bound<'py, PyAny>> {
        let changes = guard(py, || customer_update(data, fields))?;
        run_async(&self.core, py, options, |c, o| {
            update(c, o, external_customer_id, changes)
        })
    }
}

/// `client.customers`: create, ensure, get, update, list, list_all and the KYC operations.
#[pyclass(frozen, module = "vivamo")]
pub struct Customers {
    pub(crate) core: Arc<Core>,
}

#[pymethods]
impl Customers {
    /// Creates a customer, exactly once.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<CreatedCustomer> {
        let new = guard(py, || {
            new_customer(external_customer_id, data, verify_after_creation)
        })?;
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run(&self.core, py, options, |c, o| create(c, o, new))
    }

    /// Creates the customer, or returns the existing one with the same email.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn ensure(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<EnsuredCustomer> {
        let new = guard(py, || {
            new_customer(external_customer_id, data, verify_after_creation)
        })?;
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run(&self.core, py, options, |c, o| ensure(c, o, new))
    }

    /// Fetches a customer by your identifier.
    #[pyo3(signature = (external_customer_id, *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn get(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Customer> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run(&self.core, py, options, |c, o| {
            get(c, o, external_customer_id)
        })
    }

    /// One page of customers.
    #[pyo3(signature = (*, page = 1, size = 10, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn list(
        &self,
        py: Python<'_>,
        page: i64,
        size: i64,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<CustomerPage> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run(&self.core, py, options, |c, o| list(c, o, page, size))
    }

    /// Every customer, page after page, as an iterator (the options apply to each page).
    #[pyo3(signature = (*, size = 100, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn list_all(
        &self,
        py: Python<'_>,
        size: i64,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<CustomerIterator> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        guard(py, || {
            Ok(CustomerIterator {
                stream: list_all_stream(&self.core, py, size, options)?,
            })
        })
    }

    /// The customer's KYC verification, starting one (pending, with a widget secret) if none.
    #[pyo3(signature = (external_customer_id, *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn kyc_info(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<KycInfo> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run(&self.core, py, options, |c, o| {
            kyc_info(c, o, external_customer_id)
        })
    }

    /// The customers whose KYC submission awaits your decision, in creation order.
    #[pyo3(signature = (*, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn kyc_for_review(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Vec<Customer>> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run(&self.core, py, options, kyc_for_review)
    }

    /// Approves a verification under review; returns Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id", *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn approve_kyc(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        r#type: &str,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<String> {
        let (kind, options) = (
            KycType::from(r#type),
            call_options(timeout, deadline, max_retries, extra_headers),
        );
        run(&self.core, py, options, |c, o| {
            decide_kyc(c, o, external_customer_id, kind, true)
        })
    }

    /// Rejects a verification under review; returns Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id", *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn reject_kyc(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        r#type: &str,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<String> {
        let (kind, options) = (
            KycType::from(r#type),
            call_options(timeout, deadline, max_retries, extra_headers),
        );
        run(&self.core, py, options, |c, o| {
            decide_kyc(c, o, external_customer_id, kind, false)
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
    /// Creates a customer, exactly once.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn create<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let new = guard(py, || {
            new_customer(external_customer_id, data, verify_after_creation)
        })?;
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run_async(&self.core, py, options, |c, o| create(c, o, new))
    }

    /// Creates the customer, or returns the existing one with the same email.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn ensure<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let new = guard(py, || {
            new_customer(external_customer_id, data, verify_after_creation)
        })?;
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run_async(&self.core, py, options, |c, o| ensure(c, o, new))
    }

    /// Fetches a customer by your identifier.
    #[pyo3(signature = (external_customer_id, *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run_async(&self.core, py, options, |c, o| {
            get(c, o, external_customer_id)
        })
    }

    /// One page of customers.
    #[pyo3(signature = (*, page = 1, size = 10, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn list<'py>(
        &self,
        py: Python<'py>,
        page: i64,
        size: i64,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run_async(&self.core, py, options, |c, o| list(c, o, page, size))
    }

    /// Every customer, page after page, as an async iterator (the options apply to each
    /// page).
    #[pyo3(signature = (*, size = 100, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn list_all(
        &self,
        py: Python<'_>,
        size: i64,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<AsyncCustomerIterator> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        guard(py, || {
            Ok(AsyncCustomerIterator {
                stream: list_all_stream(&self.core, py, size, options)?,
            })
        })
    }

    /// The customer's KYC verification, starting one (pending, with a widget secret) if none.
    #[pyo3(signature = (external_customer_id, *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn kyc_info<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run_async(&self.core, py, options, |c, o| {
            kyc_info(c, o, external_customer_id)
        })
    }

    /// The customers whose KYC submission awaits your decision, in creation order.
    #[pyo3(signature = (*, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    fn kyc_for_review<'py>(
        &self,
        py: Python<'py>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = call_options(timeout, deadline, max_retries, extra_headers);
        run_async(&self.core, py, options, kyc_for_review)
    }

    /// Approves a verification under review; resolves to Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id", *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn approve_kyc<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        r#type: &str,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (kind, options) = (
            KycType::from(r#type),
            call_options(timeout, deadline, max_retries, extra_headers),
        );
        run_async(&self.core, py, options, |c, o| {
            decide_kyc(c, o, external_customer_id, kind, true)
        })
    }

    /// Rejects a verification under review; resolves to Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id", *, timeout = None, deadline = None, max_retries = None, extra_headers = None))]
    #[allow(clippy::too_many_arguments)]
    fn reject_kyc<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        r#type: &str,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        extra_headers: Headers,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (kind, options) = (
            KycType::from(r#type),
            call_options(timeout, deadline, max_retries, extra_headers),
        );
        run_async(&self.core, py, options, |c, o| {
            decide_kyc(c, o, external_customer_id, kind, false)
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
