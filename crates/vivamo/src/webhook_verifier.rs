//! [`Verifier`]: webhook verification as a receiver wants it — from the request's headers,
//! with every secret of a rotation, and with a body size limit checked before any hashing.

use crate::error::{Error, ErrorKind, Result};
use crate::webhooks::{parse, verify, WebhookEvent};

/// The header Vivamo signs deliveries in.
pub const SIGNATURE_HEADER: &str = "signature";

/// The default largest body a [`Verifier`] hashes: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Verifies webhook deliveries against one or more secrets (during a rotation, the old and the
/// new), reading the `signature` header from the request's headers, and refusing a body over
/// a size limit before hashing it.
///
/// ```
/// use vivamo::webhooks::{sign, Verifier};
/// let body = br#"{"type":"kyc_verification","externalCustomerId":"user_123","status":"approved"}"#;
/// let signature = sign(body, "whsec_new");
/// let verifier = Verifier::new(["whsec_old", "whsec_new"])?;
/// // Header names in any case, as frameworks hand them over.
/// let headers = [("Content-Type", "application/json"), ("Signature", signature.as_str())];
/// let event = verifier.parse_headers(body, headers)?;
/// # let _ = event;
/// let err = verifier.verify_headers(body, [("content-type", "application/json")]).unwrap_err();
/// assert_eq!(err.kind(), vivamo::ErrorKind::WebhookSignature);
/// # Ok::<(), vivamo::Error>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<String>,
    max_body_bytes: usize,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &format!("[{} redacted]", self.secrets.len()))
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl Verifier {
    /// A verifier accepting a signature made with any of `secrets` (at least one; none
    /// empty), with the default body limit ([`DEFAULT_MAX_BODY_BYTES`]).
    pub fn new<S: Into<String>>(secrets: impl IntoIterator<Item = S>) -> Result<Verifier> {
        let secrets: Vec<String> = secrets.into_iter().map(Into::into).collect();
        if secrets.is_empty() {
            return Err(Error::config(
                "no webhook secret given: pass the secretKey Vivamo returned when the webhook was registered (during a rotation, the old and the new)",
            ));
        }
        if let Some(at) = secrets.iter().position(String::is_empty) {
            return Err(Error::config(format!(
                "webhook secret #{} is empty: pass the secretKey Vivamo returned when the webhook was registered",
                at + 1
            )));
        }
        Ok(Verifier {
            secrets,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// The largest body verified (default 1 MiB); a larger one is refused before hashing.
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.max_body_bytes = max;
        self
    }

    /// Checks `signature` against `payload` under each secret; see [`verify`].
    pub fn verify(&self, payload: &[u8], signature: &str) -> Result<()> {
        self.matching_secret(payload, signature).map(|_| ())
    }

    /// The secret `signature` was made with, after the size check.
    fn matching_secret(&self, payload: &[u8], signature: &str) -> Result<&str> {
        if payload.len() > self.max_body_bytes {
            return Err(Error::new(
                ErrorKind::WebhookSignature,
                format!(
                    "the webhook body has {} bytes, over the {}-byte limit: refused unverified (raise max_body_bytes if deliveries are this large)",
                    payload.len(),
                    self.max_body_bytes
                ),
            ));
        }
        let mut refusal = None;
        for secret in &self.secrets {
            match verify(payload, signature, secret) {
                Ok(()) => return Ok(secret),
                Err(e) => refusal = Some(e),
            }
        }
        Err(refusal.unwrap_or_else(|| Error::config("no webhook secret given")))
    }

    /// [`Verifier::verify`] with the `signature` header found in `headers` (names compared
    /// without regard to case). A missing header is its own error.
    pub fn verify_headers<'h>(
        &self,
        payload: &[u8],
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    ) -> Result<()> {
        self.verify(payload, signature_of(headers)?)
    }

    /// Verifies, then decodes the delivery; see [`parse`].
    pub fn parse(&self, payload: &[u8], signature: &str) -> Result<WebhookEvent> {
        let secret = self.matching_secret(payload, signature)?;
        parse(payload, signature, secret)
    }

    /// [`Verifier::parse`] with the `signature` header found in `headers`.
    pub fn parse_headers<'h>(
        &self,
        payload: &[u8],
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    ) -> Result<WebhookEvent> {
        self.parse(payload, signature_of(headers)?)
    }
}

/// The `signature` header's value among `headers`.
fn signature_of<'h>(headers: impl IntoIterator<Item = (&'h str, &'h str)>) -> Result<&'h str> {
    headers
        .into_iter()
        .find(|(name, _)| name.trim().eq_ignore_ascii_case(SIGNATURE_HEADER))
        .map(|(_, value)| value)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::WebhookSignature,
                "the request has no `signature` header: it was not sent by Vivamo, or a proxy dropped the header",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::sign;

    #[test]
    fn any_secret_of_a_rotation_verifies_and_none_other() {
        let body = b"{\"a\":1}";
        let verifier = Verifier::new(["old", "new"]).unwrap();
        verifier.verify(body, &sign(body, "old")).unwrap();
        verifier.verify(body, &sign(body, "new")).unwrap();
        let err = verifier.verify(body, &sign(body, "other")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WebhookSignature);
    }

    #[test]
    fn headers_are_found_in_any_case_and_a_missing_one_says_so() {
        let body = b"{}";
        let signature = sign(body, "s");
        let verifier = Verifier::new(["s"]).unwrap();
        for name in ["signature", "Signature", "SIGNATURE"] {
            verifier
                .verify_headers(body, [("x-other", "1"), (name, signature.as_str())])
                .unwrap();
        }
        let err = verifier
            .verify_headers(body, [("x-signature", signature.as_str())])
            .unwrap_err();
        assert!(err.to_string().contains("no `signature` header"), "{err}");
    }

    #[test]
    fn a_body_over_the_limit_is_refused_before_hashing() {
        let body = vec![b' '; 2048];
        let signature = sign(&body, "s");
        let verifier = Verifier::new(["s"]).unwrap().max_body_bytes(1024);
        let err = verifier.verify(&body, &signature).unwrap_err();
        assert!(
            err.to_string()
                .contains("2048 bytes, over the 1024-byte limit"),
            "{err}"
        );
        Verifier::new(["s"])
            .unwrap()
            .verify(&body, &signature)
            .unwrap();
    }

    #[test]
    fn no_secret_or_an_empty_one_is_a_config_error_and_secrets_stay_out_of_debug() {
        assert_eq!(
            Verifier::new(Vec::<String>::new()).unwrap_err().kind(),
            ErrorKind::Config
        );
        let err = Verifier::new(["a", ""]).unwrap_err();
        assert!(err.to_string().contains("#2"), "{err}");
        let debug = format!("{:?}", Verifier::new(["whsec_secret"]).unwrap());
        assert!(!debug.contains("whsec_secret"), "{debug}");
    }
}
