//! The client: configuration plus the generated API client, cheap to clone and share.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use vivamo_rules::Environment;

use crate::config::{ClientBuilder, Config, Validation};
use crate::customers::Customers;
use crate::error::{Error, Result};

/// A Vivamo API client. Cloning is cheap (one `Arc`), and one client can serve any number of
/// concurrent tasks, sharing its connection pool.
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
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) api: vivamo_api::Client,
    pub(crate) config: Config,
}

impl Client {
    /// A builder with every default; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `VIVAMO_API_KEY`, `VIVAMO_ENVIRONMENT` (`production` or
    /// `sandbox`, default production) and `VIVAMO_BASE_URL` (optional).
    ///
    /// ```no_run
    /// let client = vivamo::Client::from_env()?;
    /// # Ok::<(), vivamo::Error>(())
    /// ```
    pub fn from_env() -> Result<Client> {
        ClientBuilder::default().from_env()?.build()
    }

    pub(crate) fn from_config(config: Config) -> Result<Client> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true);
        let http = vivamo_api::authenticated_http_client(config.api_key.expose(), http).map_err(
            |e| match e {
                vivamo_api::HttpClientError::InvalidApiKey(_) => Error::config(
                    "the API key contains characters that cannot be sent in an HTTP header (spaces, newlines, control or non-ASCII characters): copy the key again from the dashboard",
                ),
                vivamo_api::HttpClientError::Build(e) => {
                    Error::config(format!("could not set up HTTPS: {e}"))
                }
            },
        )?;
        let api = vivamo_api::Client::new_with_client(&config.base_url, http);
        Ok(Client {
            inner: Arc::new(Inner { api, config }),
        })
    }

    /// The customer operations.
    pub fn customers(&self) -> Customers<'_> {
        Customers::new(self)
    }

    /// The environment whose rules the client applies.
    pub fn environment(&self) -> Environment {
        self.inner.config.environment
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    /// The client-side validation setting.
    pub fn validation(&self) -> Validation {
        self.inner.config.validation
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.inner.config;
        f.debug_struct("Client")
            .field("api_key", &c.api_key)
            .field("environment", &c.environment)
            .field("base_url", &c.base_url)
            .field("validation", &c.validation)
            .field("timeout", &c.timeout)
            .field("deadline", &c.deadline)
            .field("max_retries", &c.max_retries)
            .finish()
    }
}
