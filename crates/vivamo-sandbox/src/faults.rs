//! Fault injection on `/v1` routes: added latency, per-key rate limit, random 500s and lost
//! responses, all drawn from one seeded RNG so that a seed reproduces the same sequence. The
//! settings can change at run time ([`FaultSettings`]). The middleware that applies them to
//! requests is `api::faults`.

use std::time::Instant;

use parking_lot::Mutex;

use crate::Config;

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
    pub fn admit(&self, op: usize, limit: u32) -> bool {
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

    /// One draw with probability `p`.
    pub fn draw(&self, p: f64) -> bool {
        p > 0.0 && self.rng.lock().f64() < p
    }

    /// The lost-response draw of a write: `None` when its response is kept, else whether the
    /// connection is dropped too (half the time) rather than answered with a 500.
    pub fn lose_response(&self, rate: f64) -> Option<bool> {
        if rate <= 0.0 {
            return None;
        }
        let mut rng = self.rng.lock();
        (rng.f64() < rate).then(|| rng.bool())
    }
}
