//! `vivamo.webhooks.Verifier`: webhook verification as a receiver wants it (the Rust SDK's
//! `vivamo::webhooks::Verifier`): the `signature` header found in the request's headers,
//! every secret of a rotation, a body size limit checked before hashing.

use pyo3::prelude::*;

use crate::errors::{guard, to_py_err};
use crate::kyc::{body, event_of, WebhookEvent};

/// The request's headers as (name, value) pairs: any mapping with `items()` (a dict, Flask's
/// and Starlette's `request.headers`, Django's `request.headers`) or an iterable of pairs.
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let items = match headers.call_method0("items") {
        Ok(items) => items,
        Err(_) => headers.clone(),
    };
    let mut pairs = Vec::new();
    for pair in items.try_iter().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(
            "headers must be the request's headers: a mapping of names to values, or (name, value) pairs",
        )
    })? {
        let (name, value): (String, String) = pair?.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "headers must hold (name, value) pairs of strings",
            )
        })?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

// The literal default of `max_body_bytes` below is the SDK's.
const _: () = assert!(vivamo::webhooks::DEFAULT_MAX_BODY_BYTES == 1_048_576);

/// Verifies webhook deliveries against one or more secrets (during a rotation, the old and
/// the new), reading the `signature` header from the request's headers, and refusing a body
/// over `max_body_bytes` (default 1 MiB) before hashing it. `repr()` never shows a secret.
#[pyclass(frozen, module = "vivamo.webhooks", name = "Verifier")]
pub struct WebhookVerifier {
    inner: vivamo::webhooks::Verifier,
    /// For `repr()`: how many secrets, never which.
    secrets: usize,
    max_body_bytes: usize,
}

#[pymethods]
impl WebhookVerifier {
    #[new]
    // The default written out, so that Python's signature (and the stub) shows it.
    #[pyo3(signature = (secrets, *, max_body_bytes = 1_048_576))]
    fn new(py: Python<'_>, secrets: Vec<String>, max_body_bytes: usize) -> PyResult<Self> {
        guard(py, || {
            let count = secrets.len();
            let verifier =
                vivamo::webhooks::Verifier::new(secrets).map_err(|e| to_py_err(py, &e))?;
            Ok(WebhookVerifier {
                inner: verifier.max_body_bytes(max_body_bytes),
                secrets: count,
                max_body_bytes,
            })
        })
    }

    /// Raises `WebhookSignatureError` unless `signature` matches the raw body under one of
    /// the secrets.
    fn verify(&self, py: Python<'_>, payload: &Bound<'_, PyAny>, signature: &str) -> PyResult<()> {
        guard(py, || {
            self.inner
                .verify(&body(payload)?, signature)
                .map_err(|e| to_py_err(py, &e))
        })
    }

    /// `verify` with the `signature` header taken from `headers` (names in any case); a
    /// missing header is a `WebhookSignatureError` saying so.
    fn verify_headers(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        guard(py, || {
            let pairs = header_pairs(headers)?;
            let pairs = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()));
            self.inner
                .verify_headers(&body(payload)?, pairs)
                .map_err(|e| to_py_err(py, &e))
        })
    }

    /// Verifies, then decodes the delivery (as `vivamo.webhooks.parse`).
    fn parse(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        signature: &str,
    ) -> PyResult<WebhookEvent> {
        guard(py, || {
            let raw = body(payload)?;
            let event = self
                .inner
                .parse(&raw, signature)
                .map_err(|e| to_py_err(py, &e))?;
            event_of(py, event)
        })
    }

    /// `parse` with the `signature` header taken from `headers`.
    fn parse_headers(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
    ) -> PyResult<WebhookEvent> {
        guard(py, || {
            let raw = body(payload)?;
            let pairs = header_pairs(headers)?;
            let pairs = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()));
            let event = self
                .inner
                .parse_headers(&raw, pairs)
                .map_err(|e| to_py_err(py, &e))?;
            event_of(py, event)
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "vivamo.webhooks.Verifier(secrets=[{} redacted], max_body_bytes={})",
            self.secrets, self.max_body_bytes
        )
    }
}
