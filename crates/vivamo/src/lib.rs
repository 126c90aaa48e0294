//! The Vivamo Customers SDK for Rust.
//!
//! Create, fetch, update and list Vivamo customers with the checks Vivamo applies done before
//! anything is sent, typed errors, retries that can neither duplicate nor lose a customer, and
//! pagination as one stream. The Node.js and Python packages are this crate underneath.
//!
//! # Quickstart
//!
//! Against the local sandbox (no key, no network); swap in `Client::from_env()` for the real API.
//!
//! ```
//! use futures::TryStreamExt;
//! use vivamo::{Client, CustomerUpdate, Environment, NewCustomer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = vivamo_sandbox::Sandbox::builder().spawn().await?;
//! let client = Client::builder()
//!     .api_key(sandbox.api_key())
//!     .environment(Environment::Sandbox)
//!     .base_url(sandbox.base_url())
//!     .build()?;
//!
//! let created = client
//!     .customers()
//!     .create(NewCustomer::new("user_123", "jane@example.com").phone("(415) 555-2671"))
//!     .await?;
//! assert_eq!(created.customer.data.phone.as_deref(), Some("+14155552671"));
//!
//! let jane = client.customers().get("user_123").await?;
//! assert_eq!(jane.data.email, "jane@example.com");
//!
//! let moved = client
//!     .customers()
//!     .update("user_123", CustomerUpdate::new().city("Boston"))
//!     .await?;
//! assert_eq!(moved.data.city.as_deref(), Some("Boston"));
//!
//! let page = client.customers().list().page(1).size(50).await?;
//! assert_eq!(page.total, 1);
//!
//! let everyone: Vec<_> = client.customers().list_all().size(100).stream().try_collect().await?;
//! assert_eq!(everyone.len(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! - **Validation** before sending ([`Validation`]): `Strict` (the default in production)
//!   refuses a customer Vivamo documents it rejects, listing every violation (address formats
//!   only warn: Vivamo documents them, not a refusal); `Warn` (the default in the
//!   sandbox) sends the normalized customer and reports the violations as warnings; `Off` sends
//!   what it is given. Phones are always sent in E.164.
//! - **Errors** are one [`Error`] with an [`ErrorKind`], the HTTP status, Vivamo's message and
//!   `errors`, the client-side violations and the request id.
//! - **Retries** on connection errors, timeouts, 429 and 5xx, with exponential backoff and
//!   jitter, honouring `Retry-After`, all within one deadline. A create that may have been
//!   applied before a failure is reconciled, never reported as a duplicate of itself.
//! - **Secrets**: the API key never appears in `Debug` output, logs or errors, and is only sent
//!   over HTTPS (plain HTTP is allowed to loopback addresses, for the sandbox).
//! - **Per-call control**: every call is a request builder; `.await` it as is, or set
//!   `.timeout()`, `.deadline()`, `.max_retries()` or `.header()` first, or derive a client with
//!   [`Client::with_options`]. `.with_response()` yields a [`Response`] with the request id.
//! - **Cancellation**: dropping a call's future cancels it; the attempt in flight is abandoned
//!   and its connection closed. A create cancelled mid-flight is safe to `ensure` afterwards.
//! - **Logs**: one line per attempt at `info`, failed attempts and rule warnings at `warn`,
//!   masked bodies at `debug` ([`LogLevel`]; `VIVAMO_LOG` or [`ClientBuilder::log_level`]),
//!   through `tracing` (target `vivamo`) and an optional [`ClientBuilder::log_sink`].
//! - **Network**: `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` are honoured;
//!   [`ClientBuilder::proxy`], [`ClientBuilder::ca_bundle`],
//!   [`ClientBuilder::max_idle_connections`] and [`ClientBuilder::http2`] override them.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod app_info;
mod client;
mod config;
mod context;
mod customers;
mod error;
mod hooks;
// Written by `cargo xtask codegen` from openapi.yaml: the setters of NewCustomer and CustomerUpdate.
#[rustfmt::skip]
mod generated;
mod kyc;
mod log;
mod models;
mod options;
mod raw;
mod request;
mod response;
mod retry_after;
mod transport;
mod validation;
mod webhook_endpoints;
mod webhook_verifier;
pub mod webhooks;

pub use app_info::AppInfo;
pub use client::Client;
pub use config::ClientBuilder;
pub use customers::{
    CreateCustomer, Customers, EnsureCustomer, GetCustomer, ListAll, ListRequest, UpdateCustomer,
};
pub use error::{Error, ErrorKind, Result};
pub use hooks::{RequestEvent, ResponseEvent, RetryEvent};
pub use kyc::{
    ClientSecret, DecideKyc, GetKycInfo, KycInfo, KycLinks, KycType, KycVerificationInfo,
    ListKycForReview,
};
pub use log::{LogLevel, LogRecord, LogSink, ENV_LOG};
pub use models::{
    Created, Customer, CustomerData, CustomerUpdate, Ensured, KycStatus, KycVerification,
    NewCustomer, Page, VerificationLinks,
};
pub use options::RequestOptions;
pub use raw::{Method, RawRequest, RawRequestParts};
pub use request::WithResponse;
pub use response::Response;
pub use validation::Validation;
pub use vivamo_rules::{Code, Environment, Violation};
pub use webhook_endpoints::{
    DeleteWebhook, ListWebhooks, NewWebhook, RegisterWebhook, RegisteredWebhook, UpdateWebhook,
    Webhook, WebhookEventType, WebhookSecret, WebhookStatus, WebhookUpdate, Webhooks,
};

/// Vivamo's customer rules (validation and normalization), as the SDK applies them.
pub use vivamo_rules as rules;

/// The production base URL.
pub const PRODUCTION_URL: &str = vivamo_api::PRODUCTION_URL;
/// The sandbox base URL.
pub const SANDBOX_URL: &str = vivamo_api::SANDBOX_URL;
/// This SDK's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
