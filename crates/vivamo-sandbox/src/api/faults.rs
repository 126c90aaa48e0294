//! The fault-injection middleware of `/v1` routes: latency, then the rate limit (known keys
//! only), then the fail rate, then the handler, then for writes the lost-response draw, each
//! drawn by `crate::faults`; the response of an injected fault says which in its extensions.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::server::ConnKiller;
use crate::AppState;

/// Which fault a response got, put in its extensions for the request log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Injected(pub &'static str);

fn injected(mut resp: Response, fault: &'static str) -> Response {
    resp.extensions_mut().insert(Injected(fault));
    resp
}

fn too_many_requests() -> Response {
    let mut resp =
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response();
    resp.headers_mut()
        .insert("retry-after", HeaderValue::from_static("1"));
    resp
}

/// Middleware for `/v1` routes: latency, then rate limit (known keys only), then the fail
/// rate, then the handler, then for writes the lost-response draw.
pub(crate) async fn v1_faults(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let faults = &state.inner.faults;
    let settings = faults.settings();
    if settings.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(settings.latency_ms)).await;
    }
    if settings.rate_limit > 0 {
        if let Some(op) = state.inner.operator_of(req.headers()) {
            if !faults.admit(op, settings.rate_limit) {
                return injected(too_many_requests(), "rate_limit");
            }
        }
    }
    if faults.draw(settings.fail_rate) {
        return injected(ApiError::internal().into_response(), "fail_rate");
    }
    let is_write = matches!(*req.method(), Method::POST | Method::PATCH);
    let killer = req.extensions().get::<ConnKiller>().cloned();
    let resp = next.run(req).await;
    if is_write {
        if let Some(drop_connection) = faults.lose_response(settings.lost_response_rate) {
            if drop_connection {
                if let Some(killer) = killer {
                    killer.kill();
                    // The connection task drops this future together with the connection.
                    std::future::pending::<()>().await;
                }
            }
            return injected(ApiError::internal().into_response(), "lost_response");
        }
    }
    if settings.latency_ms > 0 {
        return injected(resp, "latency");
    }
    resp
}
