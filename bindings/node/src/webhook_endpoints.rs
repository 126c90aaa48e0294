//! The shapes of the webhook-endpoint operations (`vivamo.webhooks.register`, `list`,
//! `update`, `delete`, generated from openapi.yaml and calling `crate::operations`): what
//! they take and what they answer. Checking a delivery's signature is `crate::webhooks`.

use std::collections::HashMap;

use napi_derive::napi;

use crate::models::WithRequestId;

/// What `vivamo.webhooks.register` sends.
#[napi(object)]
pub struct RegisterWebhookRequest {
    /// Where events are POSTed, an absolute `https` URL.
    pub url: String,
    /// Custom headers sent with every delivery (a pre-shared key, say).
    pub headers: Option<HashMap<String, String>>,
}

impl From<RegisterWebhookRequest> for vivamo::NewWebhook {
    fn from(r: RegisterWebhookRequest) -> Self {
        vivamo::NewWebhook {
            url: r.url,
            headers: r.headers.unwrap_or_default().into_iter().collect(),
        }
    }
}

/// What `vivamo.webhooks.update` changes: only the fields given.
#[napi(object)]
pub struct UpdateWebhookRequest {
    /// The new URL.
    pub url: Option<String>,
    /// `inactive` pauses deliveries, `active` resumes them.
    #[napi(ts_type = "'active' | 'inactive'")]
    pub status: Option<String>,
    /// The event types delivered; an empty list means every type again.
    #[napi(
        ts_type = "Array<'transaction' | 'kyc_verification' | 'customer_w9_required' | 'customer_w9_completed' | (string & {})>"
    )]
    pub event_types: Option<Vec<String>>,
    /// The new custom headers (replacing the old ones).
    pub headers: Option<HashMap<String, String>>,
}

impl From<UpdateWebhookRequest> for vivamo::WebhookUpdate {
    fn from(r: UpdateWebhookRequest) -> Self {
        vivamo::WebhookUpdate {
            url: r.url,
            status: r.status.map(vivamo::WebhookStatus::from),
            event_types: r
                .event_types
                .map(|t| t.into_iter().map(vivamo::WebhookEventType::from).collect()),
            headers: r.headers.map(|h| h.into_iter().collect()),
        }
    }
}

/// A registered webhook (without its secret), as `list` and `update` answer it.
#[napi(object)]
pub struct Webhook {
    /// Vivamo's id for the request that returned this (`x-request-id`); `undefined` for the
    /// items of `list` (its `withResponse()` has the id).
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// Vivamo's identifier of the webhook (the API's `_id`).
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// `active` or `inactive` (a later status arrives as is).
    #[napi(ts_type = "'active' | 'inactive' | (string & {})")]
    pub status: String,
    /// The event types delivered; empty means every type.
    #[napi(
        ts_type = "Array<'transaction' | 'kyc_verification' | 'customer_w9_required' | 'customer_w9_completed' | (string & {})>"
    )]
    pub event_types: Vec<String>,
    /// The custom headers sent with every delivery.
    pub headers: HashMap<String, String>,
}

impl From<vivamo::Webhook> for Webhook {
    fn from(w: vivamo::Webhook) -> Self {
        Webhook {
            request_id: None,
            id: w.id,
            url: w.url,
            status: w.status.as_str().to_string(),
            event_types: w
                .event_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            headers: w.headers.into_iter().collect(),
        }
    }
}

/// What `vivamo.webhooks.register` answers: the webhook and its secret key, shown this once.
#[napi(object)]
pub struct RegisteredWebhook {
    /// Vivamo's id for the request that returned this (`x-request-id`).
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// Vivamo's identifier of the webhook (the API's `_id`).
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// `active` for a new webhook.
    #[napi(ts_type = "'active' | 'inactive' | (string & {})")]
    pub status: String,
    /// The event types delivered; empty means every type.
    #[napi(
        ts_type = "Array<'transaction' | 'kyc_verification' | 'customer_w9_required' | 'customer_w9_completed' | (string & {})>"
    )]
    pub event_types: Vec<String>,
    /// The custom headers sent with every delivery.
    pub headers: HashMap<String, String>,
    /// The HMAC-SHA512 key of the deliveries' `signature` header: store it now, the API never
    /// shows it again. Never log it.
    pub secret_key: String,
}

impl From<vivamo::RegisteredWebhook> for RegisteredWebhook {
    fn from(r: vivamo::RegisteredWebhook) -> Self {
        let webhook = Webhook::from(r.webhook);
        RegisteredWebhook {
            request_id: None,
            id: webhook.id,
            url: webhook.url,
            status: webhook.status,
            event_types: webhook.event_types,
            headers: webhook.headers,
            secret_key: r.secret_key.expose().to_string(),
        }
    }
}

impl WithRequestId for Webhook {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}

impl WithRequestId for RegisteredWebhook {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}
