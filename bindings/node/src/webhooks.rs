//! `webhooks.sign`, `webhooks.verify`, `webhooks.parse` and `webhooks.Verifier`: the Rust
//! SDK's `vivamo::webhooks`, on a `Buffer` or a string body.

use napi::bindgen_prelude::{Either, Uint8Array};
use napi_derive::napi;

use crate::errors::js_error;
use crate::options::whole;

/// The raw body: bytes as received (a `Buffer` is a `Uint8Array`), or a string (its UTF-8
/// bytes).
fn bytes(payload: &Either<Uint8Array, String>) -> &[u8] {
    match payload {
        Either::A(bytes) => bytes,
        Either::B(text) => text.as_bytes(),
    }
}

/// The documented fields of a payment-result event.
#[napi(object)]
pub struct PaymentResult {
    /// The amount, a decimal string (e.g. `"125.50"`).
    pub amount: String,
    /// `success` or `failed`.
    pub status: String,
    /// Why a payment failed (e.g. `declined`).
    pub sub_status: Option<String>,
    /// `payment`, …
    pub transaction_type: String,
    /// Your identifier for the customer.
    pub external_customer_id: String,
    /// Your identifier for the payment intent.
    pub external_payment_intent_id: String,
    /// Vivamo's identifier for the payment intent, when sent.
    pub payment_intent_id: Option<String>,
}

/// A verified webhook event: `type` says which of `payment` / `data` is set.
#[napi(object)]
pub struct WebhookEvent {
    /// `payment_result` or `other`.
    #[napi(js_name = "type")]
    pub kind: String,
    /// The typed payment result (for `payment_result`).
    pub payment: Option<PaymentResult>,
    /// The decoded body, for every event.
    pub data: serde_json::Value,
}

/// The signature Vivamo would send for `payload` (lowercase hex HMAC-SHA512).
#[napi(js_name = "webhookSign")]
pub fn webhook_sign(payload: Either<Uint8Array, String>, secret: String) -> String {
    vivamo::webhooks::sign(bytes(&payload), &secret)
}

/// Throws a `webhook_signature` error unless `signature` matches the raw body and secret.
#[napi(js_name = "webhookVerify")]
pub fn webhook_verify(
    payload: Either<Uint8Array, String>,
    signature: String,
    secret: String,
) -> napi::Result<()> {
    vivamo::webhooks::verify(bytes(&payload), &signature, &secret).map_err(js_error)
}

/// Verifies, then decodes the event.
#[napi(js_name = "webhookParse")]
pub fn webhook_parse(
    payload: Either<Uint8Array, String>,
    signature: String,
    secret: String,
) -> napi::Result<WebhookEvent> {
    let body = bytes(&payload);
    let event = vivamo::webhooks::parse(body, &signature, &secret).map_err(js_error)?;
    Ok(event_of(event))
}

/// A verified, decoded delivery as the JavaScript object.
fn event_of(event: vivamo::webhooks::WebhookEvent) -> WebhookEvent {
    let (kind, data) = (event.kind().to_string(), event.to_json());
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
    WebhookEvent {
        kind,
        data,
        payment,
    }
}

/// The native half of `webhooks.Verifier` (`index.js` converts the request's headers to
/// pairs): the Rust SDK's `vivamo::webhooks::Verifier`.
#[napi]
pub struct NativeWebhookVerifier {
    inner: vivamo::webhooks::Verifier,
}

/// The `signature` header's pairs as the SDK takes them.
fn pairs(headers: &[Vec<String>]) -> impl Iterator<Item = (&str, &str)> {
    headers.iter().filter_map(|pair| match pair.as_slice() {
        [name, value] => Some((name.as_str(), value.as_str())),
        _ => None,
    })
}

#[napi]
impl NativeWebhookVerifier {
    /// A verifier for every secret of `secrets` (at least one, none empty) and bodies of at
    /// most `max_body_bytes` (default 1 MiB).
    #[napi(constructor)]
    pub fn new(secrets: Vec<String>, max_body_bytes: Option<f64>) -> napi::Result<Self> {
        let mut inner = vivamo::webhooks::Verifier::new(secrets).map_err(js_error)?;
        if let Some(max) = max_body_bytes {
            let max = whole("maxBodyBytes", max, 0.0)?;
            inner = inner.max_body_bytes(usize::try_from(max).unwrap_or(usize::MAX));
        }
        Ok(NativeWebhookVerifier { inner })
    }

    /// Throws a `webhook_signature` error unless `signature` matches under one of the secrets.
    #[napi]
    pub fn verify(
        &self,
        payload: Either<Uint8Array, String>,
        signature: String,
    ) -> napi::Result<()> {
        self.inner
            .verify(bytes(&payload), &signature)
            .map_err(js_error)
    }

    /// `verify` with the `signature` header among `headers` (`[name, value]` pairs).
    #[napi]
    pub fn verify_headers(
        &self,
        payload: Either<Uint8Array, String>,
        headers: Vec<Vec<String>>,
    ) -> napi::Result<()> {
        self.inner
            .verify_headers(bytes(&payload), pairs(&headers))
            .map_err(js_error)
    }

    /// Verifies, then decodes the event.
    #[napi]
    pub fn parse(
        &self,
        payload: Either<Uint8Array, String>,
        signature: String,
    ) -> napi::Result<WebhookEvent> {
        let body = bytes(&payload);
        let event = self.inner.parse(body, &signature).map_err(js_error)?;
        Ok(event_of(event))
    }

    /// `parse` with the `signature` header among `headers` (`[name, value]` pairs).
    #[napi]
    pub fn parse_headers(
        &self,
        payload: Either<Uint8Array, String>,
        headers: Vec<Vec<String>>,
    ) -> napi::Result<WebhookEvent> {
        let body = bytes(&payload);
        let event = self
            .inner
            .parse_headers(body, pairs(&headers))
            .map_err(js_error)?;
        Ok(event_of(event))
    }
}
