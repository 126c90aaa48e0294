//! The bodies the sandbox delivers.
//!
//! Vivamo publishes no body for KYC events, so `kyc_verification` is the sandbox's own shape:
//! `{"eventType": "kyc_verification", "externalCustomerId", "type", "status", "updatedAt"}`.
//! `transaction` events use Vivamo's documented payment-result shape (`amount`, `status`,
//! `transactionType`, `externalCustomerId`, `externalPaymentIntentId`), defaults that the
//! trigger's `data` overrides.

use serde_json::{json, Map, Value};

use crate::store::KycChange;

/// The body of a `kyc_verification` event.
pub(crate) fn kyc_verification(change: &KycChange) -> Value {
    json!({
        "eventType": "kyc_verification",
        "externalCustomerId": change.external_id,
        "type": change.kind,
        "status": change.status,
        "updatedAt": change.at,
    })
}

/// The body of a triggered event: for `transaction` the documented payment-result fields
/// (a successful 125.50 payment of `user_123` unless `data` says otherwise), for the other
/// types `{"eventType": ...}`; then every field of `data`.
pub(crate) fn triggered(event_type: &str, data: &Map<String, Value>) -> Value {
    let mut body = if event_type == "transaction" {
        json!({
            "amount": "125.50",
            "status": "success",
            "transactionType": "payment",
            "externalCustomerId": "user_123",
            "externalPaymentIntentId": format!("pi_{:016x}", fastrand::u64(..)),
        })
    } else {
        json!({ "eventType": event_type })
    };
    if let Some(o) = body.as_object_mut() {
        for (k, v) in data {
            o.insert(k.clone(), v.clone());
        }
    }
    body
}
