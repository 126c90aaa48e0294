//! The JSON error shape, and the one place domain errors become HTTP answers: the rules'
//! rejections ([`Rejection`]) and the store's conflicts ([`Conflict`]).

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::constraint::{Constraint, Failure};
use vivamo_rules as vr;

use crate::kyc::{KycRefusal, KNOWN_TYPES};
use crate::rules::Rejection;
use crate::store::Conflict;

/// Message of the 400 for a duplicate `externalCustomerId`.
pub(crate) const CUSTOMER_EXISTS: &str = "This customer already exists";
/// Message of the 400 for an email used by another customer.
pub(crate) const EMAIL_EXISTS: &str = "A customer with this email address already exists.";
/// Message of the 404 for an unknown customer.
pub(crate) const CUSTOMER_NOT_FOUND: &str = "Customer not found";
/// An error response: `{"message": ...}`, and for a failed validation `{"message":
/// "Validation failed", "errors": [{constraint: description}]}` (see [`Failure`]).
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    errors: Vec<(&'static str, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// The 400 of a failed body, query or path validation: one `errors` entry per failed
    /// constraint.
    pub fn validation(failures: impl IntoIterator<Item = Failure>) -> ApiError {
        let mut e = ApiError::bad_request("Validation failed");
        e.errors = failures.into_iter().map(|f| f.entry()).collect();
        e
    }

    /// The 400 for a required `field` that is absent or blank.
    pub fn missing(field: &str) -> ApiError {
        ApiError::validation([Failure::new(Constraint::IsNotEmpty, field)])
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden")
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, CUSTOMER_NOT_FOUND)
    }

    pub fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }
}

/// One `errors` entry: `{constraint: description}`.
struct ErrorEntry<'a>(&'a str, &'a str);

impl Serialize for ErrorEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, self.1)?;
        m.end()
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorEntry<'a>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            message: &self.message,
            errors: self.errors.iter().map(|(k, v)| ErrorEntry(k, v)).collect(),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        json_response(self.status, bytes)
    }
}

/// The 400 for a list of violations. A violation of a validation constraint (a missing
/// field, an email or phone that cannot be read) makes it `Validation failed` with one
/// `errors` entry per failed constraint; only then are the business rules answered, with
/// Vivamo's message alone: the disposable-domain message first, then the non-mobile phone
/// message, then the `+` suffix rule's (whose wording Vivamo does not publish).
impl From<Rejection> for ApiError {
    fn from(Rejection(errors): Rejection) -> ApiError {
        let failures: Vec<Failure> = errors.iter().filter_map(Failure::from_violation).collect();
        if !failures.is_empty() {
            return ApiError::validation(failures);
        }
        let has = |code: vr::Code| errors.iter().any(|v| v.code == code);
        let message = if has(vr::Code::DisposableEmail) {
            vr::DISPOSABLE_EMAIL_MESSAGE.to_string()
        } else if has(vr::Code::NonMobilePhone) {
            vr::NON_MOBILE_PHONE_MESSAGE.to_string()
        } else {
            errors[0].message.clone()
        };
        ApiError::bad_request(message)
    }
}

impl From<Conflict> for ApiError {
    fn from(c: Conflict) -> ApiError {
        match c {
            Conflict::CustomerExists => ApiError::bad_request(CUSTOMER_EXISTS),
            Conflict::EmailInUse => ApiError::bad_request(EMAIL_EXISTS),
            Conflict::NotFound => ApiError::not_found(),
            // The type is a path parameter with one allowed value: a failed validation.
            Conflict::Kyc(KycRefusal::UnknownType(_)) => {
                ApiError::validation([Failure::new(Constraint::IsEnum(KNOWN_TYPES), "type")])
            }
            // Business refusals answer `message` alone.
            Conflict::Kyc(refusal) => ApiError::bad_request(refusal.message()),
        }
    }
}

pub(crate) fn json_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub(super) fn ok_json<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(value).map_err(|_| ApiError::internal())?;
    Ok(json_response(StatusCode::OK, bytes))
}
