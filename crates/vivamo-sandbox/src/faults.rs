//! Fault injection on `/v1` routes: added latency, per-key rate limit, random 500s and lost
//! responses, all drawn from one seeded RNG so that a seed reproduces the same sequence.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;

use crate::api::ApiError;
use crate::server::ConnKiller;
use crate::{AppState, Config};

/// A token bucket per operator.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The configured faults and their state.
pub(crate) struct Faults {
    fail_rate: f64,
    lost_rate: f64,
    latency: Duration,
    rate_limit: Option<u32>,
    rng: Mutex<fastrand::Rng>,
    buckets: Mutex<Vec<Bucket>>,
}

impl Faults {
    pub fn new(config: &Config, operators: usize) -> Faults {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        let rate_limit = config.rate_limit.filter(|n| *n > 0);
        let now = Instant::now();
        Faults {
            fail_rate: config.fail_rate,
            lost_rate: config.lost_response_rate,
            latency: config.latency,
            rate_limit,
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            buckets: Mutex::new(vec![
                Bucket {
                    tokens: f64::from(rate_limit.unwrap_or(0)),
                    last: now,
                };
                operators
            ]),
        }
    }

    /// Whether any fault is configured (otherwise the middleware is not installed at all).
    pub fn enabled(&self) -> bool {
        self.fail_rate > 0.0
            || self.lost_rate > 0.0
            || !self.latency.is_zero()
            || self.rate_limit.is_some()
    }

    /// Takes one token from the operator's bucket; `false` when it is empty.
    fn admit(&self, op: usize) -> bool {
        let Some(limit) = self.rate_limit else {
            return true;
        };
        let limit = f64::from(limit);
        let mut buckets = self.buckets.lock();
        let b = &mut buckets[op];
        let now = Instant::now();
        let elapsed = now.duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * limit).min(limit);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn draw(&self, p: f64) -> bool {
        p > 0.0 && self.rng.lock().f64() < p
    }
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
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.rate_limit.is_some() {
        if let Some(op) = state.inner.operator_of(req.headers()) {
            if !faults.admit(op) {
                return too_many_requests();
            }
        }
    }
    if faults.draw(faults.fail_rate) {
        return ApiError::internal().into_response();
    }
    let is_write = matches!(*req.method(), Method::POST | Method::PATCH);
    let killer = req.extensions().get::<ConnKiller>().cloned();
    let resp = next.run(req).await;
    if is_write && faults.lost_rate > 0.0 {
        let (lost, drop_connection) = {
            let mut rng = faults.rng.lock();
            let lost = rng.f64() < faults.lost_rate;
            (lost, lost && rng.bool())
        };
        if lost {
            if drop_connection {
                if let Some(killer) = killer {
                    killer.kill();
                    // The connection task drops this future together with the connection.
                    std::future::pending::<()>().await;
                }
            }
            return ApiError::internal().into_response();
        }
    }
    resp
}
