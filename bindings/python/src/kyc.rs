//! KYC results (`KycInfo`, `KycVerificationInfo`, `KycLinks`) and the webhook functions
//! behind `vivamo.webhooks` (`sign`, `verify`, `parse`, `PaymentResult`, `WebhookEvent`).

use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::{guard, to_py_err};
use crate::json::json_to_py;
use crate::models::{dict_of, q, q_opt, RequestId};

/// The legacy verification links of a pending verification (deprecated: use
/// `client_secret_key` with Vivamo's widget).
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct KycLinks(pub vivamo::KycLinks);

#[pymethods]
impl KycLinks {
    /// Where the customer completes verification.
    #[getter]
    fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Direct link for driver's license verification.
    #[getter]
    fn drivers_license_verification_url(&self) -> Option<&str> {
        self.0.drivers_license_verification_url.as_deref()
    }
    /// Direct link for passport verification.
    #[getter]
    fn passport_verification_url(&self) -> Option<&str> {
        self.0.passport_verification_url.as_deref()
    }
    /// The API's JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!("KycLinks(url={})", q_opt(self.0.url.as_deref()))
    }
}

/// A customer's verification as `kyc_info` answers it.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct KycVerificationInfo(pub vivamo::KycVerificationInfo);

#[pymethods]
impl KycVerificationInfo {
    /// The verification type (the API's `type`), e.g. `"proof_of_id"`.
    #[getter]
    fn verification_type(&self) -> &str {
        self.0.kind.as_str()
    }
    /// The status, e.g. `"pending"`, `"under_review"`, `"verified_manually"`.
    #[getter]
    fn status(&self) -> &str {
        self.0.status.as_str()
    }
    /// When the record was last created or refreshed.
    #[getter]
    fn verified_at(&self) -> DateTime<Utc> {
        self.0.verified_at
    }
    /// Only while pending: the `cs_ki_…` widget secret, valid 24 hours. Never log it.
    #[getter]
    fn client_secret_key(&self) -> Option<&str> {
        self.0.client_secret_key.as_ref().map(|s| s.expose())
    }
    /// Only while pending; deprecated legacy links.
    #[getter]
    fn data(&self) -> Option<KycLinks> {
        self.0.links.clone().map(KycLinks)
    }
    /// The API's JSON shape (includes the secret: do not log it).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "KycVerificationInfo(verification_type={}, status={}, verified_at={}, client_secret_key={})",
            q(self.0.kind.as_str()),
            q(self.0.status.as_str()),
            q(&self.0.verified_at.to_rfc3339()),
            if self.0.client_secret_key.is_some() { "'cs_ki_…'" } else { "None" },
        )
    }
}

/// The answer of `customers.kyc_info`.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct KycInfo(pub vivamo::KycInfo, pub RequestId);

#[pymethods]
impl KycInfo {
    /// Vivamo's request id (`x-request-id`) of the response this came from, if any.
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }

    /// Your identifier for the customer.
    #[getter]
    fn external_customer_id(&self) -> &str {
        &self.0.external_customer_id
    }
    /// The verification; `None` when KYC is not enabled for your integration.
    #[getter]
    fn kyc_verification(&self) -> Option<KycVerificationInfo> {
        self.0.verification.clone().map(KycVerificationInfo)
    }
    /// The API's JSON shape (includes the secret: do not log it).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "KycInfo(external_customer_id={}, kyc_verification={})",
            q(&self.0.external_customer_id),
            self.0
                .verification
                .clone()
                .map(|v| KycVerificationInfo(v).__repr__())
                .unwrap_or_else(|| "None".to_string()),
        )
    }
}

/// The documented fields of a payment-result event.
#[pyclass(frozen, eq, get_all, module = "vivamo")]
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResult {
    /// The amount, a decimal string (e.g. `"125.50"`).
    pub amount: String,
    /// `"success"` or `"failed"`.
    pub status: String,
    /// Why a payment failed (e.g. `"declined"`).
    pub sub_status: Option<String>,
    /// `"payment"`, …
    pub transaction_type: String,
    /// Your identifier for the customer.
    pub external_customer_id: String,
    /// Your identifier for the payment intent.
    pub external_payment_intent_id: String,
    /// Vivamo's identifier for the payment intent, when sent.
    pub payment_intent_id: Option<String>,
}

#[pymethods]
impl PaymentResult {
    fn __repr__(&self) -> String {
        format!(
            "PaymentResult(amount={}, status={}, transaction_type={}, external_customer_id={}, external_payment_intent_id={})",
            q(&self.amount),
            q(&self.status),
            q(&self.transaction_type),
            q(&self.external_customer_id),
            q(&self.external_payment_intent_id),
        )
    }
}

/// A verified webhook event: `type` is `"payment_result"` (then `payment` is set) or
/// `"other"`; `data` is the decoded body either way.
#[pyclass(frozen, get_all, module = "vivamo")]
pub struct WebhookEvent {
    /// `"payment_result"` or `"other"`.
    #[pyo3(name = "type")]
    pub kind: &'static str,
    /// The typed payment result, for `"payment_result"`.
    pub payment: Option<PaymentResult>,
    /// The decoded JSON body.
    pub data: Py<PyAny>,
}

#[pymethods]
impl WebhookEvent {
    fn __repr__(&self) -> String {
        format!("WebhookEvent(type={})", q(self.kind))
    }
}

/// The raw body: `bytes`/`bytearray`/`memoryview` as received, or `str` (its UTF-8 bytes).
pub(crate) fn body(payload: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if payload.is_instance_of::<PyString>() {
        return Ok(payload.extract::<String>()?.into_bytes());
    }
    payload.extract::<Vec<u8>>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "payload must be the raw body as bytes or str, got {}",
            payload
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

/// The signature Vivamo would send for `payload` (lowercase hex HMAC-SHA512).
#[pyfunction]
pub fn _webhook_sign(py: Python<'_>, payload: &Bound<'_, PyAny>, secret: &str) -> PyResult<String> {
    guard(py, || Ok(vivamo::webhooks::sign(&body(payload)?, secret)))
}

/// Raises `WebhookSignatureError` unless `signature` matches the raw body and secret.
#[pyfunction]
pub fn _webhook_verify(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    signature: &str,
    secret: &str,
) -> PyResult<()> {
    guard(py, || {
        vivamo::webhooks::verify(&body(payload)?, signature, secret).map_err(|e| to_py_err(py, &e))
    })
}

/// Verifies, then decodes the event.
#[pyfunction]
pub fn _webhook_parse(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    signature: &str,
    secret: &str,
) -> PyResult<WebhookEvent> {
    guard(py, || {
        let raw = body(payload)?;
        let event =
            vivamo::webhooks::parse(&raw, signature, secret).map_err(|e| to_py_err(py, &e))?;
        event_of(py, event)
    })
}

/// A verified, decoded delivery as the Python class.
pub(crate) fn event_of(
    py: Python<'_>,
    event: vivamo::webhooks::WebhookEvent,
) -> PyResult<WebhookEvent> {
    let data = json_to_py(py, &event.to_json())?.unbind();
    let kind = event.kind();
    let payment = match event {
        vivamo::webhooks::WebhookEvent::PaymentResult(p) => Some(PaymentResult {
            amount: p.amount,
            status: p.status,
            sub_status: p.sub_status,
            transaction_type: p.transaction_type,
            external_customer_id: p.external_customer_id,
            external_payment_intent_id: p.external_payment_intent_id,
            payment_intent_id: p.payment_intent_id,
        }),
        vivamo::webhooks::WebhookEvent::Other(_) => None,
    };
    Ok(WebhookEvent {
        kind,
        data,
        payment,
    })
}
