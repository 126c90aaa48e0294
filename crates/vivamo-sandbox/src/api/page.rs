//! The inspector page at `/__sandbox/`: static HTML, JS and CSS embedded in the binary (no
//! build step, nothing from a CDN), served with a strict Content-Security-Policy, plus the
//! routes only the page needs: a live event stream, every operator's customers and webhooks,
//! and KYC actions by operator index (the page holds no API key).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::Stream;
use serde_json::Value;

use super::body::{body_rejection, parse_object, Shape};
use super::error::{ok_json, ApiError};
use crate::control::KycUpdate;
use crate::{kyc, live, AppState};

const HTML: &str = include_str!("../inspector/index.html");
const JS: &str = include_str!("../inspector/inspector.js");
const CSS: &str = include_str!("../inspector/inspector.css");

/// No inline script or style, nothing from another origin, no framing.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The size of the page's three files, in bytes.
pub const PAGE_BYTES: usize = HTML.len() + JS.len() + CSS.len();

// It ships inside the Node addon and the wheel: keep it small.
const _: () = assert!(
    PAGE_BYTES < 16 * 1024,
    "the inspector page must stay under 16 KiB"
);

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

async fn page() -> Response {
    asset("text/html; charset=utf-8", HTML)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

/// No icon: an empty answer keeps the browser from asking `/favicon.ico` (a 404).
async fn icon() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// `GET /__sandbox/events`: server-sent events, one per change, named by topic.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.inner.live.subscribe();
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        let topic = match rx.recv().await {
            Ok(topic) => topic,
            // A slow page missed some changes: have it refetch everything it shows.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => live::ALL,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(Event::default().event(topic).data("changed")), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `GET /__sandbox/inspector/customers`: the last customers of every operator.
async fn customers(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = state.inner.store.read().all_customers(200);
    ok_json(&serde_json::json!({ "customers": list }))
}

/// `GET /__sandbox/inspector/webhooks`: every operator's webhooks, without secrets.
async fn webhooks(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list: Vec<Value> = state.inner.webhooks.registry.lock().all_views();
    ok_json(&serde_json::json!({ "webhooks": list }))
}

/// `POST /__sandbox/inspector/customers/{operator}/{id}/kyc`: `{"status": "under_review"}`
/// moves the verification, `{"decision": "approve" | "reject"}` decides it.
async fn kyc_action(
    State(state): State<AppState>,
    params: Result<Path<(usize, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path((op, id)) = params.map_err(|_| ApiError::not_found())?;
    if op >= state.inner.keys.len() {
        return Err(ApiError::not_found());
    }
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape::default();
    let status = shape.string(&obj, "status", "status");
    let decision = shape.string(&obj, "decision", "decision");
    shape.finish()?;
    match (status, decision.as_deref()) {
        (Some(status), None) => {
            let customer = state
                .set_kyc_operator(op, &id, &KycUpdate::new(status))
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            ok_json(&customer)
        }
        (None, Some(d @ ("approve" | "reject"))) => {
            let verify = d == "approve";
            let message = state.write_store(|store| {
                store.decide_kyc(op, &id, kyc::PROOF_OF_ID, verify, chrono::Utc::now())
            })?;
            ok_json(&serde_json::json!({ "message": message }))
        }
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "pass {\"status\": ...} or {\"decision\": \"approve\" | \"reject\"}",
        )),
    }
}

/// The page and its routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/__sandbox/", get(page))
        .route("/__sandbox/inspector.js", get(script))
        .route("/__sandbox/inspector.css", get(style))
        .route("/__sandbox/favicon.ico", get(icon))
        .route("/__sandbox/events", get(events))
        .route("/__sandbox/inspector/customers", get(customers))
        .route("/__sandbox/inspector/webhooks", get(webhooks))
        .route(
            "/__sandbox/inspector/customers/{operator}/{externalCustomerId}/kyc",
            post(kyc_action),
        )
}
