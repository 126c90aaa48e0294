//! Webhook endpoints: register, list, update and delete the URLs Vivamo POSTs events to
//! (`client.webhooks()`). Checking a delivery's signature is [`crate::webhooks`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use vivamo_api::types;
use vivamo_rules::{Code, Violation};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::options::RequestOptions;
use crate::request::request_builder;
use crate::response::Response;
use crate::transport::Transport;

/// A string enumeration of the API that keeps values this SDK does not know as `Other`.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value added to the API after this SDK was released.
            Other(String),
        }

        impl $name {
            /// The API's name for the value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::from(s.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                String::deserialize(d).map($name::from)
            }
        }
    };
}

open_enum! {
    /// Whether a webhook receives events.
    ///
    /// ```
    /// assert_eq!(vivamo::WebhookStatus::from("inactive"), vivamo::WebhookStatus::Inactive);
    /// ```
    WebhookStatus {
        /// Deliveries are sent.
        Active = "active",
        /// Deliveries are paused.
        Inactive = "inactive",
    }
}

open_enum! {
    /// An event type a webhook can subscribe to.
    ///
    /// ```
    /// use vivamo::WebhookEventType;
    /// assert_eq!(WebhookEventType::from("kyc_verification"), WebhookEventType::KycVerification);
    /// assert_eq!(WebhookEventType::Transaction.as_str(), "transaction");
    /// ```
    WebhookEventType {
        /// Payment and disbursement results.
        Transaction = "transaction",
        /// A customer's KYC status changed.
        KycVerification = "kyc_verification",
        /// A customer must fill in a W-9 tax form.
        CustomerW9Required = "customer_w9_required",
        /// A customer completed the W-9 tax form.
        CustomerW9Completed = "customer_w9_completed",
    }
}

/// A webhook's secret key, the HMAC-SHA512 key of its deliveries' `signature` header
/// (pass it to [`crate::webhooks::verify`]). Returned only when the webhook is registered.
/// `Debug` never shows it; [`WebhookSecret::expose`] does.
///
/// ```
/// let secret = vivamo::WebhookSecret::new("whsec_0123");
/// assert_eq!(format!("{secret:?}"), "WebhookSecret([redacted])");
/// assert_eq!(secret.expose(), "whsec_0123");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookSecret(secret.into())
    }

    /// The secret itself, to store where your receiver reads it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

/// A registered webhook (without its secret).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Vivamo's identifier of the webhook (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// Whether deliveries are sent.
    pub status: WebhookStatus,
    /// The event types delivered; empty = every type.
    #[serde(default)]
    pub event_types: Vec<WebhookEventType>,
    /// Custom headers sent with every delivery.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Fields the API added that this SDK does not know yet.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn headers_of(h: Option<types::WebhookHeaders>) -> BTreeMap<String, String> {
    h.map(|h| h.0.into_iter().collect()).unwrap_or_default()
}

fn types_of(t: Vec<types::WebhookEventType>) -> Vec<WebhookEventType> {
    t.into_iter().map(|t| WebhookEventType::from(t.0)).collect()
}

impl From<types::Webhook> for Webhook {
    fn from(w: types::Webhook) -> Self {
        Webhook {
            id: w.id,
            url: w.url,
            status: WebhookStatus::from(w.status),
            event_types: types_of(w.event_types),
            headers: headers_of(w.headers),
            extra: w.extra,
        }
    }
}

/// The answer of [`Webhooks::register`]: the webhook and its secret, shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredWebhook {
    /// The webhook.
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The secret of its signatures. Store it now: the API never shows it again.
    pub secret_key: WebhookSecret,
}

impl From<types::RegisteredWebhook> for RegisteredWebhook {
    fn from(w: types::RegisteredWebhook) -> Self {
        let webhook = types::Webhook {
            id: w.id,
            url: w.url,
            status: w.status,
            event_types: w.event_types,
            headers: w.headers,
            extra: w.extra,
        };
        RegisteredWebhook {
            webhook: Webhook::from(webhook),
            secret_key: WebhookSecret(w.secret_key),
        }
    }
}

/// A webhook to register: `NewWebhook::new(url).header("x-pre-shared-key", "…")`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    /// Where events are POSTed (an absolute `https` URL in production).
    pub url: String,
    /// Custom headers sent with every delivery.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

impl NewWebhook {
    /// A webhook for `url`, no custom headers.
    pub fn new(url: impl Into<String>) -> Self {
        NewWebhook {
            url: url.into(),
            headers: BTreeMap::new(),
        }
    }

    /// Adds a custom header sent with every delivery (a pre-shared key, say).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }
}

/// A change to a webhook: only the fields set change.
///
/// ```
/// use vivamo::{WebhookEventType, WebhookStatus, WebhookUpdate};
/// let pause = WebhookUpdate::new().status(WebhookStatus::Inactive);
/// let kyc_only = WebhookUpdate::new().event_types([WebhookEventType::KycVerification]);
/// # let _ = (pause, kyc_only);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookUpdate {
    /// The new URL.
    pub url: Option<String>,
    /// `Inactive` pauses deliveries, `Active` resumes them.
    pub status: Option<WebhookStatus>,
    /// The event types delivered; an empty list means every type again.
    pub event_types: Option<Vec<WebhookEventType>>,
    /// The new custom headers (replacing the old ones).
    pub headers: Option<BTreeMap<String, String>>,
}

impl WebhookUpdate {
    /// A change of nothing yet.
    pub fn new() -> Self {
        WebhookUpdate::default()
    }

    /// Sets the URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the status.
    pub fn status(mut self, status: WebhookStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the event types (empty: every type).
    pub fn event_types(mut self, types: impl IntoIterator<Item = WebhookEventType>) -> Self {
        self.event_types = Some(types.into_iter().collect());
        self
    }

    /// Replaces the custom headers.
    pub fn headers(mut self, headers: BTreeMap<String, String>) -> Self {
        self.headers = Some(headers);
        self
    }
}

/// The webhook operations of a [`crate::Client`]: `client.webhooks()`.
#[derive(Clone, Copy, Debug)]
pub struct Webhooks<'a> {
    ctx: &'a Arc<Context>,
}

/// A blank URL is refused here; the API says what else it refuses.
fn check_url(url: &str) -> Result<()> {
    if url.trim().is_empty() {
        return Err(Error::validation(vec![Violation::new(
            "url",
            Code::MissingField,
            "url is required: pass the https URL of your webhook receiver",
        )]));
    }
    Ok(())
}

fn check_webhook_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::validation(vec![Violation::new(
            "webhookId",
            Code::MissingField,
            "webhookId is required: pass the id register() returned",
        )]));
    }
    Ok(())
}

fn api_headers(h: &BTreeMap<String, String>) -> types::WebhookHeaders {
    types::WebhookHeaders(
        h.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<HashMap<_, _>>(),
    )
}

impl<'a> Webhooks<'a> {
    pub(crate) fn new(ctx: &'a Arc<Context>) -> Self {
        Webhooks { ctx }
    }

    fn transport(&self) -> &'a Transport {
        &self.ctx.transport
    }

    fn options(&self, call: &RequestOptions) -> RequestOptions {
        call.over(&self.ctx.options)
    }

    /// Registers a webhook; the answer carries its secret, shown this once. A webhook with
    /// the same URL and overlapping event types is refused with [`ErrorKind::Conflict`].
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let hook = client
    ///     .webhooks()
    ///     .register(vivamo::NewWebhook::new("https://example.com/vivamo").header("x-pre-shared-key", "3f1c"))
    ///     .await?;
    /// println!("{} registered; store its secret now", hook.webhook.id);
    /// # let _ = hook.secret_key.expose();
    /// # Ok(()) }
    /// ```
    pub fn register(&self, webhook: NewWebhook) -> RegisterWebhook<'a> {
        RegisterWebhook {
            webhooks: *self,
            webhook,
            options: RequestOptions::new(),
        }
    }

    /// Your webhooks, in registration order.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// for hook in client.webhooks().list().await? {
    ///     println!("{} {} {}", hook.id, hook.status, hook.url);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListWebhooks<'a> {
        ListWebhooks {
            webhooks: *self,
            options: RequestOptions::new(),
        }
    }

    /// Changes a webhook's URL, status, event types or headers; the secret never changes.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let paused = client
    ///     .webhooks()
    ///     .update("wh_123", vivamo::WebhookUpdate::new().status(vivamo::WebhookStatus::Inactive))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        webhook_id: impl Into<String>,
        update: WebhookUpdate,
    ) -> UpdateWebhook<'a> {
        UpdateWebhook {
            webhooks: *self,
            webhook_id: webhook_id.into(),
            update,
            options: RequestOptions::new(),
        }
    }

    /// Deletes a webhook; answers Vivamo's message.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// client.webhooks().delete("wh_123").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, webhook_id: impl Into<String>) -> DeleteWebhook<'a> {
        DeleteWebhook {
            webhooks: *self,
            webhook_id: webhook_id.into(),
            options: RequestOptions::new(),
        }
    }
}

/// A webhook registration; see [`Webhooks::register`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct RegisterWebhook<'a> {
    webhooks: Webhooks<'a>,
    webhook: NewWebhook,
    options: RequestOptions,
}

request_builder!(RegisterWebhook, RegisteredWebhook);

impl RegisterWebhook<'_> {
    async fn run(self) -> Result<Response<RegisteredWebhook>> {
        check_url(&self.webhook.url)?;
        let options = self.webhooks.options(&self.options);
        let transport = self.webhooks.transport();
        let api = transport.api();
        let body = types::RegisterWebhookRequest {
            url: self.webhook.url.trim().to_string(),
            headers: (!self.webhook.headers.is_empty()).then(|| api_headers(&self.webhook.headers)),
        };
        let outcome = transport
            .call("register_webhook", &options, || {
                api.register_webhook().body(body.clone()).send()
            })
            .await;
        match outcome.result {
            Ok(r) => Ok(r.map(RegisteredWebhook::from)),
            // The secret is answered only once: a registration whose answer was lost cannot
            // be recovered, only redone.
            Err(e) if outcome.maybe_applied && e.kind() == ErrorKind::Conflict => Err(Error::new(
                ErrorKind::Conflict,
                "the webhook was probably registered by an earlier attempt whose answer was lost, so its secret is unknown: delete it (list() shows its id) and register it again",
            )
            .with_status(e.status())
            .with_request_id(e.request_id().map(str::to_owned))),
            Err(e) => Err(e),
        }
    }
}

/// A request for your webhooks; see [`Webhooks::list`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct ListWebhooks<'a> {
    webhooks: Webhooks<'a>,
    options: RequestOptions,
}

request_builder!(ListWebhooks, Vec<Webhook>);

impl ListWebhooks<'_> {
    async fn run(self) -> Result<Response<Vec<Webhook>>> {
        let options = self.webhooks.options(&self.options);
        let transport = self.webhooks.transport();
        let api = transport.api();
        transport
            .call("list_webhooks", &options, || api.list_webhooks().send())
            .await
            .result
            .map(|r| r.map(|list| list.into_iter().map(Webhook::from).collect()))
    }
}

/// A webhook update; see [`Webhooks::update`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct UpdateWebhook<'a> {
    webhooks: Webhooks<'a>,
    webhook_id: String,
    update: WebhookUpdate,
    options: RequestOptions,
}

request_builder!(UpdateWebhook, Webhook);

impl UpdateWebhook<'_> {
    async fn run(self) -> Result<Response<Webhook>> {
        let id = self.webhook_id.as_str();
        check_webhook_id(id)?;
        if let Some(url) = &self.update.url {
            check_url(url)?;
        }
        let status = match &self.update.status {
            None => None,
            Some(WebhookStatus::Active) => Some(types::UpdateWebhookRequestStatus::Active),
            Some(WebhookStatus::Inactive) => Some(types::UpdateWebhookRequestStatus::Inactive),
            Some(WebhookStatus::Other(s)) => {
                return Err(Error::validation(vec![Violation::new(
                    "status",
                    Code::InvalidType,
                    format!("status `{s}` is not one the API accepts: use active or inactive"),
                )]))
            }
        };
        let body = types::UpdateWebhookRequest {
            url: self.update.url.as_ref().map(|u| u.trim().to_string()),
            status,
            event_types: self.update.event_types.as_ref().map(|t| {
                t.iter()
                    .map(|t| types::WebhookEventType(t.as_str().to_string()))
                    .collect()
            }),
            headers: self.update.headers.as_ref().map(api_headers),
        };
        let options = self.webhooks.options(&self.options);
        let transport = self.webhooks.transport();
        let api = transport.api();
        transport
            .call("update_webhook", &options, || {
                api.update_webhook()
                    .webhook_id(id)
                    .body(body.clone())
                    .send()
            })
            .await
            .result
            .map(|r| r.map(Webhook::from))
    }
}

/// A webhook deletion; see [`Webhooks::delete`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct DeleteWebhook<'a> {
    webhooks: Webhooks<'a>,
    webhook_id: String,
    options: RequestOptions,
}

request_builder!(DeleteWebhook, String);

impl DeleteWebhook<'_> {
    async fn run(self) -> Result<Response<String>> {
        let id = self.webhook_id.as_str();
        check_webhook_id(id)?;
        let options = self.webhooks.options(&self.options);
        let transport = self.webhooks.transport();
        let api = transport.api();
        transport
            .call("delete_webhook", &options, || {
                api.delete_webhook().webhook_id(id).send()
            })
            .await
            .result
            .map(|r| r.map(|a| a.message))
    }
}
