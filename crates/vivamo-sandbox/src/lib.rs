//! A local, stateful emulation of Vivamo's Customers API.
//!
//! The sandbox serves the documented `/v1/customers` operations (create, get, update, list,
//! and the KYC flow: kyc-info, kyc-for-review, kyc-verify)
//! over HTTP on loopback, keeps its customers in memory, and behaves like Vivamo does:
//!
//! - **Authentication**: every `/v1` request needs `Authorization: Bearer <key>`. Each
//!   configured key is a separate *operator*; a missing or unknown key is answered with
//!   403 `{"message": "Forbidden"}`.
//! - **Uniqueness**: `externalCustomerId` is unique per operator
//!   (400 `This customer already exists`); an email address is unique across the whole
//!   platform, case-insensitively (400 `A customer with this email address already exists.`).
//! - **Linking** (the rule this sandbox chose where Vivamo leaves room): a create whose
//!   email or phone matches a customer already known to the platform connects that customer
//!   to the calling operator instead of duplicating it:
//!   1. the normalized email is compared case-insensitively with every profile's email;
//!      a match that is already linked to the calling operator (under another
//!      `externalCustomerId`) is the 400 email error, any other match is linked;
//!   2. otherwise, when a phone is given, its E.164 form is compared with every profile's
//!      phone; the first profile with that phone that is not yet linked to the calling
//!      operator is linked (phones are not unique, so a match already linked to the caller
//!      simply creates a new profile);
//!   3. otherwise a new profile is created.
//!
//!   A linked profile is *shared*: the operator sees it under its own `externalCustomerId`
//!   with the profile's existing data (fields the profile lacks are filled in from the
//!   create request; nothing the profile already holds is overwritten), and an update by
//!   any linked operator changes it for all of them. `createdAt` is the time the record was
//!   created for (or linked to) the operator, so each operator's list is ordered by it.
//! - **Modes**: in [`Mode::Production`] the production-only rules (disposable or `+` suffix
//!   email, non-mobile phone) reject the request with Vivamo's exact messages; in
//!   [`Mode::Test`] such customers are created and the create response carries a `warning`.
//!   The validation rules (required fields, email syntax, E.164 phone) apply in both modes.
//!   Country, US state and US ZIP formats only warn, in both modes: the customer is created
//!   and the create response's `warning` names each field. The rules themselves come from
//!   the `vivamo-rules` crate.
//! - **Errors** are always JSON with a `message`. A failed body, query or path validation is
//!   `{"message": "Validation failed", "errors": [{"<constraint>": "<description>"}]}` with
//!   one entry per failed constraint, named as Vivamo's error guide shows them (`isNotEmpty`,
//!   `isEmail`, `isString`, `isBoolean`, `isObject`, `isPhoneNumber`, `isInt`, `min`, `max`,
//!   `isEnum`); a business refusal (duplicates, the production-only rules, KYC decisions) and
//!   a body that is not a JSON object answer `message` alone. Unknown routes answer 404 and
//!   wrong methods 405. Every response carries an `x-request-id` header.
//! - **KYC** (`src/kyc.rs`): verification belongs to the profile, so linked operators see the
//!   same status. `kyc-info` starts a `pending` `proof_of_id` verification when there is none,
//!   with a `cs_ki_…` client secret valid 24 hours and the deprecated links, and issues a new
//!   secret once it has expired; any other status answers `type`, `status` and `verifiedAt`
//!   only. `kyc-for-review` lists the operator's customers with a verification
//!   `under_review`, in creation order. `kyc-verify/{type}` with `{"verify": bool}` moves
//!   `under_review` to `verified_manually` / `rejected_manually`; deciding any other status,
//!   approving a submission without documents is a 400 saying what to do; an unknown type or
//!   a missing `verify` is a failed validation.
//!
//! Faults can be injected on demand, reproducibly from a seed, on `/v1` routes only: a
//! fail rate (500 before anything is done), a lost-response rate (a write is applied and then
//! its response is lost: the connection is dropped or a 500 is sent), added latency, and a
//! per-key rate limit (429 with `Retry-After: 1`).
//! On each `/v1` request they apply in this order: latency, rate limit (known keys only),
//! fail rate, then authentication and the handler, then (POST and PATCH only) the
//! lost-response draw. Draws come from one RNG seeded by [`SandboxBuilder::seed`], so the
//! same seed and the same sequence of requests give the same faults.
//!
//! Test-only control routes live outside `/v1`, under `/__sandbox/`:
//!
//! | route | auth | what it does |
//! | --- | --- | --- |
//! | `GET /__sandbox/health` | none | `{"status": "ok", "mode": "test"}` |
//! | `POST /__sandbox/reset` | none | removes every customer of every operator |
//! | `POST /__sandbox/seed` | operator key | body `{"count": N, "prefix"?: "seed_"}`: creates N valid customers for the operator, fast |
//! | `GET /__sandbox/requests` | none | the last 100 `/v1` requests, oldest first: `{"requests": [{"requestId", "method", "path", "httpVersion", "headers", "body", "completed", …}]}` (the key redacted; `body` as it arrived, JSON when it parses; `completed: false` when the client left before the answer) |
//! | `POST /__sandbox/extra-fields` | none | body `{"fields": {"loyaltyTier": "gold"}}`: every customer object in `/v1` answers gets these fields (fields the API may add later); `{"fields": {}}` stops |
//! | `POST /__sandbox/customers/{externalCustomerId}/kyc` | operator key | body `{"status": "under_review", "type"?: "proof_of_id", "attempted"?: true, "expireSecret"?: false}`: sets the status of the customer's latest KYC record of that type, or adds one; `attempted: false` models a submission without captured documents (its approval is refused), `expireSecret: true` makes a pending verification's client secret expire now; returns the customer |
//!
//! | `GET`/`POST /__sandbox/faults` | none | the fault settings `{"failRate", "lostResponseRate", "latencyMs", "rateLimit"}`; `POST` changes any of them at run time |
//! | `POST /__sandbox/webhooks/trigger` | operator key | body `{"eventType": "transaction", "data"?: {...}}`: sends an event to the operator's webhooks |
//! | `GET /__sandbox/webhooks/deliveries` | none | `{"deliveries": [...]}`: each delivery with its body, signature and every attempt |
//! | `POST /__sandbox/webhooks/deliveries/{id}/resend` | none | sends that delivery's event again, as a new delivery |
//! | `GET /__sandbox/` | none | the inspector page (and `/__sandbox/events`, its server-sent events) |
//!
//! **Webhooks** (`src/webhooks/`): `/v1/operators/webhooks` registers, lists, updates and
//! deletes an operator's webhooks (409 for the same URL with overlapping event types); the
//! sandbox POSTs `kyc_verification` events on every KYC status change and triggered events to
//! the active, subscribed ones, signed with `vivamo_rules::sign_webhook`, retried on Vivamo's
//! schedule ([`SandboxBuilder::webhook_retry_unit`]), over plain HTTP to loopback addresses
//! unless [`SandboxBuilder::webhook_allow_any_host`].
//!
//! In-process, the same controls are methods of the state ([`SandboxHandle::state`]):
//! [`AppState::reset`], [`AppState::seed`], [`AppState::set_kyc`], [`AppState::set_faults`],
//! [`AppState::trigger_webhook`], [`AppState::webhook_deliveries`] and
//! [`AppState::resend_webhook`]; the Python and Node
//! packages' `Sandbox` classes use them.
//!
//! # Example
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use vivamo_sandbox::{Mode, Sandbox};
//!
//! let sandbox = Sandbox::builder()
//!     .mode(Mode::Production)
//!     .api_key("sk_test_operator_a")
//!     .api_key("sk_test_operator_b")
//!     .max_page_size(100)
//!     .spawn()
//!     .await?;
//! println!("{} with key {}", sandbox.base_url(), sandbox.api_key());
//! // ... point an HTTP client or the SDK at sandbox.base_url() ...
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod api;
mod control;
mod faults;
mod kyc;
mod live;
mod rules;
mod server;
mod store;
mod webhooks;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use api::router;
pub use api::PAGE_BYTES;
pub use control::{ControlError, KycUpdate, Seeded, MAX_SEED_COUNT};
pub use faults::FaultSettings;
pub use server::{serve, serve_with_shutdown};

/// The API key the sandbox accepts when none is configured (`--api-key` or
/// [`SandboxBuilder::api_key`]).
pub const DEFAULT_API_KEY: &str = "sk_test_vivamo_sandbox";

/// The default largest `size` accepted by `GET /v1/customers`.
pub const DEFAULT_MAX_PAGE_SIZE: u32 = 100;

/// Which Vivamo environment the sandbox emulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Vivamo's sandbox (`https://api.test.vivamo.co`): customers that break the
    /// production-only rules are created, with a `warning` in the create response.
    #[default]
    Test,
    /// Vivamo's production (`https://api.vivamo.co`): disposable and `+` suffix emails and
    /// non-mobile phones are refused with Vivamo's messages.
    Production,
}

impl Mode {
    /// The mode's name as accepted by [`FromStr`] and the `--mode` flag.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Production => "production",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = Error;

    /// Parses `test` (or its alias `sandbox`) and `production`, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "test" | "sandbox" => Ok(Mode::Test),
            "production" | "prod" => Ok(Mode::Production),
            other => Err(Error::InvalidConfig(format!(
                "unknown mode `{other}` (expected `test` or `production`)"
            ))),
        }
    }
}

/// An error starting the sandbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value is out of range.
    #[error("invalid sandbox configuration: {0}")]
    InvalidConfig(String),
    /// Binding or serving the socket failed.
    #[error("sandbox I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything that configures a sandbox; built by [`SandboxBuilder`] or by hand.
#[derive(Debug, Clone)]
pub struct Config {
    /// Test or production behaviour.
    pub mode: Mode,
    /// The accepted API keys, one operator each. Empty means `[DEFAULT_API_KEY]`.
    pub api_keys: Vec<String>,
    /// Largest accepted `size` on the list endpoint.
    pub max_page_size: u32,
    /// Seed of the fault-injection RNG; `None` picks a random one.
    pub seed: Option<u64>,
    /// Probability (0..=1) that a `/v1` request is answered with 500 before anything happens.
    pub fail_rate: f64,
    /// Probability (0..=1) that a `/v1` write is applied and its response then lost.
    pub lost_response_rate: f64,
    /// Latency added to every `/v1` request.
    pub latency: Duration,
    /// Requests per second allowed per key on `/v1`; `None` or `Some(0)` means unlimited.
    pub rate_limit: Option<u32>,
    /// What "a minute" of Vivamo's webhook retry schedule is here: the n-th retry comes n
    /// units after the previous attempt (default one minute, as Vivamo does).
    pub webhook_retry_unit: Duration,
    /// How long a webhook receiver has to answer an attempt (default 10 seconds).
    pub webhook_timeout: Duration,
    /// Probability (0..=1) that an event is delivered twice (to test de-duplication).
    pub webhook_duplicate_rate: f64,
    /// Deliver to any host; by default only to loopback addresses.
    pub webhook_allow_any_host: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Test,
            api_keys: Vec::new(),
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
            seed: None,
            fail_rate: 0.0,
            lost_response_rate: 0.0,
            latency: Duration::ZERO,
            rate_limit: None,
            webhook_retry_unit: Duration::from_secs(60),
            webhook_timeout: Duration::from_secs(10),
            webhook_duplicate_rate: 0.0,
            webhook_allow_any_host: false,
        }
    }
}

impl Config {
    /// Checks the ranges of the values (rates within 0..=1, page size at least 1).
    pub fn validate(&self) -> Result<(), Error> {
        for (name, rate) in [
            ("fail_rate", self.fail_rate),
            ("lost_response_rate", self.lost_response_rate),
            ("webhook_duplicate_rate", self.webhook_duplicate_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(Error::InvalidConfig(format!(
                    "{name} must be between 0 and 1, got {rate}"
                )));
            }
        }
        if self.max_page_size == 0 {
            return Err(Error::InvalidConfig(
                "max_page_size must be at least 1".into(),
            ));
        }
        if self.webhook_timeout.is_zero() {
            return Err(Error::InvalidConfig(
                "webhook_timeout must be more than zero".into(),
            ));
        }
        if self.api_keys.iter().any(|k| k.is_empty()) {
            return Err(Error::InvalidConfig("an API key must not be empty".into()));
        }
        Ok(())
    }

    /// The keys in effect: the configured ones, or [`DEFAULT_API_KEY`] when there are none.
    pub fn effective_api_keys(&self) -> Vec<String> {
        if self.api_keys.is_empty() {
            vec![DEFAULT_API_KEY.to_string()]
        } else {
            let mut keys: Vec<String> = Vec::with_capacity(self.api_keys.len());
            for k in &self.api_keys {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
            keys
        }
    }
}

/// The shared state behind a sandbox's router: configuration, customers, fault RNG.
///
/// Cheap to clone (an `Arc`). Build it with [`AppState::new`] and hand it to [`router`],
/// [`serve`] or [`serve_with_shutdown`].
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<api::Inner>,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("mode", &self.inner.mode)
            .field("operators", &self.inner.keys.len())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Validates `config` and creates an empty sandbox state.
    pub fn new(config: Config) -> Result<AppState, Error> {
        config.validate()?;
        Ok(AppState {
            inner: Arc::new(api::Inner::new(config)),
        })
    }

    /// The mode this state emulates.
    pub fn mode(&self) -> Mode {
        self.inner.mode
    }

    /// The fault settings in effect (`GET /__sandbox/faults`).
    pub fn faults(&self) -> FaultSettings {
        self.inner.faults.settings()
    }

    /// Changes the fault settings at run time (`POST /__sandbox/faults`, the inspector page).
    pub fn set_faults(&self, settings: FaultSettings) -> Result<(), ControlError> {
        settings.validate().map_err(ControlError::InvalidArgument)?;
        self.inner.faults.set(settings);
        self.inner.live.changed(crate::live::FAULTS);
        Ok(())
    }

    /// The number of customer records linked to any operator (a shared profile counts once
    /// per operator).
    pub fn customer_count(&self) -> usize {
        self.inner.store.read().record_count()
    }
}

/// Entry point of the library: `Sandbox::builder()...spawn().await`.
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: test mode, [`DEFAULT_API_KEY`], page size up to 100,
    /// no faults, bound to `127.0.0.1` on a free port.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Configures and starts a sandbox; see [`Sandbox::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SandboxBuilder {
    config: Config,
    addr: SocketAddr,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            config: Config::default(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        }
    }
}

impl SandboxBuilder {
    /// Test (the default) or production behaviour.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.config.mode = mode;
        self
    }

    /// Adds an accepted API key; each key is a separate operator. Repeatable. Without any,
    /// [`DEFAULT_API_KEY`] is accepted.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_keys.push(key.into());
        self
    }

    /// Largest accepted `size` on the list endpoint (default 100).
    pub fn max_page_size(mut self, size: u32) -> Self {
        self.config.max_page_size = size;
        self
    }

    /// Seed of the fault-injection RNG: the same seed gives the same sequence of faults for
    /// the same sequence of requests.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = Some(seed);
        self
    }

    /// Probability (0..=1) that a `/v1` request fails with 500 before anything is done.
    pub fn fail_rate(mut self, p: f64) -> Self {
        self.config.fail_rate = p;
        self
    }

    /// Probability (0..=1) that a `/v1` write (POST, PATCH) is applied and its response
    /// then lost: the connection is dropped or a 500 is sent, at random.
    pub fn lost_response_rate(mut self, p: f64) -> Self {
        self.config.lost_response_rate = p;
        self
    }

    /// Latency added to every `/v1` request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.config.latency = latency;
        self
    }

    /// Requests per second allowed per key on `/v1` (0 = unlimited); the excess gets 429
    /// with `Retry-After: 1`.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.config.rate_limit = (per_second > 0).then_some(per_second);
        self
    }

    /// What "a minute" of the webhook retry schedule is (default one minute): the n-th
    /// retry of a delivery comes n units after the previous attempt.
    pub fn webhook_retry_unit(mut self, unit: Duration) -> Self {
        self.config.webhook_retry_unit = unit;
        self
    }

    /// How long a webhook receiver has to answer an attempt (default 10 seconds).
    pub fn webhook_timeout(mut self, timeout: Duration) -> Self {
        self.config.webhook_timeout = timeout;
        self
    }

    /// Probability (0..=1) that an event is delivered twice.
    pub fn webhook_duplicate_rate(mut self, p: f64) -> Self {
        self.config.webhook_duplicate_rate = p;
        self
    }

    /// Deliver webhooks to any host, not only loopback addresses.
    pub fn webhook_allow_any_host(mut self, allow: bool) -> Self {
        self.config.webhook_allow_any_host = allow;
        self
    }

    /// The address to bind (default `127.0.0.1:0`, a free port on loopback).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The configuration built so far.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Validates the configuration and creates the state, without binding anything.
    pub fn build_state(&self) -> Result<AppState, Error> {
        AppState::new(self.config.clone())
    }

    /// Binds the socket and serves in a background task of the current Tokio runtime.
    pub async fn spawn(self) -> Result<SandboxHandle, Error> {
        let state = self.build_state()?;
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_with_shutdown(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        Ok(SandboxHandle {
            addr,
            base_url: format!("http://{addr}"),
            keys: self.config.effective_api_keys(),
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A running sandbox. Dropping it stops the server (in the background);
/// [`SandboxHandle::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct SandboxHandle {
    addr: SocketAddr,
    base_url: String,
    keys: Vec<String>,
    state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl SandboxHandle {
    /// The base URL to give a client, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The first accepted API key.
    pub fn api_key(&self) -> &str {
        &self.keys[0]
    }

    /// Every accepted API key, in the order configured (one operator each).
    pub fn api_keys(&self) -> &[String] {
        &self.keys
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The mode the sandbox emulates.
    pub fn mode(&self) -> Mode {
        self.state.mode()
    }

    /// The shared state (e.g. to count customers from a test).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting connections, lets in-flight requests finish (up to a few seconds),
    /// stops the webhook deliveries under way (closing their connections to receivers), and
    /// waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
