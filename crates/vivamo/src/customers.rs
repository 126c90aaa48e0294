//! The customer operations: create, ensure, get, update, list and list_all. Each builds its
//! request and model; the shared [`Transport`] sends it.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU64;
use std::sync::Arc;

use futures::{stream, Stream, StreamExt, TryStreamExt};
use vivamo_api::types;
use vivamo_rules::{self as rules, Code, Violation};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::log::LogLevel;
use crate::models::{Created, Customer, CustomerUpdate, Ensured, NewCustomer, Page};
use crate::options::RequestOptions;
use crate::request::request_builder;
use crate::response::Response;
use crate::transport::{Outcome, Transport};
use crate::validation::Validation;

/// The customer operations of a [`crate::Client`]: `client.customers()`.
#[derive(Clone, Copy, Debug)]
pub struct Customers<'a> {
    ctx: &'a Arc<Context>,
}

impl<'a> Customers<'a> {
    pub(crate) fn new(ctx: &'a Arc<Context>) -> Self {
        Customers { ctx }
    }

    pub(crate) fn transport(&self) -> &'a Transport {
        &self.ctx.transport
    }

    /// Creates a customer, exactly once.
    ///
    /// The customer is validated first (see [`Validation`]). Retried attempts that find the
    /// customer already there because an earlier attempt was applied (its response lost) are
    /// reconciled: when the stored customer has the same email, it is returned as created.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let created = client
    ///     .customers()
    ///     .create(vivamo::NewCustomer::new("user_123", "jane@example.com").phone("4155552671"))
    ///     .await?;
    /// for warning in &created.warnings {
    ///     eprintln!("warning: {warning}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, customer: NewCustomer) -> CreateCustomer<'a> {
        CreateCustomer {
            customers: *self,
            customer,
            options: RequestOptions::new(),
        }
    }

    /// Creates the customer, or returns the existing one when this `externalCustomerId`
    /// already holds the same email (`created: false`). A different email is still an error
    /// ([`ErrorKind::CustomerAlreadyExists`]).
    ///
    /// When a lost response leaves it unknown whether this call or an earlier one created the
    /// customer, `created` says whether the record's `createdAt` is after this call began.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let ensured = client.customers().ensure(vivamo::NewCustomer::new("user_123", "jane@example.com")).await?;
    /// println!("{} (new: {})", ensured.customer.external_customer_id, ensured.created);
    /// # Ok(()) }
    /// ```
    pub fn ensure(&self, customer: NewCustomer) -> EnsureCustomer<'a> {
        EnsureCustomer {
            customers: *self,
            customer,
            options: RequestOptions::new(),
        }
    }

    /// Fetches a customer by your identifier.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let customer = client.customers().get("user_123").await?;
    /// println!("{}", customer.data.email);
    /// // With a budget of its own, and the request id:
    /// let fetched = client
    ///     .customers()
    ///     .get("user_123")
    ///     .deadline(std::time::Duration::from_secs(2))
    ///     .with_response()
    ///     .await?;
    /// println!("{} (request {:?})", fetched.data.email, fetched.request_id());
    /// # Ok(()) }
    /// ```
    pub fn get(&self, external_customer_id: impl Into<String>) -> GetCustomer<'a> {
        GetCustomer {
            customers: *self,
            external_customer_id: external_customer_id.into(),
            options: RequestOptions::new(),
        }
    }

    /// Changes the given fields of a customer (the same rules as on create apply to them) and
    /// returns the updated record. Rule warnings go to the client's logs (level `warn`).
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let moved = client.customers().update("user_123", vivamo::CustomerUpdate::new().city("Boston")).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        external_customer_id: impl Into<String>,
        update: CustomerUpdate,
    ) -> UpdateCustomer<'a> {
        UpdateCustomer {
            customers: *self,
            external_customer_id: external_customer_id.into(),
            update,
            options: RequestOptions::new(),
        }
    }

    /// One page of customers: `client.customers().list().page(2).size(50).await`.
    pub fn list(&self) -> ListRequest<'a> {
        ListRequest {
            customers: *self,
            page: 1,
            size: 10,
            options: RequestOptions::new(),
        }
    }

    /// Every customer, page after page, as one stream:
    /// `client.customers().list_all().size(100).stream()`.
    pub fn list_all(&self) -> ListAll {
        ListAll {
            ctx: self.ctx.clone(),
            size: 100,
            options: RequestOptions::new(),
        }
    }

    /// The options of a call: its own over the client's.
    pub(crate) fn options(&self, call: &RequestOptions) -> RequestOptions {
        call.over(&self.ctx.options)
    }

    /// Validates and normalizes per the client's [`Validation`]; returns the body to send and
    /// the warnings to report.
    fn prepare_create(
        &self,
        customer: &NewCustomer,
    ) -> Result<(types::CreateCustomerRequest, Vec<String>)> {
        let input = rules::CustomerInput {
            external_customer_id: Some(customer.external_customer_id.clone()),
            data: customer.data.clone(),
        };
        let (input, warnings) = match self.ctx.validation {
            Validation::Off => (
                rules::CustomerInput {
                    data: with_e164_phone(input.data),
                    ..input
                },
                Vec::new(),
            ),
            validation => {
                let report = rules::validate_create(&input, self.ctx.environment);
                if validation == Validation::Strict && !report.errors.is_empty() {
                    return Err(Error::validation(report.errors));
                }
                let warnings = report
                    .errors
                    .iter()
                    .chain(&report.warnings)
                    .map(ToString::to_string)
                    .collect();
                (report.normalized, warnings)
            }
        };
        let data = input.data;
        let body = types::CreateCustomerRequest {
            external_customer_id: input.external_customer_id.unwrap_or_default(),
            verify_after_creation: customer.verify_after_creation,
            data: vivamo_rules::customer_fields!(
                types::CustomerData,
                data,
                email: data.email.unwrap_or_default()
            ),
        };
        Ok((body, warnings))
    }

    async fn send_create(
        &self,
        body: &types::CreateCustomerRequest,
        options: &RequestOptions,
    ) -> Outcome<types::CreateCustomerResponse> {
        let api = self.transport().api();
        self.transport()
            .call("create_customer", options, || {
                api.create_customer().body(body.clone()).send()
            })
            .await
    }

    async fn fetch(
        &self,
        external_customer_id: &str,
        options: &RequestOptions,
    ) -> Result<Response<Customer>> {
        check_id(external_customer_id)?;
        let api = self.transport().api();
        self.transport()
            .call("get_customer", options, || {
                api.get_customer()
                    .external_customer_id(external_customer_id)
                    .send()
            })
            .await
            .result
            .map(|r| r.map(Customer::from))
    }

    /// After a duplicate answer: the stored customer if it is the one we meant to create
    /// (same id, same email — as sent, extra body fields included), else the duplicate error.
    async fn reconcile(
        &self,
        body: &types::CreateCustomerRequest,
        duplicate: Error,
        options: &RequestOptions,
    ) -> Result<Response<Customer>> {
        let id =
            sent_string(options, &["externalCustomerId"]).unwrap_or(&body.external_customer_id);
        let email = sent_string(options, &["data", "email"]).unwrap_or(&body.data.email);
        // The follow-up `get` is the SDK's own request: the caller's extra body fields were
        // meant for the create.
        match self.fetch(id, &options.without_extra_body()).await {
            Ok(existing) if same_email(&existing.data.email, email) => Ok(existing),
            Ok(_) => Err(duplicate),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(duplicate),
            Err(e) => Err(e),
        }
    }
}

/// A create request; see [`Customers::create`]. `.await` it, or set per-call options first.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct CreateCustomer<'a> {
    customers: Customers<'a>,
    customer: NewCustomer,
    options: RequestOptions,
}

request_builder!(CreateCustomer, Created);

impl CreateCustomer<'_> {
    async fn run(self) -> Result<Response<Created>> {
        let c = self.customers;
        let options = c.options(&self.options);
        let (body, warnings) = c.prepare_create(&self.customer)?;
        let outcome = c.send_create(&body, &options).await;
        match outcome.result {
            Ok(response) => Ok(response.map(|r| Created::from_response(r, warnings))),
            Err(e) if outcome.maybe_applied && is_duplicate(&e) => {
                let customer = c.reconcile(&body, e, &options).await?;
                Ok(customer.map(|customer| Created {
                    customer,
                    warnings,
                    verification_links: None,
                }))
            }
            Err(e) => Err(e),
        }
    }
}

/// An ensure request; see [`Customers::ensure`]. `.await` it, or set per-call options first.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct EnsureCustomer<'a> {
    customers: Customers<'a>,
    customer: NewCustomer,
    options: RequestOptions,
}

request_builder!(EnsureCustomer, Ensured);

impl EnsureCustomer<'_> {
    async fn run(self) -> Result<Response<Ensured>> {
        let c = self.customers;
        let options = c.options(&self.options);
        let (body, warnings) = c.prepare_create(&self.customer)?;
        let started = now_to_the_millisecond();
        let outcome = c.send_create(&body, &options).await;
        match outcome.result {
            Ok(response) => Ok(response.map(|r| {
                let created = Created::from_response(r, warnings);
                Ensured {
                    customer: created.customer,
                    created: true,
                    warnings: created.warnings,
                }
            })),
            Err(e)
                if e.kind() == ErrorKind::CustomerAlreadyExists
                    || (outcome.maybe_applied && is_duplicate(&e)) =>
            {
                let customer = c.reconcile(&body, e, &options).await?;
                let maybe_applied = outcome.maybe_applied;
                Ok(customer.map(|customer| {
                    let created =
                        maybe_applied && customer.created_at.is_some_and(|at| at >= started);
                    Ensured {
                        customer,
                        created,
                        warnings,
                    }
                }))
            }
            Err(e) => Err(e),
        }
    }
}

/// A get request; see [`Customers::get`]. `.await` it, or set per-call options first.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct GetCustomer<'a> {
    customers: Customers<'a>,
    external_customer_id: String,
    options: RequestOptions,
}

request_builder!(GetCustomer, Customer);

impl GetCustomer<'_> {
    async fn run(self) -> Result<Response<Customer>> {
        let options = self.customers.options(&self.options);
        self.customers
            .fetch(&self.external_customer_id, &options)
            .await
    }
}

/// An update request; see [`Customers::update`]. `.await` it, or set per-call options first.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct UpdateCustomer<'a> {
    customers: Customers<'a>,
    external_customer_id: String,
    update: CustomerUpdate,
    options: RequestOptions,
}

request_builder!(UpdateCustomer, Customer);

impl UpdateCustomer<'_> {
    async fn run(self) -> Result<Response<Customer>> {
        let c = self.customers;
        let id = self.external_customer_id.as_str();
        check_id(id)?;
        let data = match c.ctx.validation {
            Validation::Off => with_e164_phone(self.update.data),
            validation @ (Validation::Strict | Validation::Warn) => {
                let report = rules::validate_update(&self.update.data, c.ctx.environment);
                if validation == Validation::Strict && !report.errors.is_empty() {
                    return Err(Error::validation(report.errors));
                }
                // `update` returns the record alone: what the environment merely tolerates
                // goes to the caller's logs.
                for violation in report.errors.iter().chain(&report.warnings) {
                    c.transport()
                        .logger()
                        .log(LogLevel::Warn, || format!("update {id}: {violation}"));
                }
                report.normalized.data
            }
        };
        let body = types::UpdateCustomerRequest {
            data: vivamo_rules::customer_fields!(types::CustomerDataUpdate, data),
        };
        let options = c.options(&self.options);
        let api = c.transport().api();
        c.transport()
            .call("update_customer", &options, || {
                api.update_customer()
                    .external_customer_id(id)
                    .body(body.clone())
                    .send()
            })
            .await
            .result
            .map(|r| r.map(Customer::from))
    }
}

/// A request for one page of customers; see [`Customers::list`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct ListRequest<'a> {
    customers: Customers<'a>,
    page: u64,
    size: u64,
    options: RequestOptions,
}

request_builder!(ListRequest, Page);

impl ListRequest<'_> {
    /// The page number, from 1 (default 1).
    pub fn page(mut self, page: u64) -> Self {
        self.page = page;
        self
    }

    /// Customers per page (default 10; the API caps it).
    pub fn size(mut self, size: u64) -> Self {
        self.size = size;
        self
    }

    /// Fetches the page (the same as `.await`).
    pub async fn send(self) -> Result<Page> {
        self.run().await.map(Response::into_inner)
    }

    async fn run(self) -> Result<Response<Page>> {
        let options = self.customers.options(&self.options);
        fetch_page(self.customers.transport(), &options, self.page, self.size).await
    }
}

/// The current time at the API's timestamp resolution (milliseconds).
fn now_to_the_millisecond() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

fn is_duplicate(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::CustomerAlreadyExists | ErrorKind::EmailAlreadyInUse
    )
}

/// The string the options' extra body fields put at `path` in place of the SDK's value, if any
/// (an extra `{"data": {"email": …}}` is the email actually sent).
fn sent_string<'o>(options: &'o RequestOptions, path: &[&str]) -> Option<&'o str> {
    let (last, parents) = path.split_last()?;
    let mut object = options.get_extra_body();
    for key in parents {
        object = object.get(*key)?.as_object()?;
    }
    object.get(*last)?.as_str()
}

fn same_email(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

pub(crate) fn check_id(external_customer_id: &str) -> Result<()> {
    if external_customer_id.trim().is_empty() {
        return Err(Error::validation(vec![Violation::new(
            "externalCustomerId",
            Code::MissingField,
            "externalCustomerId is required: pass the identifier you gave the customer when creating it",
        )]));
    }
    Ok(())
}

/// With validation off the payload goes as given, except the phone, which is always sent in
/// E.164 when it can be normalized.
fn with_e164_phone(mut data: rules::CustomerData) -> rules::CustomerData {
    if let Some(phone) = &data.phone {
        if let Ok(e164) = rules::normalize_phone(phone) {
            data.phone = Some(e164);
        }
    }
    data
}

fn page_number(field: &str, value: u64) -> Result<NonZeroU64> {
    NonZeroU64::new(value).ok_or_else(|| {
        Error::validation(vec![Violation::new(
            field,
            Code::MissingField,
            format!("{field} must be at least 1"),
        )])
    })
}

async fn fetch_page(
    transport: &Transport,
    options: &RequestOptions,
    page: u64,
    size: u64,
) -> Result<Response<Page>> {
    let page = page_number("page", page)?;
    let size = page_number("size", size)?;
    let api = transport.api();
    transport
        .call("list_customers", options, || {
            api.list_customers().page(page).size(size).send()
        })
        .await
        .result
        .map(|r| r.map(Page::from))
}

/// Every customer as a stream; see [`Customers::list_all`].
#[derive(Clone, Debug)]
pub struct ListAll {
    ctx: Arc<Context>,
    size: u64,
    options: RequestOptions,
}

struct Walk {
    ctx: Arc<Context>,
    options: RequestOptions,
    size: u64,
    next_page: u64,
    done: bool,
    // 128-bit digests of the previous page's ids: a page served again (a server or a cache
    // repeating itself) is recognised with memory bounded by one page, whatever the count.
    previous: HashSet<u128>,
    // Customers yielded so far: with `total`, it bounds the walk.
    yielded: u64,
}

impl ListAll {
    /// Customers fetched per request (default 100).
    pub fn size(mut self, size: u64) -> Self {
        self.size = size;
        self
    }

    /// Options for every page's request (a timeout, deadline and retry budget per page,
    /// extra headers).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options.over(&self.options);
        self
    }

    /// The stream. Pages are fetched lazily, one at a time; it ends after the last page,
    /// never yields an `externalCustomerId` twice within a page or again on the page after,
    /// and yields an error (then ends) when a page cannot be fetched.
    ///
    /// It always terminates, whatever the server answers: it ends on an empty page, on a
    /// page holding only customers of the page before (a server or cache serving the same
    /// page again), after `totalPages` pages, after the pages `total` customers fill, and
    /// once `total` customers have been yielded. Its memory is one page, whatever the number
    /// of customers: it remembers the previous page's ids and a count, not every id.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let mut all = std::pin::pin!(client.customers().list_all().size(100).stream());
    /// while let Some(customer) = all.try_next().await? {
    ///     println!("{}", customer.external_customer_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<Customer>> + Send + 'static {
        let options = self.options.over(&self.ctx.options);
        let walk = Walk {
            ctx: self.ctx,
            options,
            size: self.size,
            next_page: 1,
            done: false,
            previous: HashSet::new(),
            yielded: 0,
        };
        stream::try_unfold(walk, |mut walk| async move {
            if walk.done {
                return Ok(None);
            }
            let page = fetch_page(
                &walk.ctx.transport,
                &walk.options,
                walk.next_page,
                walk.size,
            )
            .await?
            .into_inner();
            walk.next_page += 1;
            let empty = page.customers.is_empty();
            let (total, total_pages, limit) = (page.total, page.total_pages, page.limit);
            let mut this_page = HashSet::with_capacity(page.customers.len());
            let fresh: Vec<Customer> = page
                .customers
                .into_iter()
                .filter(|c| {
                    let id = digest(&c.external_customer_id);
                    this_page.insert(id) && !walk.previous.contains(&id)
                })
                .collect();
            walk.previous = this_page;
            walk.yielded += fresh.len() as u64;
            walk.done = walk.is_over(empty, fresh.is_empty(), total, total_pages, limit);
            Ok(Some((fresh, walk)))
        })
        .map_ok(|customers| stream::iter(customers.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }
}

impl Walk {
    /// Whether the page just fetched is the last one worth fetching.
    fn is_over(
        &self,
        empty: bool,
        nothing_new: bool,
        total: u64,
        total_pages: u64,
        limit: u64,
    ) -> bool {
        // The page size the server used (it may cap the one asked for).
        let per_page = if (1..=self.size).contains(&limit) {
            limit
        } else {
            self.size
        };
        let pages_for_total = total.div_ceil(per_page.max(1));
        empty
            || nothing_new
            || self.next_page > total_pages.min(pages_for_total)
            || self.yielded >= total
    }
}

fn digest(id: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}
