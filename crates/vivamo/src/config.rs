//! Client configuration: the builder, its defaults and its checks.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use vivamo_rules::Environment;

use crate::app_info::AppInfo;
use crate::client::Client;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hooks::{Hooks, RequestEvent, ResponseEvent, RetryEvent};
use crate::log::{LogLevel, LogRecord, LogSink, Logger};
use crate::options::RequestOptions;
use crate::transport::{Network, Policy, RetryHook, Transport};
use crate::validation::Validation;

/// Environment variable holding the API key.
pub(crate) const ENV_API_KEY: &str = "VIVAMO_API_KEY";
/// Environment variable naming the environment (`production` or `sandbox`).
pub(crate) const ENV_ENVIRONMENT: &str = "VIVAMO_ENVIRONMENT";
/// Environment variable overriding the base URL.
pub(crate) const ENV_BASE_URL: &str = "VIVAMO_BASE_URL";

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
    log_level: Option<LogLevel>,
    log_sink: Option<LogSink>,
    proxy: Option<String>,
    ca_bundle: Option<PathBuf>,
    max_idle_connections: Option<usize>,
    http2: Option<bool>,
    on_retry: Option<RetryHook>,
    app_info: Option<AppInfo>,
    hooks: Hooks,
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
            .field("log_level", &self.log_level)
            .field(
                "proxy",
                &self.proxy.as_deref().map(crate::transport::redact_proxy),
            )
            .field("ca_bundle", &self.ca_bundle)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("http2", &self.http2)
            .field("on_retry", &self.on_retry.is_some())
            .field("app_info", &self.app_info)
            .field("hooks", &self.hooks)
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

    /// Adds a function told of every attempt just before it is sent (method, path,
    /// attempt); see [`RequestEvent`]. Hooks add up; one that panics is logged and ignored.
    ///
    /// ```
    /// let client = vivamo::Client::builder()
    ///     .api_key("sk_test_1")
    ///     .on_request(|e: &vivamo::RequestEvent| eprintln!("-> {} {} (attempt {})", e.method, e.path, e.attempt))
    ///     .on_response(|e: &vivamo::ResponseEvent| eprintln!("<- {:?} in {:?}", e.status, e.elapsed))
    ///     .on_retry_event(|e: &vivamo::RetryEvent| eprintln!("retrying in {:?} after {}", e.delay, e.error))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), vivamo::Error>(())
    /// ```
    pub fn on_request(mut self, hook: impl Fn(&RequestEvent) + Send + Sync + 'static) -> Self {
        self.hooks.on_request.push(Arc::new(hook));
        self
    }

    /// Adds a function told of every attempt that ended, answered or not (status, elapsed,
    /// attempt, request id, error kind); see [`ResponseEvent`].
    pub fn on_response(mut self, hook: impl Fn(&ResponseEvent) + Send + Sync + 'static) -> Self {
        self.hooks.on_response.push(Arc::new(hook));
        self
    }

    /// Adds a function told of every retry before its wait (the failed attempt, its error
    /// kind and status, the delay, the request id); see [`RetryEvent`].
    pub fn on_retry_event(mut self, hook: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.hooks.on_retry.push(Arc::new(hook));
        self
    }

    /// Replaces the `User-Agent` (default `vivamo-rust/<version>`); the Node and Python
    /// packages set their own.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The application using the SDK, appended to the `User-Agent`
    /// (`vivamo-rust/0.1.0 acme-onboarding/1.4.2 (+https://acme.example)`); see [`AppInfo`].
    /// A name, version or URL that cannot go in a header fails [`ClientBuilder::build`].
    pub fn app_info(mut self, app_info: AppInfo) -> Self {
        self.app_info = Some(app_info);
        self
    }

    /// How much the client logs (default: `VIVAMO_LOG`, else [`LogLevel::Warn`]). Records go
    /// to `tracing` (target `vivamo`) and to the [`ClientBuilder::log_sink`], if any.
    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.log_level = Some(level);
        self
    }

    /// Also hands every record logged at or above the level to `sink` (the Node and Python
    /// packages forward them to their `logger` / `logging`).
    ///
    /// ```
    /// let client = vivamo::Client::builder()
    ///     .api_key("sk_test_1")
    ///     .log_level(vivamo::LogLevel::Info)
    ///     .log_sink(|record: &vivamo::LogRecord| eprintln!("[{}] {}", record.level, record.message))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), vivamo::Error>(())
    /// ```
    pub fn log_sink(mut self, sink: impl Fn(&LogRecord) + Send + Sync + 'static) -> Self {
        self.log_sink = Some(Arc::new(sink));
        self
    }

    /// Sends every request through this proxy (`http://host:port`, optionally with
    /// `user:password@`, kept secret in `Debug` output and errors), instead of the one
    /// `HTTPS_PROXY` / `HTTP_PROXY` name (honoured by default, with `NO_PROXY`). Over an
    /// `http://` proxy, HTTPS requests are tunnelled (`CONNECT`): TLS stays end-to-end.
    pub fn proxy(mut self, proxy: impl Into<String>) -> Self {
        self.proxy = Some(proxy.into());
        self
    }

    /// A PEM file of root certificates trusted in addition to the built-in ones (a private CA,
    /// a TLS-inspecting proxy).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// The most idle connections kept open per host (default: no limit).
    pub fn max_idle_connections(mut self, max: usize) -> Self {
        self.max_idle_connections = Some(max);
        self
    }

    /// Whether HTTP/2 is used where the server offers it (default `true`); `false` keeps to
    /// HTTP/1.1.
    pub fn http2(mut self, enabled: bool) -> Self {
        self.http2 = Some(enabled);
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
        let policy = Policy {
            timeout: self.timeout.unwrap_or(Duration::from_secs(30)),
            deadline: self.deadline.unwrap_or(Duration::from_secs(60)),
            max_retries: self.max_retries.unwrap_or(2),
            backoff_initial,
            backoff_max,
            on_retry: self.on_retry,
            hooks: self.hooks,
        };
        let mut user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("vivamo-rust/{}", crate::VERSION));
        if let Some(app_info) = &self.app_info {
            user_agent = format!("{user_agent} {}", app_info.product()?);
        }
        let network = Network {
            api_key,
            user_agent,
            proxy: self.proxy,
            ca_bundle: self.ca_bundle,
            max_idle_connections: self.max_idle_connections,
            http2: self.http2.unwrap_or(true),
        };
        let level = match self.log_level {
            Some(level) => level,
            None => LogLevel::from_env()?.unwrap_or(LogLevel::Warn),
        };
        let logger = Logger::new(level, self.log_sink);
        let transport = Transport::new(&base_url, &network, policy, logger)?;
        Ok(Client::from_context(Context {
            transport: Arc::new(transport),
            environment,
            base_url,
            validation: self
                .validation
                .unwrap_or_else(|| Validation::default_for(environment)),
            options: RequestOptions::new(),
        }))
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
    fn the_key_and_proxy_password_never_show_in_debug() {
        let builder = ClientBuilder::default()
            .api_key("sk_live_secret")
            .proxy("http://u:pw_secret@proxy:3128");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("sk_live_secret") && !shown.contains("pw_secret"),
            "{shown}"
        );
    }
}
