//! The native client: one `vivamo::Client` per `Vivamo` instance, its customer operations,
//! and the cursor behind `customers.listAll`.

use std::sync::Arc;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::{FutureExt, StreamExt};
use napi::bindgen_prelude::AsyncBlock;
use napi::Env;
use napi_derive::napi;

use crate::errors::{guard, js_error, Failure};
use crate::models::{
    CreateCustomerRequest, Created, Customer, CustomerFields, Ensured, ListAllOptions, ListOptions,
    Page, VivamoOptions,
};
use crate::promise::promise;

/// The native half of `Vivamo`; `index.js` wraps it (use `new Vivamo(options)`).
#[napi]
pub struct NativeVivamo {
    pub(crate) client: vivamo::Client,
}

/// A duration option in milliseconds: a finite number above zero.
fn millis(name: &str, value: Option<f64>) -> napi::Result<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(Duration::from_secs_f64(ms / 1000.0))),
        Some(ms) => Err(Failure::config(format!(
            "{name} must be a number of milliseconds above 0, got {ms}"
        ))
        .into()),
    }
}

/// A whole number option, at least `min`.
fn whole(name: &str, value: f64, min: f64) -> napi::Result<u64> {
    if value.is_finite() && value.fract() == 0.0 && value >= min && value <= 2f64.powi(53) {
        Ok(value as u64)
    } else {
        Err(Failure::new(
            if name == "maxRetries" {
                "config"
            } else {
                "validation"
            },
            format!("{name} must be a whole number of at least {min}, got {value}"),
        )
        .into())
    }
}

fn build(options: VivamoOptions) -> napi::Result<vivamo::Client> {
    let mut builder = vivamo::Client::builder().user_agent(format!(
        "vivamo-node/{} (vivamo-rust/{})",
        env!("CARGO_PKG_VERSION"),
        vivamo::VERSION
    ));
    if let Some(key) = options.api_key {
        builder = builder.api_key(key);
    }
    if let Some(name) = options.environment {
        let environment = name.parse::<vivamo::Environment>().map_err(|_| {
            Failure::config(format!(
                "environment {name:?} is not an environment: use \"production\" or \"sandbox\""
            ))
        })?;
        builder = builder.environment(environment);
    }
    if let Some(url) = options.base_url {
        builder = builder.base_url(url);
    }
    if let Some(timeout) = millis("timeoutMs", options.timeout_ms)? {
        builder = builder.timeout(timeout);
    }
    if let Some(deadline) = millis("deadlineMs", options.deadline_ms)? {
        builder = builder.deadline(deadline);
    }
    if let Some(retries) = options.max_retries {
        let retries = whole("maxRetries", retries, 0.0)?;
        builder = builder.max_retries(u32::try_from(retries).unwrap_or(u32::MAX));
    }
    if let Some(validation) = options.validation {
        builder = builder.validation(validation.parse().map_err(js_error)?);
    }
    // What was not given comes from VIVAMO_API_KEY, VIVAMO_ENVIRONMENT and VIVAMO_BASE_URL, as
    // in the Rust and Python SDKs.
    builder
        .from_env()
        .map_err(js_error)?
        .build()
        .map_err(js_error)
}

#[napi]
impl NativeVivamo {
    /// Builds the client; throws a `config` error for a missing or unusable key, an unknown
    /// environment or validation setting, or a base URL the key may not be sent to.
    #[napi(constructor)]
    pub fn new(options: Option<VivamoOptions>) -> napi::Result<Self> {
        guard(|| {
            let client = build(options.unwrap_or_default())?;
            Ok(NativeVivamo { client })
        })
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// The environment whose rules apply: `production` or `sandbox`.
    #[napi(getter)]
    pub fn environment(&self) -> String {
        self.client.environment().to_string()
    }

    /// The client-side validation setting: `strict`, `warn` or `off`.
    #[napi(getter)]
    pub fn validation(&self) -> String {
        self.client.validation().as_str().to_string()
    }

    /// Creates a customer, exactly once.
    #[napi]
    pub fn create(
        &self,
        env: Env,
        request: CreateCustomerRequest,
    ) -> napi::Result<AsyncBlock<Created>> {
        let client = self.client.clone();
        promise(&env, async move {
            let created = client.customers().create(request.into()).await;
            created.map(Into::into).map_err(js_error)
        })
    }

    /// Creates the customer, or returns the existing one with the same id and email.
    #[napi]
    pub fn ensure(
        &self,
        env: Env,
        request: CreateCustomerRequest,
    ) -> napi::Result<AsyncBlock<Ensured>> {
        let client = self.client.clone();
        promise(&env, async move {
            let ensured = client.customers().ensure(request.into()).await;
            ensured.map(Into::into).map_err(js_error)
        })
    }

    /// Fetches a customer by your identifier.
    #[napi]
    pub fn get(
        &self,
        env: Env,
        external_customer_id: String,
    ) -> napi::Result<AsyncBlock<Customer>> {
        let client = self.client.clone();
        promise(&env, async move {
            let customer = client.customers().get(&external_customer_id).await;
            customer.map(Into::into).map_err(js_error)
        })
    }

    /// Changes the given fields of a customer and returns the updated record.
    #[napi]
    pub fn update(
        &self,
        env: Env,
        external_customer_id: String,
        data: CustomerFields,
    ) -> napi::Result<AsyncBlock<Customer>> {
        let client = self.client.clone();
        promise(&env, async move {
            let update = vivamo::CustomerUpdate { data: data.into() };
            let customer = client
                .customers()
                .update(&external_customer_id, update)
                .await;
            customer.map(Into::into).map_err(js_error)
        })
    }

    /// One page of customers.
    #[napi]
    pub fn list(&self, env: Env, options: Option<ListOptions>) -> napi::Result<AsyncBlock<Page>> {
        let client = self.client.clone();
        promise(&env, async move {
            let options = options.unwrap_or_default();
            let mut request = client.customers().list();
            if let Some(page) = options.page {
                request = request.page(whole("page", page, 1.0)?);
            }
            if let Some(size) = options.size {
                request = request.size(whole("size", size, 1.0)?);
            }
            request.send().await.map(Into::into).map_err(js_error)
        })
    }

    /// A cursor over every customer; `index.js` turns it into an async iterator.
    #[napi]
    pub fn list_all(&self, options: Option<ListAllOptions>) -> napi::Result<CustomerCursor> {
        guard(|| {
            let mut list_all = self.client.customers().list_all();
            if let Some(size) = options.and_then(|o| o.size) {
                list_all = list_all.size(whole("size", size, 1.0)?);
            }
            Ok(CustomerCursor {
                state: Arc::new(tokio::sync::Mutex::new(CursorState {
                    stream: list_all.stream().boxed(),
                    pending: None,
                })),
            })
        })
    }

    /// Fails inside the native layer on purpose, so the tests can prove that a Rust panic
    /// becomes a rejected promise (a `VivamoError`) and not a crashed process.
    #[napi(js_name = "__panicForTests")]
    pub fn panic_for_tests(&self, env: Env) -> napi::Result<AsyncBlock<()>> {
        promise(&env, async {
            tokio::task::yield_now().await;
            panic!("deliberate panic requested by the test suite")
        })
    }
}

struct CursorState {
    stream: BoxStream<'static, vivamo::Result<vivamo::Customer>>,
    /// An error met after some customers of a batch were ready: reported by the next call.
    pending: Option<vivamo::Error>,
}

/// Walks every customer a page at a time (the native half of `customers.listAll`).
#[napi]
pub struct CustomerCursor {
    state: Arc<tokio::sync::Mutex<CursorState>>,
}

#[napi]
impl CustomerCursor {
    /// The next customers (the rest of the current page); an empty array once every
    /// customer has been returned.
    #[napi]
    pub fn next_batch(&self, env: Env) -> napi::Result<AsyncBlock<Vec<Customer>>> {
        let state = Arc::clone(&self.state);
        promise(&env, async move {
            let mut state = state.lock().await;
            if let Some(e) = state.pending.take() {
                return Err(js_error(e));
            }
            let mut batch = Vec::new();
            match state.stream.next().await {
                None => return Ok(batch),
                Some(item) => batch.push(item.map_err(js_error)?.into()),
            }
            // The rest of the page is already in memory: take it without waiting.
            while let Some(Some(item)) = state.stream.next().now_or_never() {
                match item {
                    Ok(customer) => batch.push(customer.into()),
                    Err(e) => {
                        state.pending = Some(e);
                        break;
                    }
                }
            }
            Ok(batch)
        })
    }
}
