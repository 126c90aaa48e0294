//! `Client` and `AsyncClient`, their `customers` namespaces and the `list_all` iterators.
//!
//! Every call takes the SDK client (rebuilt once in a forked child), runs the SDK future on
//! the shared runtime — with the GIL released for `Client`, as an asyncio awaitable for
//! `AsyncClient` — and converts the result or error.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{FutureExt, Stream, StreamExt};
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use vivamo::rules::CustomerData;
use vivamo::{ClientBuilder, CustomerUpdate, NewCustomer, Validation};

use crate::convert::{apply_fields, customer_data, environment};
use crate::errors::{config_error, guard, panic_error, to_py_err};
use crate::exit;
use crate::kyc::KycInfo;
use crate::models::{CreatedCustomer, Customer, CustomerPage, EnsuredCustomer};
use crate::runtime::{block_on, VivamoRuntime};

type CustomerStream = Pin<Box<dyn Stream<Item = vivamo::Result<vivamo::Customer>> + Send>>;

/// What both clients share: the options, and the SDK client of the current process.
struct Core {
    builder: ClientBuilder,
    environment: &'static str,
    base_url: String,
    validation: &'static str,
    /// The SDK client and the pid it was built in; `None` once closed.
    sdk: Mutex<Option<(u32, vivamo::Client)>>,
}

impl Core {
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        environment_name: Option<&str>,
        base_url: Option<String>,
        timeout: f64,
        deadline: f64,
        max_retries: i64,
        validation: Option<&str>,
    ) -> PyResult<Arc<Core>> {
        let seconds = |name: &str, value: f64| {
            if value.is_finite() && value > 0.0 && value < 1e9 {
                Ok(Duration::from_secs_f64(value))
            } else {
                Err(config_error(
                    py,
                    format!("{name}={value} must be a positive number of seconds"),
                ))
            }
        };
        let mut builder = vivamo::Client::builder()
            .timeout(seconds("timeout", timeout)?)
            .deadline(seconds("deadline", deadline)?)
            .max_retries(u32::try_from(max_retries).map_err(|_| {
                config_error(
                    py,
                    format!("max_retries={max_retries} must be a whole number from 0 up"),
                )
            })?)
            .user_agent(format!(
                "vivamo-python/{} (Python SDK over vivamo-rust)",
                vivamo::VERSION
            ));
        if let Some(key) = api_key {
            builder = builder.api_key(key);
        }
        if let Some(name) = environment_name {
            builder = builder.environment(environment(py, name)?);
        }
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        if let Some(v) = validation {
            builder = builder.validation(v.parse::<Validation>().map_err(|e| to_py_err(py, &e))?);
        }
        let builder = builder.from_env().map_err(|e| to_py_err(py, &e))?;
        let sdk = builder.clone().build().map_err(|e| to_py_err(py, &e))?;
        Ok(Arc::new(Core {
            builder,
            environment: sdk.environment().as_str(),
            base_url: sdk.base_url().to_string(),
            validation: sdk.validation().as_str(),
            sdk: Mutex::new(Some((std::process::id(), sdk))),
        }))
    }

    /// The SDK client for this process: a forked child builds its own (the parent's holds
    /// connections of the parent's runtime), once.
    fn sdk(&self, py: Python<'_>) -> PyResult<vivamo::Client> {
        let pid = std::process::id();
        let mut slot = self.sdk.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_mut() {
            None => Err(config_error(
                py,
                "this client is closed: create a new vivamo client",
            )),
            Some((owner, client)) if *owner == pid => Ok(client.clone()),
            Some(entry) => {
                let fresh = self
                    .builder
                    .clone()
                    .build()
                    .map_err(|e| to_py_err(py, &e))?;
                let (_, inherited) = std::mem::replace(entry, (pid, fresh.clone()));
                std::mem::forget(inherited);
                Ok(fresh)
            }
        }
    }

    fn close(&self) {
        let taken = self.sdk.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((owner, client)) = taken {
            if owner == std::process::id() {
                drop(client);
            } else {
                std::mem::forget(client);
            }
        }
    }

    fn repr(&self, class: &str) -> String {
        let closed = self.sdk.lock().map(|s| s.is_none()).unwrap_or(false);
        format!(
            "vivamo.{class}(environment='{}', base_url='{}', validation='{}'{})",
            self.environment,
            self.base_url,
            self.validation,
            if closed { ", closed=True" } else { "" }
        )
    }
}

/// Runs an SDK future to completion on the shared runtime with the GIL released.
fn block<T: Send>(
    py: Python<'_>,
    fut: impl Future<Output = vivamo::Result<T>> + Send,
) -> PyResult<T> {
    // The pass is held until the result is converted (see `crate::exit`).
    let (outcome, _pass) = block_on(py, AssertUnwindSafe(fut).catch_unwind())?;
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(to_py_err(py, &e)),
        Err(payload) => Err(panic_error(py, payload)),
    }
}

/// Why an async call ended without a value.
enum Fail {
    Sdk(vivamo::Error),
    StopAsync,
}

impl From<vivamo::Error> for Fail {
    fn from(e: vivamo::Error) -> Self {
        Fail::Sdk(e)
    }
}

/// Wraps an SDK future as an asyncio awaitable running on the shared runtime.
fn awaitable<'py, T>(
    py: Python<'py>,
    fut: impl Future<Output = Result<T, Fail>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    exit::ensure_open(py)?;
    pyo3_async_runtimes::generic::future_into_py::<VivamoRuntime, _, T>(py, async move {
        match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(Fail::Sdk(e))) => Err(exit::attach_err(|py| to_py_err(py, &e))),
            Ok(Err(Fail::StopAsync)) => Err(PyStopAsyncIteration::new_err(())),
            Err(payload) => Err(exit::attach_err(|py| panic_error(py, payload))),
        }
    })
}

fn new_customer(
    external_customer_id: String,
    data: Option<&Bound<'_, PyAny>>,
    verify_after_creation: bool,
) -> PyResult<NewCustomer> {
    Ok(NewCustomer {
        external_customer_id,
        verify_after_creation,
        data: customer_data(data)?,
    })
}

#[allow(clippy::too_many_arguments)]
fn customer_update(
    data: Option<&Bound<'_, PyAny>>,
    email: Option<String>,
    phone: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    street: Option<String>,
    street2: Option<String>,
    state: Option<String>,
    city: Option<String>,
    zip: Option<String>,
    country: Option<String>,
) -> PyResult<CustomerUpdate> {
    let mut fields: CustomerData = customer_data(data)?;
    apply_fields(
        &mut fields,
        [
            ("email", email),
            ("phone", phone),
            ("first_name", first_name),
            ("last_name", last_name),
            ("street", street),
            ("street2", street2),
            ("state", state),
            ("city", city),
            ("zip", zip),
            ("country", country),
        ],
    );
    Ok(CustomerUpdate { data: fields })
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// The synchronous client. Every call releases the GIL while it waits.
#[pyclass(frozen, module = "vivamo")]
pub struct Client {
    core: Arc<Core>,
    customers: Py<Customers>,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (api_key = None, environment = None, base_url = None, timeout = 30.0, deadline = 60.0, max_retries = 2, validation = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        environment: Option<&str>,
        base_url: Option<String>,
        timeout: f64,
        deadline: f64,
        max_retries: i64,
        validation: Option<&str>,
    ) -> PyResult<Self> {
        guard(py, || {
            let core = Core::new(
                py,
                api_key,
                environment,
                base_url,
                timeout,
                deadline,
                max_retries,
                validation,
            )?;
            let customers = Py::new(py, Customers { core: core.clone() })?;
            Ok(Client { core, customers })
        })
    }

    /// The customer operations.
    #[getter]
    fn customers(&self, py: Python<'_>) -> Py<Customers> {
        self.customers.clone_ref(py)
    }

    /// `"production"` or `"sandbox"`.
    #[getter]
    fn environment(&self) -> &'static str {
        self.core.environment
    }

    /// The API base URL in use.
    #[getter]
    fn base_url(&self) -> &str {
        &self.core.base_url
    }

    /// `"strict"`, `"warn"` or `"off"`.
    #[getter]
    fn validation(&self) -> &'static str {
        self.core.validation
    }

    /// Closes the connections; later calls raise `ConfigError`.
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.core.close());
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        self.core.repr("Client")
    }
}

/// `client.customers`: create, ensure, get, update, list and list_all.
#[pyclass(frozen, module = "vivamo")]
pub struct Customers {
    core: Arc<Core>,
}

#[pymethods]
impl Customers {
    /// Creates a customer, exactly once.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false))]
    fn create(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
    ) -> PyResult<CreatedCustomer> {
        guard(py, || {
            let new = new_customer(external_customer_id, Some(data), verify_after_creation)?;
            let sdk = self.core.sdk(py)?;
            block(py, async move { sdk.customers().create(new).await }).map(CreatedCustomer)
        })
    }

    /// Creates the customer, or returns the existing one with the same email.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false))]
    fn ensure(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
    ) -> PyResult<EnsuredCustomer> {
        guard(py, || {
            let new = new_customer(external_customer_id, Some(data), verify_after_creation)?;
            let sdk = self.core.sdk(py)?;
            block(py, async move { sdk.customers().ensure(new).await }).map(EnsuredCustomer)
        })
    }

    /// Fetches a customer by your identifier.
    fn get(&self, py: Python<'_>, external_customer_id: String) -> PyResult<Customer> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            block(py, async move {
                sdk.customers().get(&external_customer_id).await
            })
            .map(Customer)
        })
    }

    /// Changes the given fields (from `data=` and/or keyword arguments).
    #[pyo3(signature = (external_customer_id, data = None, *, email = None, phone = None, first_name = None, last_name = None, street = None, street2 = None, state = None, city = None, zip = None, country = None))]
    #[allow(clippy::too_many_arguments)]
    fn update(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        data: Option<&Bound<'_, PyAny>>,
        email: Option<String>,
        phone: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        street: Option<String>,
        street2: Option<String>,
        state: Option<String>,
        city: Option<String>,
        zip: Option<String>,
        country: Option<String>,
    ) -> PyResult<Customer> {
        guard(py, || {
            let update = customer_update(
                data, email, phone, first_name, last_name, street, street2, state, city, zip,
                country,
            )?;
            let sdk = self.core.sdk(py)?;
            block(py, async move {
                sdk.customers().update(&external_customer_id, update).await
            })
            .map(Customer)
        })
    }

    /// One page of customers.
    #[pyo3(signature = (*, page = 1, size = 10))]
    fn list(&self, py: Python<'_>, page: i64, size: i64) -> PyResult<CustomerPage> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            block(py, async move {
                sdk.customers()
                    .list()
                    .page(count(page))
                    .size(count(size))
                    .send()
                    .await
            })
            .map(CustomerPage)
        })
    }

    /// Every customer, page after page, as an iterator.
    #[pyo3(signature = (*, size = 100))]
    fn list_all(&self, py: Python<'_>, size: i64) -> PyResult<CustomerIterator> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            let stream: CustomerStream =
                Box::pin(sdk.customers().list_all().size(count(size)).stream());
            Ok(CustomerIterator {
                stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
            })
        })
    }

    /// The customer's KYC verification, starting one (pending, with a widget secret) if none.
    fn kyc_info(&self, py: Python<'_>, external_customer_id: String) -> PyResult<KycInfo> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            block(py, async move {
                sdk.customers().kyc_info(&external_customer_id).await
            })
            .map(KycInfo)
        })
    }

    /// The customers whose KYC submission awaits your decision, in creation order.
    fn kyc_for_review(&self, py: Python<'_>) -> PyResult<Vec<Customer>> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            block(py, async move { sdk.customers().kyc_for_review().await })
                .map(|q| q.into_iter().map(Customer).collect())
        })
    }

    /// Approves a verification under review; returns Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id"))]
    fn approve_kyc(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        r#type: &str,
    ) -> PyResult<String> {
        guard(py, || {
            let (sdk, kind) = (self.core.sdk(py)?, vivamo::KycType::from(r#type));
            block(py, async move {
                sdk.customers()
                    .approve_kyc(&external_customer_id, kind)
                    .await
            })
        })
    }

    /// Rejects a verification under review; returns Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id"))]
    fn reject_kyc(
        &self,
        py: Python<'_>,
        external_customer_id: String,
        r#type: &str,
    ) -> PyResult<String> {
        guard(py, || {
            let (sdk, kind) = (self.core.sdk(py)?, vivamo::KycType::from(r#type));
            block(py, async move {
                sdk.customers()
                    .reject_kyc(&external_customer_id, kind)
                    .await
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
            block(py, async move { next_customer(&stream).await }).map(|c| c.map(Customer))
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

/// The asyncio client: every call returns an awaitable; `async with` closes it.
#[pyclass(frozen, module = "vivamo")]
pub struct AsyncClient {
    core: Arc<Core>,
    customers: Py<AsyncCustomers>,
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (api_key = None, environment = None, base_url = None, timeout = 30.0, deadline = 60.0, max_retries = 2, validation = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        environment: Option<&str>,
        base_url: Option<String>,
        timeout: f64,
        deadline: f64,
        max_retries: i64,
        validation: Option<&str>,
    ) -> PyResult<Self> {
        guard(py, || {
            let core = Core::new(
                py,
                api_key,
                environment,
                base_url,
                timeout,
                deadline,
                max_retries,
                validation,
            )?;
            let customers = Py::new(py, AsyncCustomers { core: core.clone() })?;
            Ok(AsyncClient { core, customers })
        })
    }

    /// The customer operations (awaitables).
    #[getter]
    fn customers(&self, py: Python<'_>) -> Py<AsyncCustomers> {
        self.customers.clone_ref(py)
    }

    /// `"production"` or `"sandbox"`.
    #[getter]
    fn environment(&self) -> &'static str {
        self.core.environment
    }

    /// The API base URL in use.
    #[getter]
    fn base_url(&self) -> &str {
        &self.core.base_url
    }

    /// `"strict"`, `"warn"` or `"off"`.
    #[getter]
    fn validation(&self) -> &'static str {
        self.core.validation
    }

    /// Closes the connections; later calls raise `ConfigError`.
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.core.close());
    }

    /// Closes the connections (awaitable form of `close`).
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.close(py);
        awaitable(py, async { Ok::<_, Fail>(()) })
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, async move { Ok::<_, Fail>(slf) })
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _args: &Bound<'_, pyo3::types::PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.close(py);
        awaitable(py, async { Ok::<_, Fail>(false) })
    }

    fn __repr__(&self) -> String {
        self.core.repr("AsyncClient")
    }
}

/// `aclient.customers`: the same operations as `Client.customers`, as awaitables.
#[pyclass(frozen, module = "vivamo")]
pub struct AsyncCustomers {
    core: Arc<Core>,
}

#[pymethods]
impl AsyncCustomers {
    /// Creates a customer, exactly once.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false))]
    fn create<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let new = new_customer(external_customer_id, Some(data), verify_after_creation)?;
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                Ok(CreatedCustomer(sdk.customers().create(new).await?))
            })
        })
    }

    /// Creates the customer, or returns the existing one with the same email.
    #[pyo3(signature = (external_customer_id, data, *, verify_after_creation = false))]
    fn ensure<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        data: &Bound<'_, PyAny>,
        verify_after_creation: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let new = new_customer(external_customer_id, Some(data), verify_after_creation)?;
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                Ok(EnsuredCustomer(sdk.customers().ensure(new).await?))
            })
        })
    }

    /// Fetches a customer by your identifier.
    fn get<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                Ok(Customer(sdk.customers().get(&external_customer_id).await?))
            })
        })
    }

    /// Changes the given fields (from `data=` and/or keyword arguments).
    #[pyo3(signature = (external_customer_id, data = None, *, email = None, phone = None, first_name = None, last_name = None, street = None, street2 = None, state = None, city = None, zip = None, country = None))]
    #[allow(clippy::too_many_arguments)]
    fn update<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        data: Option<&Bound<'_, PyAny>>,
        email: Option<String>,
        phone: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        street: Option<String>,
        street2: Option<String>,
        state: Option<String>,
        city: Option<String>,
        zip: Option<String>,
        country: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let update = customer_update(
                data, email, phone, first_name, last_name, street, street2, state, city, zip,
                country,
            )?;
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                Ok(Customer(
                    sdk.customers()
                        .update(&external_customer_id, update)
                        .await?,
                ))
            })
        })
    }

    /// One page of customers.
    #[pyo3(signature = (*, page = 1, size = 10))]
    fn list<'py>(&self, py: Python<'py>, page: i64, size: i64) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                Ok(CustomerPage(
                    sdk.customers()
                        .list()
                        .page(count(page))
                        .size(count(size))
                        .send()
                        .await?,
                ))
            })
        })
    }

    /// Every customer, page after page, as an async iterator.
    #[pyo3(signature = (*, size = 100))]
    fn list_all(&self, py: Python<'_>, size: i64) -> PyResult<AsyncCustomerIterator> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            let stream: CustomerStream =
                Box::pin(sdk.customers().list_all().size(count(size)).stream());
            Ok(AsyncCustomerIterator {
                stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
            })
        })
    }

    /// The customer's KYC verification, starting one (pending, with a widget secret) if none.
    fn kyc_info<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                Ok(KycInfo(
                    sdk.customers().kyc_info(&external_customer_id).await?,
                ))
            })
        })
    }

    /// The customers whose KYC submission awaits your decision, in creation order.
    fn kyc_for_review<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let sdk = self.core.sdk(py)?;
            awaitable(py, async move {
                let queue = sdk.customers().kyc_for_review().await?;
                Ok(queue.into_iter().map(Customer).collect::<Vec<_>>())
            })
        })
    }

    /// Approves a verification under review; resolves to Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id"))]
    fn approve_kyc<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        r#type: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let (sdk, kind) = (self.core.sdk(py)?, vivamo::KycType::from(r#type));
            awaitable(py, async move {
                Ok(sdk
                    .customers()
                    .approve_kyc(&external_customer_id, kind)
                    .await?)
            })
        })
    }

    /// Rejects a verification under review; resolves to Vivamo's message.
    #[pyo3(signature = (external_customer_id, r#type = "proof_of_id"))]
    fn reject_kyc<'py>(
        &self,
        py: Python<'py>,
        external_customer_id: String,
        r#type: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let (sdk, kind) = (self.core.sdk(py)?, vivamo::KycType::from(r#type));
            awaitable(py, async move {
                Ok(sdk
                    .customers()
                    .reject_kyc(&external_customer_id, kind)
                    .await?)
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
                Some(customer) => Ok(Customer(customer)),
                None => Err(Fail::StopAsync),
            }
        })
    }
}
