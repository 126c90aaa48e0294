//! `client.webhooks` and `aclient.webhooks`: the classes of the webhook-endpoint operations
//! (their methods are generated from openapi.yaml into `crate::generated` and call
//! `crate::operations`), and what they answer, `Webhook` and `RegisteredWebhook`.
//! Checking a delivery's signature is `vivamo.webhooks` (`crate::kyc`, `crate::webhook_verifier`).

use std::collections::BTreeMap;
use std::sync::Arc;

use pyo3::prelude::*;

use crate::client_core::Core;
use crate::models::{dict_of, q, RequestId};

/// `client.webhooks`: register, list, update and delete the URLs Vivamo POSTs events to.
#[pyclass(frozen, module = "vivamo")]
pub struct Webhooks {
    pub(crate) core: Arc<Core>,
}

#[pymethods]
impl Webhooks {
    fn __repr__(&self) -> String {
        format!("<vivamo.Webhooks of {}>", self.core.repr("Client"))
    }
}

/// `aclient.webhooks`: the same operations as `Client.webhooks`, as awaitables.
#[pyclass(frozen, module = "vivamo")]
pub struct AsyncWebhooks {
    pub(crate) core: Arc<Core>,
}

#[pymethods]
impl AsyncWebhooks {
    fn __repr__(&self) -> String {
        format!(
            "<vivamo.AsyncWebhooks of {}>",
            self.core.repr("AsyncClient")
        )
    }
}

/// The fields a webhook has, registered or not.
fn repr_of(class: &str, w: &vivamo::Webhook, secret: &str) -> String {
    let types: Vec<String> = w.event_types.iter().map(|t| q(t.as_str())).collect();
    format!(
        "{class}(id={}, url={}, status={}, event_types=[{}]{secret})",
        q(&w.id),
        q(&w.url),
        q(w.status.as_str()),
        types.join(", "),
    )
}

/// A registered webhook (without its secret), as `list` and `update` answer it.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct Webhook(pub vivamo::Webhook, pub RequestId);

impl From<vivamo::Webhook> for Webhook {
    fn from(w: vivamo::Webhook) -> Self {
        Webhook(w, RequestId::default())
    }
}

#[pymethods]
impl Webhook {
    /// Vivamo's request id (`x-request-id`) of the response this came from, if any (`None`
    /// for the items of `list`: its `with_raw_response` has the id).
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }
    /// Vivamo's identifier of the webhook (the API's `_id`).
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// Where events are POSTed.
    #[getter]
    fn url(&self) -> &str {
        &self.0.url
    }
    /// `"active"` or `"inactive"` (a later status arrives as is).
    #[getter]
    fn status(&self) -> &str {
        self.0.status.as_str()
    }
    /// The event types delivered; empty means every type.
    #[getter]
    fn event_types(&self) -> Vec<&str> {
        self.0.event_types.iter().map(|t| t.as_str()).collect()
    }
    /// The custom headers sent with every delivery.
    #[getter]
    fn headers(&self) -> BTreeMap<String, String> {
        self.0.headers.clone()
    }
    /// The API's JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        repr_of("Webhook", &self.0, "")
    }
}

/// What `register` answers: the webhook and its secret key, shown this once.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct RegisteredWebhook(pub vivamo::RegisteredWebhook, pub RequestId);

#[pymethods]
impl RegisteredWebhook {
    /// Vivamo's request id (`x-request-id`) of the response this came from, if any.
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }
    /// Vivamo's identifier of the webhook (the API's `_id`).
    #[getter]
    fn id(&self) -> &str {
        &self.0.webhook.id
    }
    /// Where events are POSTed.
    #[getter]
    fn url(&self) -> &str {
        &self.0.webhook.url
    }
    /// `"active"` for a new webhook.
    #[getter]
    fn status(&self) -> &str {
        self.0.webhook.status.as_str()
    }
    /// The event types delivered; empty means every type.
    #[getter]
    fn event_types(&self) -> Vec<&str> {
        self.0
            .webhook
            .event_types
            .iter()
            .map(|t| t.as_str())
            .collect()
    }
    /// The custom headers sent with every delivery.
    #[getter]
    fn headers(&self) -> BTreeMap<String, String> {
        self.0.webhook.headers.clone()
    }
    /// The HMAC-SHA512 key of the deliveries' `signature` header: store it now, the API
    /// never shows it again. Never log it.
    #[getter]
    fn secret_key(&self) -> &str {
        self.0.secret_key.expose()
    }
    /// The API's JSON shape (includes the secret: do not log it).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        repr_of(
            "RegisteredWebhook",
            &self.0.webhook,
            ", secret_key=[redacted]",
        )
    }
}
