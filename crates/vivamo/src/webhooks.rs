//! Webhook signatures: check a delivery's `signature` header before trusting its body.
//!
//! Vivamo signs every delivery with the lowercase hex HMAC-SHA512 of the raw request body
//! under the webhook's secret key. Verify the *raw bytes* as received, before any parsing
//! (re-serialized JSON does not match), and expect the same event more than once: Vivamo
//! retries a delivery that was not answered 200, so de-duplicate by content.
//!
//! ```
//! let secret = "whsec_test";
//! let body = br#"{"amount":"125.50","status":"success","transactionType":"payment","externalCustomerId":"user_123","externalPaymentIntentId":"order_987"}"#;
//! let signature = vivamo::webhooks::sign(body, secret);
//! match vivamo::webhooks::parse(body, &signature, secret)? {
//!     vivamo::webhooks::WebhookEvent::PaymentResult(p) => assert_eq!(p.amount, "125.50"),
//!     vivamo::webhooks::WebhookEvent::Other(json) => println!("{json}"),
//! }
//! assert_eq!(
//!     vivamo::webhooks::verify(b"{}", &signature, secret).unwrap_err().kind(),
//!     vivamo::ErrorKind::WebhookSignature,
//! );
//! # Ok::<(), vivamo::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use vivamo_rules::SIGNATURE_HEX_LEN;

use crate::error::{Error, ErrorKind, Result};

pub use crate::webhook_verifier::{Verifier, DEFAULT_MAX_BODY_BYTES, SIGNATURE_HEADER};

/// The signature Vivamo would send for `payload`: lowercase hex HMAC-SHA512 under `secret`.
/// For testing a receiver.
///
/// ```
/// assert_eq!(vivamo::webhooks::sign(b"{}", "s").len(), 128);
/// ```
pub fn sign(payload: &[u8], secret: &str) -> String {
    vivamo_rules::sign_webhook(payload, secret)
}

/// Checks that `signature` (the `signature` header; upper- or lower-case hex, surrounding
/// whitespace ignored) is the HMAC-SHA512 of `payload` under `secret`, in constant time.
///
/// Errors: [`ErrorKind::WebhookSignature`] for an empty, non-hex, wrong-length or
/// non-matching signature; [`ErrorKind::Config`] for an empty secret.
///
/// ```
/// let signature = vivamo::webhooks::sign(b"{\"a\":1}", "whsec_test");
/// vivamo::webhooks::verify(b"{\"a\":1}", &signature.to_uppercase(), "whsec_test")?;
/// # Ok::<(), vivamo::Error>(())
/// ```
pub fn verify(payload: &[u8], signature: &str, secret: &str) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::config(
            "the webhook secret is empty: pass the secretKey Vivamo returned when the webhook was registered",
        ));
    }
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(refused(
            "the webhook has no signature: pass the delivery's `signature` header",
        ));
    }
    if signature.len() != SIGNATURE_HEX_LEN {
        return Err(refused(format!(
            "the webhook signature has {} characters, not the {SIGNATURE_HEX_LEN} hex digits of an HMAC-SHA512: pass the `signature` header as received",
            signature.chars().count()
        )));
    }
    let expected = hex::decode(signature).map_err(|_| {
        refused("the webhook signature is not hexadecimal: pass the `signature` header as received")
    })?;
    if vivamo_rules::webhook_signature_matches(payload, &expected, secret) {
        Ok(())
    } else {
        Err(refused("the webhook signature does not match the body: check the webhook's secret key, and verify the raw body as received, before any parsing"))
    }
}

/// Verifies the delivery (see [`verify`]), then decodes it: a payment-result event is
/// typed, anything else is kept as JSON. A body that is not JSON is an
/// [`ErrorKind::Decode`] error.
pub fn parse(payload: &[u8], signature: &str, secret: &str) -> Result<WebhookEvent> {
    verify(payload, signature, secret)?;
    let value: serde_json::Value = serde_json::from_slice(payload).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("the webhook body is not JSON: {e}"),
        )
    })?;
    Ok(WebhookEvent::from_json(value))
}

fn refused(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WebhookSignature, message)
}

/// A verified webhook delivery.
#[derive(Clone, Debug, PartialEq)]
pub enum WebhookEvent {
    /// A payment or disbursement result.
    PaymentResult(PaymentResult),
    /// Any other event (KYC status changes, tax forms, …), as JSON: Vivamo documents no
    /// exact shape for them.
    Other(serde_json::Value),
}

impl WebhookEvent {
    /// A payment result when the body has that shape (`amount`, `status`,
    /// `transactionType`, `externalCustomerId`, `externalPaymentIntentId`), else `Other`.
    fn from_json(value: serde_json::Value) -> WebhookEvent {
        match PaymentResult::deserialize(&value) {
            Ok(p) => WebhookEvent::PaymentResult(p),
            Err(_) => WebhookEvent::Other(value),
        }
    }

    /// `"payment_result"` or `"other"`: which variant this is, as the bindings name it.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookEvent::PaymentResult(_) => "payment_result",
            WebhookEvent::Other(_) => "other",
        }
    }

    /// The event as JSON, every field it came with included (a payment result's fields
    /// beyond the documented ones are kept in [`PaymentResult::extra`]).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            // A struct of strings and a JSON map always serializes.
            WebhookEvent::PaymentResult(p) => {
                serde_json::to_value(p).unwrap_or(serde_json::Value::Null)
            }
            WebhookEvent::Other(value) => value.clone(),
        }
    }
}

/// The documented fields of a payment-result event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResult {
    /// The amount, a decimal string (e.g. `"125.50"`).
    pub amount: String,
    /// `success` or `failed`.
    pub status: String,
    /// Why a payment failed (e.g. `declined`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_status: Option<String>,
    /// `payment`, …
    pub transaction_type: String,
    /// Your identifier for the customer.
    pub external_customer_id: String,
    /// Your identifier for the payment intent.
    pub external_payment_intent_id: String,
    /// Vivamo's identifier for the payment intent, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_intent_id: Option<String>,
    /// Any other field the event came with, as sent (Vivamo may add fields).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
