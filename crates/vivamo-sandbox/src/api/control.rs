//! The `/__sandbox` control routes: health, reset, seed and KYC status.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::body::{body_rejection, missing, parse_object, path_id, Shape};
use super::constraint::{Constraint, Failure};
use super::error::{json_response, ok_json, ApiError};
use super::state::Operator;
use crate::control::{ControlError, KycUpdate, MAX_SEED_COUNT};
use crate::AppState;

pub(super) async fn health(State(state): State<AppState>) -> Response {
    let body = serde_json::json!({ "status": "ok", "mode": state.inner.mode.as_str() });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

pub(super) async fn reset(State(state): State<AppState>) -> Response {
    let removed = state.reset();
    let body = serde_json::json!({ "message": "Sandbox reset", "removed": removed });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

pub(super) async fn seed(
    State(state): State<AppState>,
    Operator(op): Operator,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let count = match obj.get("count") {
        None | Some(Value::Null) => return Err(missing("count")),
        Some(v) => match v.as_u64() {
            None => {
                return Err(ApiError::validation([Failure::new(
                    Constraint::IsInt,
                    "count",
                )]))
            }
            Some(n) if n > MAX_SEED_COUNT => {
                return Err(ApiError::validation([Failure::new(
                    Constraint::Max(MAX_SEED_COUNT),
                    "count",
                )]))
            }
            Some(n) => n,
        },
    };
    let mut shape = Shape::default();
    let prefix = shape
        .string(&obj, "prefix", "prefix")
        .unwrap_or_else(|| "seed_".to_string());
    shape.finish()?;
    let seeded = state
        .seed_operator(op, count, &prefix)
        .map_err(control_error)?;
    ok_json(&seeded)
}

pub(super) async fn set_kyc(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape::default();
    let status = shape.string(&obj, "status", "status");
    let kind = shape.string(&obj, "type", "type");
    let attempted = shape.boolean(&obj, "attempted");
    let expire_secret = shape.boolean(&obj, "expireSecret");
    shape.finish()?;
    let status = status
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("status"))?;
    let mut update = KycUpdate::new(status);
    if let Some(kind) = kind.filter(|s| !s.is_empty()) {
        update.kind = kind;
    }
    update.attempted = attempted.unwrap_or(true);
    update.expire_secret = expire_secret.unwrap_or(false);
    let customer = state
        .set_kyc_operator(op, &id, &update)
        .map_err(control_error)?;
    ok_json(&customer)
}

/// `GET /__sandbox/faults`.
pub(super) async fn get_faults(State(state): State<AppState>) -> Result<Response, ApiError> {
    ok_json(&state.faults())
}

/// `POST /__sandbox/faults`: any of `failRate`, `lostResponseRate`, `latencyMs`,
/// `rateLimit`; the others keep their value.
pub(super) async fn set_faults(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut merged = serde_json::to_value(state.faults()).map_err(|_| ApiError::internal())?;
    if let Some(m) = merged.as_object_mut() {
        for (k, v) in obj {
            if m.contains_key(&k) {
                m.insert(k, v);
            }
        }
    }
    let settings: crate::FaultSettings = serde_json::from_value(merged)
        .map_err(|e| ApiError::validation(vec![Failure::described("isValid", e.to_string())]))?;
    state.set_faults(settings).map_err(control_error)?;
    ok_json(&state.faults())
}

/// A refused control call as the route answers it.
fn control_error(e: ControlError) -> ApiError {
    match e {
        ControlError::CustomerNotFound(_) => ApiError::not_found(),
        ControlError::UnknownApiKey => ApiError::forbidden(),
        other => ApiError::bad_request(other.to_string()),
    }
}
