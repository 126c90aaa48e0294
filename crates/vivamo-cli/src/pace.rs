//! The adaptive pace of an import: how many rows are in flight at once.
//!
//! Additive increase, multiplicative decrease on 429: the pace starts at `--concurrency`;
//! a 429 halves it (once per `Retry-After` window, so one burst of 429s counts once) and holds
//! new rows back for the wait the API asked for; every row settled without a 429 adds
//! `1/pace`, so the pace climbs back by about one row per round trip once 429s stop, up to
//! `--concurrency` again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The wait assumed when a 429 carries no usable `Retry-After`.
const DEFAULT_HOLD: Duration = Duration::from_secs(1);

/// Shared by every row of an import.
pub struct Pace {
    max: f64,
    state: Mutex<State>,
    freed: Notify,
    rate_limited: AtomicU64,
}

struct State {
    /// The current pace: rows allowed in flight (at least 1).
    limit: f64,
    in_flight: usize,
    /// No new row starts before this.
    hold_until: Option<Instant>,
    /// When the pace was last halved.
    last_decrease: Option<Instant>,
}

/// A row's place in flight; dropping it frees the place.
pub struct Permit<'a> {
    pace: &'a Pace,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.pace.state().in_flight -= 1;
        self.pace.freed.notify_one();
    }
}

impl Pace {
    /// A pace of `max` rows in flight, never more.
    pub fn new(max: usize) -> Pace {
        let max = max.max(1) as f64;
        Pace {
            max,
            state: Mutex::new(State {
                limit: max,
                in_flight: 0,
                hold_until: None,
                last_decrease: None,
            }),
            freed: Notify::new(),
            rate_limited: AtomicU64::new(0),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the counters half-updated: use them as they are.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a place in flight under the current pace, and for any hold to pass.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            let freed = self.freed.notified();
            let hold = {
                let mut state = self.state();
                match state.hold_until {
                    Some(until) if until > Instant::now() => Some(until),
                    _ if state.in_flight < state.limit as usize => {
                        state.in_flight += 1;
                        return Permit { pace: self };
                    }
                    _ => None,
                }
            };
            match hold {
                Some(until) => tokio::time::sleep_until(until).await,
                None => freed.await,
            }
        }
    }

    /// The API answered 429: halve the pace (once per window) and hold new rows back for
    /// `retry_after` (1 s when the API gave no usable hint).
    pub fn rate_limited(&self, retry_after: Option<Duration>) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
        let hold = retry_after.unwrap_or(DEFAULT_HOLD);
        let now = Instant::now();
        let mut state = self.state();
        let until = now + hold;
        if state.hold_until.is_none_or(|h| h < until) {
            state.hold_until = Some(until);
        }
        let window = hold.max(Duration::from_millis(100));
        if state
            .last_decrease
            .is_none_or(|at| now.duration_since(at) >= window)
        {
            state.limit = (state.limit / 2.0).max(1.0);
            state.last_decrease = Some(now);
        }
    }

    /// A row settled without a 429 on its last attempt: grow the pace by `1/pace`.
    pub fn settled(&self) {
        let grew = {
            let mut state = self.state();
            let before = state.limit as usize;
            state.limit = (state.limit + 1.0 / state.limit).min(self.max);
            state.limit as usize > before
        };
        if grew {
            self.freed.notify_one();
        }
    }

    /// The most rows ever in flight (`--concurrency`).
    pub fn max(&self) -> usize {
        self.max as usize
    }

    /// Rows allowed in flight now.
    pub fn current(&self) -> usize {
        self.state().limit as usize
    }

    /// 429 answers seen so far.
    pub fn rate_limited_count(&self) -> u64 {
        self.rate_limited.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn halves_on_429_once_per_window_and_climbs_back() {
        let pace = Pace::new(32);
        assert_eq!(pace.current(), 32);
        pace.rate_limited(Some(Duration::from_secs(1)));
        pace.rate_limited(Some(Duration::from_secs(1)));
        assert_eq!(pace.current(), 16, "one burst halves once");
        assert_eq!(pace.rate_limited_count(), 2);
        tokio::time::advance(Duration::from_secs(1)).await;
        pace.rate_limited(None);
        assert_eq!(pace.current(), 8);
        // About (32² - 8²) / 2 = 480 rows to climb back from 8 to 32.
        for _ in 0..1000 {
            pace.settled();
        }
        assert_eq!(pace.current(), 32, "recovers, never above the maximum");
    }

    #[tokio::test(start_paused = true)]
    async fn holds_new_rows_for_retry_after() {
        let pace = Pace::new(4);
        pace.rate_limited(Some(Duration::from_millis(500)));
        let started = Instant::now();
        let _permit = pace.acquire().await;
        assert!(started.elapsed() >= Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn never_more_in_flight_than_the_pace() {
        let pace = std::sync::Arc::new(Pace::new(2));
        let a = pace.acquire().await;
        let _b = pace.acquire().await;
        let waiting = {
            let pace = pace.clone();
            tokio::spawn(async move {
                let _c = pace.acquire().await;
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!waiting.is_finished());
        drop(a);
        waiting.await.unwrap();
    }
}
