//! Vivamo's webhook signature: the lowercase hex HMAC-SHA512 of a delivery's raw body under
//! the webhook's secret key. One implementation, used by the SDK (`vivamo::webhooks`, to sign
//! and verify) and by the sandbox (to sign what it delivers).

use hmac::{Hmac, Mac};
use sha2::Sha512;

type HmacSha512 = Hmac<Sha512>;

/// Hex digits of a signature.
pub const SIGNATURE_HEX_LEN: usize = 128;

/// The `signature` header Vivamo sends with `payload`: lowercase hex HMAC-SHA512 under
/// `secret`.
///
/// ```
/// assert_eq!(vivamo_rules::sign_webhook(b"{}", "s").len(), 128);
/// ```
pub fn sign_webhook(payload: &[u8], secret: &str) -> String {
    hex::encode(mac(secret, payload).finalize().into_bytes())
}

/// Whether `signature` (raw bytes, already hex-decoded) is the HMAC-SHA512 of `payload`
/// under `secret`, compared in constant time.
///
/// ```
/// let sig = vivamo_rules::sign_webhook(b"{}", "s");
/// assert!(vivamo_rules::webhook_signature_matches(b"{}", &hex_decode(&sig), "s"));
/// # fn hex_decode(s: &str) -> Vec<u8> { (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect() }
/// ```
pub fn webhook_signature_matches(payload: &[u8], signature: &[u8], secret: &str) -> bool {
    mac(secret, payload).verify_slice(signature).is_ok()
}

fn mac(secret: &str, payload: &[u8]) -> HmacSha512 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <HmacSha512 as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(payload);
    mac
}
