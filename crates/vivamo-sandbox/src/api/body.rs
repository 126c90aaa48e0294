//! Request parsing: JSON object bodies, field shapes, path ids and page parameters.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::constraint::{Constraint, Failure};
use super::error::ApiError;
use crate::rules::RawData;

// A body that cannot be read as a JSON object is refused before any constraint is checked:
// `message` alone, naming the problem (the project's choice; Vivamo documents no message).

pub(super) fn body_rejection(r: BytesRejection) -> ApiError {
    ApiError::bad_request(format!("Invalid request body: {}", r.body_text()))
}

pub(super) fn path_id(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(id)| id).map_err(|r| {
        ApiError::bad_request(format!(
            "Invalid externalCustomerId in path: {}",
            r.body_text()
        ))
    })
}

/// The `{externalCustomerId}` and `{type}` of a kyc-verify path.
pub(super) fn path_pair(
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<(String, String), ApiError> {
    p.map(|Path(pair)| pair)
        .map_err(|r| ApiError::bad_request(format!("Invalid path parameters: {}", r.body_text())))
}

/// Parses a JSON object body, checking the content type first.
pub(super) fn parse_object(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Map<String, Value>, ApiError> {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json"))
    {
        let got = if ct.is_empty() { "none" } else { ct };
        return Err(ApiError::bad_request(format!(
            "Content-Type must be application/json, got {got}"
        )));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "Request body is required: send a JSON object",
        ));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON in request body: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request("Request body must be a JSON object")),
    }
}

/// Collects shape errors (wrong JSON types) while reading fields.
#[derive(Default)]
pub(super) struct Shape {
    pub(super) errors: Vec<Failure>,
    /// The spec makes the create fields nullable, not the update fields: there `null` would
    /// be ambiguous between "clear" and "keep", so it is refused.
    pub(super) refuse_null: bool,
}

impl Shape {
    pub(super) fn string(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<String> {
        match obj.get(key) {
            None => None,
            Some(Value::Null) if self.refuse_null => {
                self.errors.push(Failure::new(Constraint::IsString, path));
                None
            }
            Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.errors.push(Failure::new(Constraint::IsString, path));
                None
            }
        }
    }

    /// Reads a boolean; `None` when absent or null.
    pub(super) fn boolean(&mut self, obj: &Map<String, Value>, key: &str) -> Option<bool> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.errors.push(Failure::new(Constraint::IsBoolean, key));
                None
            }
        }
    }

    /// Reads every field of the table (`CustomerData::FIELDS`, from openapi.yaml).
    fn data(&mut self, obj: &Map<String, Value>) -> RawData {
        let mut data = RawData::default();
        for (key, _) in RawData::FIELDS {
            let value = self.string(obj, key, &format!("data.{key}"));
            if let Some(slot) = data.field_mut(key) {
                *slot = value;
            }
        }
        data
    }

    /// Reads `data` (an object); `None` when absent or null.
    pub(super) fn data_field(&mut self, obj: &Map<String, Value>) -> Option<RawData> {
        match obj.get("data") {
            None | Some(Value::Null) => None,
            Some(Value::Object(d)) => Some(self.data(d)),
            Some(_) => {
                self.errors.push(Failure::new(Constraint::IsObject, "data"));
                Some(RawData::default())
            }
        }
    }

    pub(super) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

pub(super) fn missing(path: &str) -> ApiError {
    ApiError::missing(path)
}

/// Reads `page` and `size` from the query string (defaults 1 and 10).
pub(super) fn page_params(query: Option<&str>, max: u32) -> Result<(u64, u64), ApiError> {
    let (mut page, mut size) = (1u64, 10u64);
    let mut errors = Vec::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let (name, slot) = match k.as_ref() {
            "page" => ("page", &mut page),
            "size" => ("size", &mut size),
            _ => continue,
        };
        match v.trim().parse::<i64>() {
            Err(_) => errors.push(Failure::new(Constraint::IsInt, name)),
            Ok(n) if n < 1 => errors.push(Failure::new(Constraint::Min(1), name)),
            Ok(n) if name == "size" && n > i64::from(max) => {
                errors.push(Failure::new(Constraint::Max(u64::from(max)), name))
            }
            Ok(n) => *slot = n as u64,
        }
    }
    if errors.is_empty() {
        Ok((page, size))
    } else {
        Err(ApiError::validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_params_defaults_and_errors() {
        assert_eq!(page_params(None, 100).unwrap(), (1, 10));
        assert_eq!(page_params(Some("page=3&size=25"), 100).unwrap(), (3, 25));
        assert!(page_params(Some("page=0"), 100).is_err());
        assert!(page_params(Some("size=abc"), 100).is_err());
        assert!(page_params(Some("size=101"), 100).is_err());
    }
}
