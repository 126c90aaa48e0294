//! Response classification: whatever happened to one attempt becomes an [`Error`] with its
//! kind, status, Vivamo's message and request id, plus whether the server may have applied it.

use std::collections::BTreeMap;

use progenitor_client::Error as ApiError;
use vivamo_api::types::ErrorResponse;
use vivamo_api::Observed;

use crate::error::{Error, ErrorKind};

/// Turns a failed attempt into an [`Error`], and says whether the server may have applied it.
pub(crate) async fn classify(error: ApiError<ErrorResponse>, seen: &Observed) -> (Error, bool) {
    match error {
        ApiError::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let body = value.into_inner();
            let error = from_error_body(status, body.message, body.errors, seen);
            (error, status >= 500)
        }
        ApiError::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            match response.bytes().await {
                Ok(_) if status < 400 => (
                    Error::new(
                        ErrorKind::Decode,
                        format!("unexpected HTTP {status} for this operation"),
                    )
                    .with_status(Some(status))
                    .with_request_id(seen.request_id.clone()),
                    true,
                ),
                Ok(body) => (from_response(status, &body, seen), status >= 500),
                Err(e) => (body_broke(e, seen), true),
            }
        }
        ApiError::InvalidResponsePayload(body, e) => match seen.status {
            Some(status) if status >= 400 => (from_response(status, &body, seen), status >= 500),
            status => (
                Error::new(
                    ErrorKind::Decode,
                    format!(
                        "the response body ({} bytes) is not the JSON this operation returns: {e}",
                        body.len()
                    ),
                )
                .with_status(status)
                .with_request_id(seen.request_id.clone())
                .with_source(e),
                true,
            ),
        },
        ApiError::ResponseBodyError(e) => (body_broke(e, seen), true),
        ApiError::CommunicationError(e) => {
            let (kind, applied) = if e.is_timeout() {
                (ErrorKind::Timeout, true)
            } else if e.is_connect() {
                (ErrorKind::Connection, false)
            } else {
                (ErrorKind::Connection, true)
            };
            let message = describe_transport(&e);
            (Error::new(kind, message).with_source(e), applied)
        }
        ApiError::InvalidRequest(message) => (Error::new(ErrorKind::Validation, message), false),
        ApiError::InvalidUpgrade(e) => (
            Error::new(ErrorKind::Decode, describe_transport(&e)).with_source(e),
            true,
        ),
        ApiError::Custom(message) => (Error::new(ErrorKind::Connection, message), true),
    }
}

/// The error for a response with an error status, from its body if it is Vivamo's JSON error
/// shape.
pub(crate) fn from_response(status: u16, body: &[u8], seen: &Observed) -> Error {
    let parsed: Option<ErrorResponse> = serde_json::from_slice(body).ok();
    let (message, errors) = match parsed {
        Some(body) => (body.message, body.errors),
        None => (fallback_message(status, body), Vec::new()),
    };
    from_error_body(status, message, errors, seen)
}

fn from_error_body(
    status: u16,
    message: String,
    errors: Vec<std::collections::HashMap<String, String>>,
    seen: &Observed,
) -> Error {
    let kind = kind_for(status, &message);
    Error::new(kind, message)
        .with_status(Some(status))
        .with_errors(
            errors
                .into_iter()
                .map(|e| e.into_iter().collect::<BTreeMap<_, _>>())
                .collect(),
        )
        .with_request_id(seen.request_id.clone())
        .with_headers(&seen.error_headers)
        .with_retry_after(
            seen.retry_after
                .as_deref()
                .and_then(|value| crate::retry_after::parse(value, std::time::SystemTime::now())),
        )
}

/// Maps a status and Vivamo's message to a kind; Vivamo's known 400 messages have their own.
pub(crate) fn kind_for(status: u16, message: &str) -> ErrorKind {
    match status {
        400 => {
            let m = message.trim().trim_end_matches('.').to_ascii_lowercase();
            match m.as_str() {
                "this customer already exists" => ErrorKind::CustomerAlreadyExists,
                "a customer with this email address already exists" => ErrorKind::EmailAlreadyInUse,
                "sorry, this email domain is not supported" => ErrorKind::EmailDomainNotSupported,
                "sorry, this phone number cannot be used. please use a valid mobile number" => {
                    ErrorKind::PhoneNotMobile
                }
                m if m.starts_with("kyc verification is not under review") => {
                    ErrorKind::KycNotUnderReview
                }
                m if m.starts_with("the customer has not attempted document verification") => {
                    ErrorKind::KycNotAttempted
                }
                _ => ErrorKind::BadRequest,
            }
        }
        401 | 403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        408 => ErrorKind::Timeout,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::BadRequest,
    }
}

/// A short description of a non-JSON error body, without echoing large payloads.
fn fallback_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        format!("HTTP {status} with a body that is not Vivamo's JSON error: {text}")
    }
}

fn body_broke(e: reqwest::Error, seen: &Observed) -> Error {
    Error::new(
        ErrorKind::Connection,
        format!(
            "the connection broke while reading the response: {}",
            describe_transport(&e)
        ),
    )
    .with_status(seen.status)
    .with_request_id(seen.request_id.clone())
    .with_source(e)
}

/// reqwest's message with its causes, which name the real problem (refused, reset, DNS…).
pub(crate) fn describe_transport(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_map_to_their_kinds() {
        assert_eq!(
            kind_for(400, "This customer already exists"),
            ErrorKind::CustomerAlreadyExists
        );
        assert_eq!(
            kind_for(400, "A customer with this email address already exists."),
            ErrorKind::EmailAlreadyInUse
        );
        assert_eq!(
            kind_for(400, "Sorry, this email domain is not supported"),
            ErrorKind::EmailDomainNotSupported
        );
        assert_eq!(
            kind_for(
                400,
                "Sorry, this phone number cannot be used. Please use a valid mobile number."
            ),
            ErrorKind::PhoneNotMobile
        );
        assert_eq!(
            kind_for(400, "KYC verification is not under review (status: pending): only a verification under review can be approved or rejected."),
            ErrorKind::KycNotUnderReview
        );
        assert_eq!(
            kind_for(400, "The customer has not attempted document verification yet: it cannot be approved; reject it or wait for the customer to submit documents."),
            ErrorKind::KycNotAttempted
        );
        assert_eq!(kind_for(400, "Validation failed"), ErrorKind::BadRequest);
        assert_eq!(kind_for(401, "Unauthorized"), ErrorKind::PermissionDenied);
        assert_eq!(kind_for(403, "Forbidden"), ErrorKind::PermissionDenied);
        assert_eq!(kind_for(408, "Request Timeout"), ErrorKind::Timeout);
        assert_eq!(kind_for(404, "Customer not found"), ErrorKind::NotFound);
        assert_eq!(kind_for(429, "slow down"), ErrorKind::RateLimited);
        assert_eq!(kind_for(502, "Bad gateway"), ErrorKind::Server);
    }

    #[test]
    fn validation_errors_are_kept_and_shown() {
        let body = br#"{"message":"Validation failed","errors":[{"isEmail":"data.email must be an email"},{"isNotEmpty":"externalCustomerId should not be empty"}]}"#;
        let e = from_response(400, body, &Observed::default());
        assert_eq!(e.kind(), ErrorKind::BadRequest);
        assert_eq!(e.message(), "Validation failed");
        assert_eq!(e.errors().len(), 2);
        assert_eq!(e.errors()[0]["isEmail"], "data.email must be an email");
        let shown = e.to_string();
        assert!(
            shown.contains(
                "Validation failed: data.email must be an email; externalCustomerId should not be empty"
            ),
            "{shown}"
        );
        // A business refusal is its message alone.
        let e = from_response(
            400,
            br#"{"message":"Sorry, this email domain is not supported"}"#,
            &Observed::default(),
        );
        assert_eq!(e.kind(), ErrorKind::EmailDomainNotSupported);
        assert!(e.errors().is_empty());
    }

    #[test]
    fn non_json_error_bodies_keep_their_status() {
        let seen = Observed {
            status: Some(502),
            request_id: Some("req_9".into()),
            ..Observed::default()
        };
        let e = from_response(502, b"<html>Bad Gateway</html>", &seen);
        assert_eq!(e.kind(), ErrorKind::Server);
        assert_eq!(e.status(), Some(502));
        assert!(e.is_retryable());
        let shown = e.to_string();
        assert!(
            shown.contains("HTTP 502") && shown.contains("req_9"),
            "{shown}"
        );
    }
}
