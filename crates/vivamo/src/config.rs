//! Client configuration: the builder, the validation setting, and the redacted API key.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use vivamo_rules::Environment;

use crate::client::Client;
use crate::error::{Error, Result};

/// Environment variable holding the API key.
pub(crate) const ENV_API_KEY: &str = "VIVAMO_API_KEY";
/// Environment variable naming the environment (`production` or `sandbox`).
pub(crate) const ENV_ENVIRONMENT: &str = "VIVAMO_ENVIRONMENT";
/// Environment variable overriding the base URL.
pub(crate) const ENV_BASE_URL: &str = "VIVAMO_BASE_URL";

/// How much the client checks a customer before sending it.
///
/// ```
/// assert_eq!("warn".parse::<vivamo::Validation>().unwrap(), vivamo::Validation::Warn);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Validation {
    /// Refuse, before sending, a customer the environment would reject (every violation listed).
    Strict,
    /// Send the normalized customer and report the violations as warnings.
    Warn,
    /// Send the customer as given (phones are still sent in E.164 when they can be).
    Off,
}

impl Validation {
    /// The default for an environment: `Strict` in production, `Warn` in the sandbox.
    pub fn default_for(environment: Environment) -> Self {
        match environment {
            Environment::Production => Validation::Strict,
            Environment::Sandbox => Validation::Warn,
        }
    }

    /// The lower-case name: `strict`, `warn` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Validation::Strict => "strict",
            Validation::Warn => "warn",
            Validation::Off => "off",
        }
    }
}

impl fmt::Display for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Validation {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "strict" => Ok(Validation::Strict),
            "warn" => Ok(Validation::Warn),
            "off" => Ok(Validation::Off),
            _ => Err(Error::config(format!(
                "unknown validation setting {s:?}: use \"strict\", \"warn\" or \"off\""
            ))),
        }
    }
}

/// The secret key; its `Debug` and `Display` never show it.
#[derive(Clone)]
pub(crate) struct ApiKey(String);

impl ApiKey {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

/// Everything a built client runs with.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) api_key: ApiKey,
    pub(crate) environment: Environment,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) max_retries: u32,
    pub(crate) validation: Validation,
    pub(crate) backoff_initial: Duration,
    pub(crate) backoff_max: Duration,
    pub(crate) user_agent: String,
    pub(crate) on_retry: Option<RetryHook>,
}

/// A function told of each failed attempt about to be retried.
#[derive(Clone)]
pub(crate) struct RetryHook(pub(crate) Arc<dyn Fn(&Error) + Send + Sync>);

impl fmt::Debug for RetryHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RetryHook")
    }
}

/// Builds a [`Client`]. Every setting has a default except the API key, which falls back to
/// the `VIVAMO_API_KEY` environment variable.
///
/// ```
/// use std::time::Duration;
/// let client = vivamo::Client::builder()
///     .api_key("sk_test_123")
///     .environment(vivamo::Environment::Sandbox)
///     .timeout(Duration::from_secs(10))
///     .deadline(Duration::from_secs(30))
///     .max_retries(3)
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.test.vivamo.co");
/// assert!(!format!("{client:?}").contains("sk_test_123"));
/// # Ok::<(), vivamo::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    environment: Option<Environment>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    validation: Option<Validation>,
    backoff: Option<(Duration, Duration)>,
    user_agent: Option<String>,
    on_retry: Option<RetryHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("validation", &self.validation)
            .field("on_retry", &self.on_retry.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The secret API key (`Authorization: Bearer <key>`). Default: `VIVAMO_API_KEY`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// `Production` (the default) or `Sandbox`: picks the base URL, the strictness of the
    /// rules and the default [`Validation`].
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Overrides the environment's base URL (for the local sandbox, a proxy, …). The key is
    /// only sent over `https://`, or `http://` to a loopback host.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Time allowed for one attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call, every retry and wait included (default 60 s).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed attempt is retried (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Client-side validation; default `Strict` in production, `Warn` in the sandbox.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validation = Some(validation);
        self
    }

    /// The first retry wait and the cap of the exponential backoff (default 0.5 s and 8 s).
    /// Each wait is jittered between half and all of its nominal value.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff = Some((initial, max.max(initial)));
        self
    }

    /// Calls `hook` with the error of every failed attempt the client is about to retry
    /// (before it waits), e.g. to count 429s or to slow down other work while the API asks
    /// for it. It runs on the calling task: keep it quick. No hook by default.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use std::sync::Arc;
    /// let rate_limited = Arc::new(AtomicU64::new(0));
    /// let counter = rate_limited.clone();
    /// let client = vivamo::Client::builder()
    ///     .api_key("sk_test_123")
    ///     .on_retry(move |e| {
    ///         if e.kind() == vivamo::ErrorKind::RateLimited {
    ///             counter.fetch_add(1, Ordering::Relaxed);
    ///         }
    ///     })
    ///     .build()?;
    /// # Ok::<(), vivamo::Error>(())
    /// ```
    pub fn on_retry(mut self, hook: impl Fn(&Error) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(RetryHook(Arc::new(hook)));
        self
    }

    /// Replaces the `User-Agent` (default `vivamo-rust/<version>`); the Node and Python
    /// packages set their own.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Applies `VIVAMO_API_KEY`, `VIVAMO_ENVIRONMENT` and `VIVAMO_BASE_URL` where set and not
    /// already given.
    pub fn from_env(mut self) -> Result<Self> {
        if self.api_key.is_none() {
            self.api_key = std::env::var(ENV_API_KEY).ok();
        }
        if self.environment.is_none() {
            if let Ok(name) = std::env::var(ENV_ENVIRONMENT) {
                let env = name.parse::<Environment>().map_err(|_| {
                    Error::config(format!(
                        "{ENV_ENVIRONMENT}={name:?} is not an environment: use \"production\" or \"sandbox\""
                    ))
                })?;
                self.environment = Some(env);
            }
        }
        if self.base_url.is_none() {
            self.base_url = std::env::var(ENV_BASE_URL).ok().filter(|u| !u.is_empty());
        }
        Ok(self)
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails (kind [`crate::ErrorKind::Config`]) when there is no key, when the key is a
    /// publishable `pk_` key or cannot be sent in a header, or when the base URL is not a URL
    /// the key may be sent to.
    pub fn build(self) -> Result<Client> {
        let environment = self.environment.unwrap_or_default();
        let api_key = match self.api_key.or_else(|| std::env::var(ENV_API_KEY).ok()) {
            Some(key) if !key.trim().is_empty() => key.trim().to_string(),
            _ => {
                return Err(Error::config(format!(
                "no API key: pass one to the client or set the {ENV_API_KEY} environment variable"
            )))
            }
        };
        if api_key.starts_with("pk_") {
            return Err(Error::config(
                "a publishable key (pk_...) is for the browser widget only: use your secret API key",
            ));
        }
        let base_url = match self.base_url {
            Some(url) => check_base_url(&url)?,
            None => match environment {
                Environment::Production => crate::PRODUCTION_URL.to_string(),
                Environment::Sandbox => crate::SANDBOX_URL.to_string(),
            },
        };
        let (backoff_initial, backoff_max) = self
            .backoff
            .unwrap_or((Duration::from_millis(500), Duration::from_secs(8)));
        let config = Config {
            api_key: ApiKey(api_key),
            environment,
            base_url,
            timeout: self.timeout.unwrap_or(Duration::from_secs(30)),
            deadline: self.deadline.unwrap_or(Duration::from_secs(60)),
            max_retries: self.max_retries.unwrap_or(2),
            validation: self
                .validation
                .unwrap_or_else(|| Validation::default_for(environment)),
            backoff_initial,
            backoff_max,
            user_agent: self
                .user_agent
                .unwrap_or_else(|| format!("vivamo-rust/{}", crate::VERSION)),
            on_retry: self.on_retry,
        };
        Client::from_config(config)
    }
}

/// Accepts `https://…`, or `http://…` to a loopback host; returns it without a trailing `/`.
fn check_base_url(raw: &str) -> Result<String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| {
        Error::config(format!(
            "base URL {raw:?} is not a URL ({e}): use e.g. https://api.vivamo.co"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "refusing to send the API key over plain HTTP to {}: use https://, or http:// only to a loopback address such as 127.0.0.1",
                url.host_str().unwrap_or("?")
            )))
        }
        other => {
            return Err(Error::config(format!(
                "base URL scheme {other:?} is not supported: use https://"
            )))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(format!("base URL {raw:?} has no host")));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check_base_url("http://127.0.0.1:4010").is_ok());
        assert!(check_base_url("http://127.8.9.1:4010/").is_ok());
        assert!(check_base_url("http://localhost:4010").is_ok());
        assert!(check_base_url("http://[::1]:4010").is_ok());
        assert_eq!(
            check_base_url("https://api.vivamo.co/").unwrap(),
            "https://api.vivamo.co"
        );
        for bad in [
            "http://api.vivamo.co",
            "http://10.0.0.1",
            "ftp://x",
            "not a url",
        ] {
            let err = check_base_url(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
        }
    }

    #[test]
    fn validation_parses_and_defaults() {
        assert_eq!("STRICT".parse::<Validation>().unwrap(), Validation::Strict);
        assert!("loose".parse::<Validation>().is_err());
        assert_eq!(
            Validation::default_for(Environment::Production),
            Validation::Strict
        );
        assert_eq!(
            Validation::default_for(Environment::Sandbox),
            Validation::Warn
        );
    }

    #[test]
    fn the_key_never_shows_in_debug() {
        let builder = ClientBuilder::default().api_key("sk_live_secret");
        assert!(!format!("{builder:?}").contains("sk_live_secret"));
        let key = ApiKey("sk_live_secret".into());
        assert!(!format!("{key:?}").contains("secret"));
    }
}
