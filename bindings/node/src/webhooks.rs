//! `webhooks.sign`, `webhooks.verify` and `webhooks.parse`: the Rust SDK's
//! `vivamo::webhooks`, on a `Buffer` or a string body.

use napi::bindgen_prelude::{Either, Uint8Array};
use napi_derive::napi;

use crate::errors::js_error;

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
    Ok(match event {
        vivamo::webhooks::WebhookEvent::PaymentResult(p) => WebhookEvent {
            kind: "payment_result".to_string(),
            // Verified and decoded above: the same bytes decode again.
            data: serde_json::from_slice(body).unwrap_or(serde_json::Value::Null),
            payment: Some(PaymentResult {
                amount: p.amount,
                status: p.status,
                sub_status: p.sub_status,
                transaction_type: p.transaction_type,
                external_customer_id: p.external_customer_id,
                external_payment_intent_id: p.external_payment_intent_id,
                payment_intent_id: p.payment_intent_id,
            }),
        },
        vivamo::webhooks::WebhookEvent::Other(data) => WebhookEvent {
            kind: "other".to_string(),
            payment: None,
            data,
        },
    })
}
