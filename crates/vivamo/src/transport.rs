//! One API call: attempts, per-attempt timeouts, retries with backoff, one overall deadline,
//! and the translation of whatever happened into an [`Error`].

use std::future::Future;
use std::time::Duration;

use progenitor_client::{Error as ApiError, ResponseValue};
use tokio::time::Instant;
use tracing::Instrument;
use vivamo_api::types::ErrorResponse;
use vivamo_api::Observed;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::retry_after::MAX_RETRY_AFTER;

/// The result of a call, and whether any failed attempt may have been applied by the server
/// (which is what makes a later "already exists" ambiguous for a create).
pub(crate) struct Outcome<T> {
    pub(crate) result: Result<T>,
    pub(crate) maybe_applied: bool,
}

impl Client {
    /// Runs `send` (one request of the generated client) until it succeeds, fails for good,
    /// runs out of retries, or the deadline passes.
    pub(crate) async fn call<T, F, Fut>(&self, operation: &'static str, mut send: F) -> Outcome<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, ApiError<ErrorResponse>>>,
    {
        let config = &self.inner.config;
        let deadline = Instant::now() + config.deadline;
        let mut maybe_applied = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!("vivamo.request", operation, attempt);
            let budget = config
                .timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            // The budget bounds the whole attempt: headers, body, and the reading of an error
            // body in `classify` (a server dripping bytes cannot hold a call past it).
            let attempt_future = async {
                match vivamo_api::observe(send()).await {
                    (Ok(value), seen) => Ok((value, seen)),
                    (Err(e), seen) => Err(classify(e, seen).await),
                }
            };
            let answered = tokio::time::timeout(budget, attempt_future)
                .instrument(span.clone())
                .await;
            let (error, applied) = match answered {
                Ok(Ok((value, seen))) => {
                    span.in_scope(|| {
                        tracing::debug!(status = seen.status, request_id = seen.request_id, "ok")
                    });
                    return Outcome {
                        result: Ok(value.into_inner()),
                        maybe_applied,
                    };
                }
                Ok(Err(classified)) => classified,
                Err(_) => (
                    Error::new(
                        ErrorKind::Timeout,
                        format!("no answer within {:.1} s", budget.as_secs_f64()),
                    ),
                    true,
                ),
            };
            maybe_applied |= applied;
            span.in_scope(|| {
                tracing::debug!(
                    status = error.status(),
                    request_id = error.request_id(),
                    kind = error.kind().as_str(),
                    "failed"
                )
            });
            if !error.is_retryable() || attempt > config.max_retries {
                return Outcome {
                    result: Err(error),
                    maybe_applied,
                };
            }
            let wait = match error.retry_after() {
                Some(asked) => asked.min(MAX_RETRY_AFTER),
                None => backoff(config.backoff_initial, config.backoff_max, attempt),
            };
            if Instant::now() + wait >= deadline {
                return Outcome {
                    result: Err(error),
                    maybe_applied,
                };
            }
            if let Some(hook) = &config.on_retry {
                (hook.0)(&error);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// The wait before retry number `attempt` (1-based): exponential from `initial`, capped at
/// `max`, jittered between half and all of that.
pub(crate) fn backoff(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let nominal = initial
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
        .min(max);
    let half = nominal / 2;
    half + half.mul_f64(fastrand::f64())
}

/// Turns a failed attempt into an [`Error`], and says whether the server may have applied it.
async fn classify(error: ApiError<ErrorResponse>, seen: Observed) -> (Error, bool) {
    match error {
        ApiError::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let body = value.into_inner();
            let error = Error::from_error_body(status, body.message, body.errors, &seen);
            (error, status >= 500)
        }
        ApiError::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            match response.bytes().await {
                Ok(_) if status < 400 => (
                    Error::new(
                        ErrorKind::Decode,
                        format!("unexpected HTTP {status} for this operation"),
                    )
                    .with_status(Some(status))
                    .with_request_id(seen.request_id),
                    true,
                ),
                Ok(body) => (Error::from_response(status, &body, &seen), status >= 500),
                Err(e) => (body_broke(e, &seen), true),
            }
        }
        ApiError::InvalidResponsePayload(body, e) => match seen.status {
            Some(status) if status >= 400 => {
                (Error::from_response(status, &body, &seen), status >= 500)
            }
            status => (
                Error::new(
                    ErrorKind::Decode,
                    format!(
                        "the response body ({} bytes) is not the JSON this operation returns: {e}",
                        body.len()
                    ),
                )
                .with_status(status)
                .with_request_id(seen.request_id)
                .with_source(e),
                true,
            ),
        },
        ApiError::ResponseBodyError(e) => (body_broke(e, &seen), true),
        ApiError::CommunicationError(e) => {
            let (kind, applied) = if e.is_timeout() {
                (ErrorKind::Timeout, true)
            } else if e.is_connect() {
                (ErrorKind::Connection, false)
            } else {
                (ErrorKind::Connection, true)
            };
            let message = describe_transport(&e);
            (Error::new(kind, message).with_source(e), applied)
        }
        ApiError::InvalidRequest(message) => (Error::new(ErrorKind::Validation, message), false),
        ApiError::InvalidUpgrade(e) => (
            Error::new(ErrorKind::Decode, describe_transport(&e)).with_source(e),
            true,
        ),
        ApiError::Custom(message) => (Error::new(ErrorKind::Connection, message), true),
    }
}

fn body_broke(e: reqwest::Error, seen: &Observed) -> Error {
    Error::new(
        ErrorKind::Connection,
        format!(
            "the connection broke while reading the response: {}",
            describe_transport(&e)
        ),
    )
    .with_status(seen.status)
    .with_request_id(seen.request_id.clone())
    .with_source(e)
}

/// reqwest's message with its causes, which name the real problem (refused, reset, DNS…).
fn describe_transport(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let initial = Duration::from_millis(500);
        let max = Duration::from_secs(8);
        for attempt in 1..=12 {
            let nominal = (initial * 2u32.pow(attempt - 1)).min(max);
            for _ in 0..50 {
                let wait = backoff(initial, max, attempt);
                assert!(
                    wait >= nominal / 2 && wait <= nominal,
                    "{attempt}: {wait:?}"
                );
            }
        }
        assert!(backoff(initial, max, 40) <= max);
    }
}
