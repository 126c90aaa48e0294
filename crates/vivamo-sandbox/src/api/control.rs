//! The `/__sandbox` control routes: health, reset, seed and KYC status.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::body::{body_rejection, missing, parse_object, path_id, Shape};
use super::error::{json_response, ok_json, ApiError};
use super::state::{now, Operator};
use crate::kyc::{self, ForcedStatus};
use crate::AppState;

/// Largest `count` accepted by `POST /__sandbox/seed` in one call.
const MAX_SEED_COUNT: u64 = 1_000_000;

pub(super) async fn health(State(state): State<AppState>) -> Response {
    let body = serde_json::json!({ "status": "ok", "mode": state.inner.mode.as_str() });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

pub(super) async fn reset(State(state): State<AppState>) -> Response {
    let removed = state.inner.store.write().reset();
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
        Some(v) => v.as_u64().filter(|n| *n <= MAX_SEED_COUNT).ok_or_else(|| {
            ApiError::validation(vec![(
                "invalid_type".to_string(),
                format!("count: must be an integer between 0 and {MAX_SEED_COUNT}"),
            )])
        })?,
    };
    let mut shape = Shape::default();
    let prefix = shape
        .string(&obj, "prefix", "prefix")
        .unwrap_or_else(|| "seed_".to_string());
    shape.finish()?;
    let now = now();
    let mut store = state.inner.store.write();
    let range = store.seed(op, count, &prefix, &now);
    let total = store.count(op);
    drop(store);
    let (first, last) = match range {
        Some((f, l)) => (Value::String(f), Value::String(l)),
        None => (Value::Null, Value::Null),
    };
    let body = serde_json::json!({
        "created": count, "total": total, "firstExternalCustomerId": first,
        "lastExternalCustomerId": last,
    });
    Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
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
    let attempted = shape.boolean(
        &obj,
        "attempted",
        "false models a submission without documents",
    );
    let expire_secret = shape.boolean(
        &obj,
        "expireSecret",
        "true makes the client secret expire now",
    );
    shape.finish()?;
    let status = status
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("status"))?;
    let kind = kind
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| kyc::PROOF_OF_ID.to_string());
    let forced = ForcedStatus {
        kind: &kind,
        status: &status,
        attempted: attempted.unwrap_or(true),
        expire_secret: expire_secret.unwrap_or(false),
    };
    let mut store = state.inner.store.write();
    let customer = store.force_kyc(op, &id, &forced, chrono::Utc::now())?;
    ok_json(&customer)
}
