//! The client: a shared transport plus the environment's rules, cheap to clone and share.

use std::fmt;
use std::sync::Arc;

use vivamo_rules::Environment;

use crate::config::ClientBuilder;
use crate::context::Context;
use crate::customers::Customers;
use crate::error::Result;
use crate::log::LogLevel;
use crate::options::RequestOptions;
use crate::validation::Validation;

/// A Vivamo API client. Cloning is cheap (one `Arc`), and one client can serve any number of
/// concurrent tasks, sharing its connection pool.
///
/// Every call is a request builder: `.await` it as is, or set per-call options first
/// (`.timeout()`, `.deadline()`, `.max_retries()`, `.header()`), or ask for the response's
/// metadata with `.with_response()`. Dropping a call's future cancels it.
///
/// ```
/// let client = vivamo::Client::builder()
///     .api_key("sk_test_123")
///     .environment(vivamo::Environment::Sandbox)
///     .build()?;
/// let customers = client.customers();
/// # let _ = customers;
/// # Ok::<(), vivamo::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    ctx: Arc<Context>,
}

impl Client {
    /// A builder with every default; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `VIVAMO_API_KEY`, `VIVAMO_ENVIRONMENT` (`production` or
    /// `sandbox`, default production), `VIVAMO_BASE_URL` (optional) and `VIVAMO_LOG`.
    ///
    /// ```no_run
    /// let client = vivamo::Client::from_env()?;
    /// # Ok::<(), vivamo::Error>(())
    /// ```
    pub fn from_env() -> Result<Client> {
        ClientBuilder::default().from_env()?.build()
    }

    pub(crate) fn from_context(ctx: Context) -> Client {
        Client { ctx: Arc::new(ctx) }
    }

    /// A client whose calls use `options` (over this client's own), sharing this client's
    /// connection pool, retry policy and logger.
    ///
    /// Fails ([`crate::ErrorKind::Config`]) when an extra header cannot be sent or is one the
    /// SDK owns (`Authorization`, `Content-Type`, `User-Agent`).
    ///
    /// ```
    /// use std::time::Duration;
    /// # let client = vivamo::Client::builder().api_key("sk_test_1").environment(vivamo::Environment::Sandbox).build()?;
    /// let checkout = client.with_options(
    ///     vivamo::RequestOptions::new().deadline(Duration::from_secs(2)).max_retries(0),
    /// )?;
    /// let nightly = client.with_options(
    ///     vivamo::RequestOptions::new().deadline(Duration::from_secs(60)).max_retries(8),
    /// )?;
    /// # let _ = (checkout, nightly);
    /// assert!(client.with_options(vivamo::RequestOptions::new().header("Authorization", "x")).is_err());
    /// # Ok::<(), vivamo::Error>(())
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Result<Client> {
        let options = options.over(&self.ctx.options);
        options.header_map()?;
        Ok(Client::from_context(Context {
            transport: self.ctx.transport.clone(),
            environment: self.ctx.environment,
            base_url: self.ctx.base_url.clone(),
            validation: self.ctx.validation,
            options,
        }))
    }

    /// The customer operations.
    pub fn customers(&self) -> Customers<'_> {
        Customers::new(&self.ctx)
    }

    /// A request to any path of the API — an endpoint this SDK does not wrap yet — with the
    /// client's key, retries, deadline, logs and typed errors. The answer is the JSON body
    /// (`null` when empty) in a [`crate::Response`] with its status and headers; an error
    /// status is an [`crate::Error`] whose kind follows the status, as for every operation.
    ///
    /// `POST` and `PATCH` are retried only where the server cannot have applied the failed
    /// attempt, unless [`RawRequest::idempotent`](crate::RawRequest::idempotent) says
    /// otherwise.
    ///
    /// ```no_run
    /// use vivamo::Method;
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let page = client
    ///     .request(Method::GET, "/v1/customers")
    ///     .query("page", "2")
    ///     .query("size", "50")
    ///     .await?;
    /// println!("HTTP {}: {} customers", page.status(), page["customers"].as_array().map_or(0, Vec::len));
    /// # Ok(()) }
    /// ```
    pub fn request(&self, method: crate::Method, path: impl Into<String>) -> crate::RawRequest<'_> {
        crate::RawRequest::new(&self.ctx, method, path)
    }

    /// [`Client::request`] from plain values (the method as text), as the Node and Python
    /// bindings receive them; an unknown method is a [`crate::ErrorKind::Config`] error.
    pub fn request_parts(&self, parts: crate::RawRequestParts) -> Result<crate::RawRequest<'_>> {
        crate::RawRequest::from_parts(&self.ctx, parts)
    }

    /// The webhook endpoint operations (register, list, update, delete).
    pub fn webhooks(&self) -> crate::Webhooks<'_> {
        crate::Webhooks::new(&self.ctx)
    }

    /// The environment whose rules the client applies.
    pub fn environment(&self) -> Environment {
        self.ctx.environment
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.ctx.base_url
    }

    /// The client-side validation setting.
    pub fn validation(&self) -> Validation {
        self.ctx.validation
    }

    /// The level the client logs at (its `log_level`, else `VIVAMO_LOG`, else `warn`).
    pub fn log_level(&self) -> LogLevel {
        self.ctx.transport.logger().level()
    }

    /// The options this client's calls use (set with [`Client::with_options`]).
    pub fn options(&self) -> &RequestOptions {
        &self.ctx.options
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &"[redacted]")
            .field("environment", &self.ctx.environment)
            .field("base_url", &self.ctx.base_url)
            .field("validation", &self.ctx.validation)
            .field("options", &self.ctx.options)
            .field("transport", &self.ctx.transport)
            .finish()
    }
}
