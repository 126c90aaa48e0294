//! The webhook endpoints (`/v1/operators/webhooks`) and the `/__sandbox/webhooks` control
//! routes: trigger an event, read the delivery log, resend a delivery.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value};

use super::body::{body_rejection, missing, parse_object, path_id, Shape};
use super::constraint::Failure;
use super::error::{ok_json, ApiError};
use super::state::Operator;
use crate::control::ControlError;
use crate::live;
use crate::webhooks::registry::{EndpointPatch, Refusal, EVENT_TYPES};
use crate::AppState;

/// Message of the 409 (the project's choice: Vivamo documents only the status).
pub(crate) const DUPLICATE: &str =
    "A webhook with this URL and overlapping event types already exists";
/// Message of the 404 for an unknown webhook.
pub(crate) const WEBHOOK_NOT_FOUND: &str = "Webhook not found";
/// Headers the sandbox sets itself on a delivery.
const RESERVED: &[&str] = &[
    "content-type",
    "content-length",
    "host",
    "signature",
    "user-agent",
    "transfer-encoding",
    "connection",
];

fn refusal(r: Refusal) -> ApiError {
    match r {
        Refusal::Duplicate => ApiError::new(StatusCode::CONFLICT, DUPLICATE),
        Refusal::NotFound => ApiError::new(StatusCode::NOT_FOUND, WEBHOOK_NOT_FOUND),
    }
}

fn invalid(constraint: &'static str, message: String) -> ApiError {
    ApiError::validation(vec![Failure::described(constraint, message)])
}

/// `url`: an absolute http or https URL.
fn check_url(url: &str) -> Result<String, ApiError> {
    let ok = url.parse::<Uri>().is_ok_and(|u| {
        matches!(u.scheme_str(), Some("http" | "https")) && u.host().is_some_and(|h| !h.is_empty())
    });
    if ok {
        Ok(url.to_string())
    } else {
        Err(invalid(
            "isUrl",
            "url: must be an absolute http or https URL".into(),
        ))
    }
}

/// The webhook bodies' fields are not nullable in the spec (but `eventTypes` on update).
fn webhook_shape() -> Shape {
    Shape {
        refuse_null: true,
        ..Shape::default()
    }
}

/// `headers`: an object of header names to string values that can be sent. Absent keeps the
/// current ones; `null` is refused, as the spec does not make it nullable (unlike `eventTypes`).
fn headers_field(obj: &Map<String, Value>) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    let Some(value) = obj.get("headers") else {
        return Ok(None);
    };
    let Some(map) = value.as_object() else {
        return Err(invalid(
            "isObject",
            "headers: must be an object of header names to values".into(),
        ));
    };
    let mut headers = BTreeMap::new();
    for (name, value) in map {
        let Some(value) = value.as_str() else {
            return Err(invalid(
                "isString",
                format!("headers.{name}: must be a string"),
            ));
        };
        let lower = name.to_ascii_lowercase();
        if HeaderName::from_bytes(lower.as_bytes()).is_err()
            || HeaderValue::from_str(value).is_err()
        {
            return Err(invalid(
                "isHeader",
                format!("headers.{name}: not a valid HTTP header"),
            ));
        }
        if RESERVED.contains(&lower.as_str()) {
            return Err(invalid(
                "isNotReserved",
                format!("headers.{name}: set by Vivamo on every delivery, choose another name"),
            ));
        }
        headers.insert(lower, value.to_string());
    }
    Ok(Some(headers))
}

/// `eventTypes`: an array of the known types; `null` or absent keeps the current ones.
fn event_types_field(obj: &Map<String, Value>) -> Result<Option<Vec<String>>, ApiError> {
    let Some(value) = obj.get("eventTypes").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let known = || format!("eventTypes: each must be one of {}", EVENT_TYPES.join(", "));
    let Some(items) = value.as_array() else {
        return Err(invalid("isArray", known()));
    };
    let mut types: Vec<String> = Vec::new();
    for item in items {
        match item.as_str() {
            Some(t) if EVENT_TYPES.contains(&t) => {
                if !types.iter().any(|x| x == t) {
                    types.push(t.to_string());
                }
            }
            _ => return Err(invalid("isIn", known())),
        }
    }
    Ok(Some(types))
}

pub(super) async fn register(
    State(state): State<AppState>,
    Operator(op): Operator,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = webhook_shape();
    let url = shape.string(&obj, "url", "url");
    shape.finish()?;
    let url = check_url(&url.ok_or_else(|| missing("url"))?)?;
    let custom = headers_field(&obj)?.unwrap_or_default();
    let answer = state
        .inner
        .webhooks
        .registry
        .lock()
        .register(op, url, custom)
        .map(|e| e.registered_view())
        .map_err(refusal)?;
    state.inner.live.changed(live::WEBHOOKS);
    ok_json(&answer)
}

pub(super) async fn list(
    State(state): State<AppState>,
    Operator(op): Operator,
) -> Result<Response, ApiError> {
    let views: Vec<Value> = state
        .inner
        .webhooks
        .registry
        .lock()
        .list(op)
        .into_iter()
        .map(|e| e.view())
        .collect();
    ok_json(&views)
}

pub(super) async fn update(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = webhook_shape();
    let url = shape.string(&obj, "url", "url");
    let status = shape.string(&obj, "status", "status");
    shape.finish()?;
    let active = match status.as_deref() {
        None => None,
        Some("active") => Some(true),
        Some("inactive") => Some(false),
        Some(_) => return Err(invalid("isIn", "status: must be active or inactive".into())),
    };
    let patch = EndpointPatch {
        url: url.as_deref().map(check_url).transpose()?,
        active,
        event_types: event_types_field(&obj)?,
        headers: headers_field(&obj)?,
    };
    let answer = state
        .inner
        .webhooks
        .registry
        .lock()
        .update(op, &id, patch)
        .map(|e| e.view())
        .map_err(refusal)?;
    state.inner.live.changed(live::WEBHOOKS);
    ok_json(&answer)
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    state
        .inner
        .webhooks
        .registry
        .lock()
        .delete(op, &id)
        .map_err(refusal)?;
    state.inner.live.changed(live::WEBHOOKS);
    ok_json(&serde_json::json!({ "message": "Webhook deleted" }))
}

fn control_error(e: ControlError) -> ApiError {
    match e {
        ControlError::UnknownApiKey => ApiError::forbidden(),
        other => invalid("invalid", other.to_string()),
    }
}

/// `POST /__sandbox/webhooks/trigger`: `{"eventType": "transaction", "data"?: {...}}`.
pub(super) async fn trigger(
    State(state): State<AppState>,
    Operator(op): Operator,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape::default();
    let event_type = shape.string(&obj, "eventType", "eventType");
    shape.finish()?;
    let event_type = event_type.ok_or_else(|| missing("eventType"))?;
    let data = match obj.get("data") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(d)) => d.clone(),
        Some(_) => {
            return Err(invalid(
                "isObject",
                "data: must be an object of body fields".into(),
            ))
        }
    };
    let answer = state
        .trigger_operator(op, &event_type, &data)
        .map_err(control_error)?;
    ok_json(&answer)
}

/// `GET /__sandbox/webhooks/deliveries`.
pub(super) async fn deliveries(State(state): State<AppState>) -> Result<Response, ApiError> {
    ok_json(&serde_json::json!({ "deliveries": state.webhook_deliveries() }))
}

/// `POST /__sandbox/webhooks/deliveries/{id}/resend`.
pub(super) async fn resend(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let answer = state
        .resend_webhook(&id)
        .map_err(|e| ApiError::new(StatusCode::NOT_FOUND, e.to_string()))?;
    ok_json(&answer)
}
