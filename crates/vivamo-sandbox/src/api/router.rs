//! The router: `/v1` (behind the fault layer when enabled), `/__sandbox`, fallbacks and
//! the `x-request-id` header.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, patch, post};
use axum::Router;

use super::control::{get_faults, health, reset, seed, set_faults, set_kyc};
use super::error::ApiError;
use super::inspect;
use super::kyc::{kyc_for_review, kyc_info, kyc_verify};
use super::page;
use super::v1::{create_customer, get_customer, list_customers, update_customer};
use super::webhooks;
use crate::AppState;

async fn not_found_route() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Not found")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

async fn request_id(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let n = state.inner.request_counter.fetch_add(1, Ordering::Relaxed);
    let id = format!("req_{:08x}{:012x}", state.inner.request_tag, n);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// The sandbox's axum router, for serving with [`crate::serve`] or embedding elsewhere.
///
/// Served by anything other than [`crate::serve`], a lost response is always a 500 (dropping
/// the connection needs the sandbox's own connection loop).
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/v1/customers", post(create_customer).get(list_customers))
        // Registered before `{externalCustomerId}` (axum also prefers static segments).
        .route("/v1/customers/kyc-for-review", get(kyc_for_review))
        .route(
            "/v1/customers/{externalCustomerId}",
            get(get_customer).patch(update_customer),
        )
        .route("/v1/customers/{externalCustomerId}/kyc-info", get(kyc_info))
        .route(
            "/v1/customers/{externalCustomerId}/kyc-verify/{type}",
            post(kyc_verify),
        )
        .route(
            "/v1/operators/webhooks",
            post(webhooks::register).get(webhooks::list),
        )
        .route(
            "/v1/operators/webhooks/{webhookId}",
            patch(webhooks::update).delete(webhooks::delete),
        );
    // Always installed: the fault settings can change at run time.
    let v1 = v1.layer(middleware::from_fn_with_state(
        state.clone(),
        super::faults::v1_faults,
    ));
    let control = Router::new()
        .route("/__sandbox/health", get(health))
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/seed", post(seed))
        .route(
            "/__sandbox/customers/{externalCustomerId}/kyc",
            post(set_kyc),
        )
        .route("/__sandbox/faults", get(get_faults).post(set_faults))
        .route("/__sandbox/webhooks/trigger", post(webhooks::trigger))
        .route("/__sandbox/webhooks/deliveries", get(webhooks::deliveries))
        .route(
            "/__sandbox/webhooks/deliveries/{deliveryId}/resend",
            post(webhooks::resend),
        );
    v1.merge(control)
        .merge(inspect::routes())
        .merge(page::routes())
        .fallback(not_found_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), request_id))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            inspect::inspect,
        ))
        .with_state(state)
}
