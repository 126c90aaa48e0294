//! Fault injection on `/v1` routes: added latency, per-key rate limit, random 500s and lost
//! responses, all drawn from one seeded RNG so that a seed reproduces the same sequence. The
//! settings can change at run time ([`FaultSettings`]).

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

/// The fault settings, changeable at run time (`POST /__sandbox/faults`, the inspector page).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultSettings {
    /// Probability (0..=1) of a 500 before anything is done.
    pub fail_rate: f64,
    /// Probability (0..=1) that a write is applied and its response lost.
    pub lost_response_rate: f64,
    /// Milliseconds added to every `/v1` request.
    pub latency_ms: u64,
    /// Requests per second per key (0 = unlimited).
    pub rate_limit: u32,
}

impl FaultSettings {
    /// Checks the ranges: rates within 0..=1.
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("failRate", self.fail_rate),
            ("lostResponseRate", self.lost_response_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name}: must be between 0 and 1, got {rate}"));
            }
        }
        Ok(())
    }
}

/// Which fault a response got, put in its extensions for the request log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Injected(pub &'static str);

/// The configured faults and their state.
pub(crate) struct Faults {
    settings: Mutex<FaultSettings>,
    rng: Mutex<fastrand::Rng>,
    buckets: Mutex<Vec<Bucket>>,
}

impl Faults {
    pub fn new(config: &Config, operators: usize) -> Faults {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        let rate_limit = config.rate_limit.filter(|n| *n > 0);
        let now = Instant::now();
        Faults {
            settings: Mutex::new(FaultSettings {
                fail_rate: config.fail_rate,
                lost_response_rate: config.lost_response_rate,
                latency_ms: u64::try_from(config.latency.as_millis()).unwrap_or(u64::MAX),
                rate_limit: rate_limit.unwrap_or(0),
            }),
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

    /// The settings in effect.
    pub fn settings(&self) -> FaultSettings {
        *self.settings.lock()
    }

    /// Replaces the settings (already validated).
    pub fn set(&self, settings: FaultSettings) {
        *self.settings.lock() = settings;
    }

    /// Takes one token from the operator's bucket; `false` when it is empty.
    fn admit(&self, op: usize, limit: u32) -> bool {
        let limit = f64::from(limit);
        let mut buckets = self.buckets.lock();
        let Some(b) = buckets.get_mut(op) else {
            return true;
        };
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
    if is_write && settings.lost_response_rate > 0.0 {
        let (lost, drop_connection) = {
            let mut rng = faults.rng.lock();
            let lost = rng.f64() < settings.lost_response_rate;
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
            return injected(ApiError::internal().into_response(), "lost_response");
        }
    }
    if settings.latency_ms > 0 {
        return injected(resp, "latency");
    }
    resp
}
