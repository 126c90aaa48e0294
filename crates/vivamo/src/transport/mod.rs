//! The transport every resource shares: the HTTP client (one connection pool), the retry
//! policy, [`Transport::call`] (attempts, per-attempt timeouts, backoff, one deadline, per-call
//! options, one log line per attempt) and, in [`classify`], the translation of whatever
//! happened into an [`Error`].

mod classify;
mod network;

use std::future::Future;
use std::time::Duration;

use futures::future::Either;
use progenitor_client::ClientInfo;
use progenitor_client::{Error as ApiError, ResponseValue};
use reqwest::header::HeaderMap;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::instrument::Instrumented;
use tracing::Instrument;
use vivamo_api::types::ErrorResponse;

use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{Hooks, RequestEvent, ResponseEvent, RetryEvent};
use crate::log::{masked_body, masked_value, LogLevel, Logger};
use crate::options::RequestOptions;
use crate::response::Response;
use crate::retry_after::MAX_RETRY_AFTER;

pub(crate) use network::{redact_proxy, Network};

/// A function told of each failed attempt about to be retried.
#[derive(Clone)]
pub(crate) struct RetryHook(pub(crate) std::sync::Arc<dyn Fn(&Error) + Send + Sync>);

impl std::fmt::Debug for RetryHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RetryHook")
    }
}

/// The client-wide defaults of every call.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) max_retries: u32,
    pub(crate) backoff_initial: Duration,
    pub(crate) backoff_max: Duration,
    pub(crate) on_retry: Option<RetryHook>,
    pub(crate) hooks: Hooks,
}

/// The HTTP client, the retry policy and the logger of a client and of every client derived
/// from it with [`crate::Client::with_options`].
pub(crate) struct Transport {
    api: vivamo_api::Client,
    policy: Policy,
    logger: Logger,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("policy", &self.policy)
            .field("logger", &self.logger)
            .finish()
    }
}

/// The result of a call, and whether any failed attempt may have been applied by the server
/// (which is what makes a later "already exists" ambiguous for a create).
pub(crate) struct Outcome<T> {
    pub(crate) result: Result<Response<T>>,
    pub(crate) maybe_applied: bool,
}

/// One call's settings: its options over the client's, over the policy.
struct Call {
    timeout: Duration,
    deadline: Duration,
    max_retries: u32,
    headers: HeaderMap,
    body: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Transport {
    pub(crate) fn new(
        base_url: &str,
        network: &Network,
        policy: Policy,
        logger: Logger,
    ) -> Result<Self> {
        let http = network.http_client(policy.timeout)?;
        Ok(Transport {
            api: vivamo_api::Client::new_with_client(base_url, http),
            policy,
            logger,
        })
    }

    /// The generated client, for building requests.
    pub(crate) fn api(&self) -> &vivamo_api::Client {
        &self.api
    }

    pub(crate) fn logger(&self) -> &Logger {
        &self.logger
    }

    fn settle(&self, options: &RequestOptions) -> Result<Call> {
        Ok(Call {
            timeout: options.get_timeout().unwrap_or(self.policy.timeout),
            deadline: options.get_deadline().unwrap_or(self.policy.deadline),
            max_retries: options.get_max_retries().unwrap_or(self.policy.max_retries),
            headers: options.header_map()?,
            body: options.extra_body_fields(),
        })
    }

    /// Runs `send` (one request of the generated client) until it succeeds, fails for good,
    /// runs out of retries, or the deadline passes. Dropping the returned future cancels the
    /// call: the attempt in flight is abandoned and its connection closed.
    ///
    /// Every failure the policy deems transient is retried: the operations that may be
    /// applied twice (create) reconcile with [`Outcome::maybe_applied`] afterwards.
    pub(crate) async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        options: &RequestOptions,
        send: F,
    ) -> Outcome<T>
    where
        T: serde::Serialize,
        F: FnMut() -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, ApiError<ErrorResponse>>>,
    {
        self.call_with(operation, options, Retries::AnyTransient, send)
            .await
    }

    /// [`Transport::call`], with the retries `retries` allows.
    ///
    /// The call is a `tracing` span (`vivamo.call`, target `vivamo`) and each attempt a child
    /// span (`vivamo.attempt`), carrying OpenTelemetry's HTTP client fields
    /// (`http.request.method`, `url.full` — the base URL and path, never a query or a key —,
    /// `http.response.status_code`, `http.request.resend_count`, `error.type`) and
    /// `vivamo.request_id`, so a `tracing-opentelemetry` layer exports real client spans.
    pub(crate) async fn call_with<T, F, Fut>(
        &self,
        operation: &'static str,
        options: &RequestOptions,
        retries: Retries,
        send: F,
    ) -> Outcome<T>
    where
        T: serde::Serialize,
        F: FnMut() -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, ApiError<ErrorResponse>>>,
    {
        let span = tracing::info_span!(
            target: "vivamo",
            "vivamo.call",
            otel.name = operation,
            otel.kind = "client",
            vivamo.operation = operation,
            http.request.method = Empty,
            url.full = Empty,
            http.response.status_code = Empty,
            http.request.resend_count = Empty,
            error.type = Empty,
            vivamo.request_id = Empty,
        );
        in_span(
            self.attempts(operation, options, retries, send, &span),
            &span,
        )
        .await
    }

    async fn attempts<T, F, Fut>(
        &self,
        operation: &'static str,
        options: &RequestOptions,
        retries: Retries,
        mut send: F,
        call_span: &tracing::Span,
    ) -> Outcome<T>
    where
        T: serde::Serialize,
        F: FnMut() -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, ApiError<ErrorResponse>>>,
    {
        let call = match self.settle(options) {
            Ok(call) => call,
            Err(e) => {
                return Outcome {
                    result: Err(e),
                    maybe_applied: false,
                }
            }
        };
        let started = Instant::now();
        let deadline = started + call.deadline;
        let debug = self.logger.enabled(LogLevel::Debug);
        let mut maybe_applied = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let attempt_started = Instant::now();
            let budget = call
                .timeout
                .min(deadline.saturating_duration_since(attempt_started));
            let on_send = self.policy.hooks.wants_requests().then(|| {
                let hooks = self.policy.hooks.clone();
                let logger = self.logger.clone();
                vivamo_api::OnSend(std::sync::Arc::new(move |method: &str, path: &str| {
                    let event = RequestEvent {
                        operation,
                        method: method.to_owned(),
                        path: path.to_owned(),
                        attempt,
                    };
                    hooks.request(&logger, &event);
                }))
            });
            let extra = vivamo_api::Extra {
                headers: call.headers.clone(),
                // Merged into each attempt's body afresh: every retry sends the same bytes.
                body: call.body.clone(),
                keep_request_body: debug,
                on_send,
            };
            let attempt_span = tracing::info_span!(
                target: "vivamo",
                "vivamo.attempt",
                otel.kind = "client",
                http.request.method = Empty,
                url.full = Empty,
                http.request.resend_count = attempt - 1,
                http.response.status_code = Empty,
                error.type = Empty,
                vivamo.request_id = Empty,
            );
            // One instant bounds the whole attempt: headers, body, and the reading of an error
            // body in `classify` (a server dripping bytes cannot hold a call past it). The two
            // steps are awaited one after the other, not nested in one block: this future, and
            // every caller's, holds the larger of them instead of both (smaller futures are
            // cheaper to move; each call moves them a few times).
            let attempt_deadline = attempt_started + budget;
            let timed_out = || {
                let what = if budget < call.timeout {
                    format!(
                        "the call's deadline ({:.1} s) passed",
                        call.deadline.as_secs_f64()
                    )
                } else {
                    format!("no answer within {:.1} s", budget.as_secs_f64())
                };
                (Error::new(ErrorKind::Timeout, what), true)
            };
            let sent = in_span(
                tokio::time::timeout_at(attempt_deadline, vivamo_api::observe_with(extra, send())),
                &attempt_span,
            )
            .await;
            let (answered, seen) = match sent {
                Ok((Ok(value), seen)) => (Ok(value), seen),
                Ok((Err(e), seen)) => {
                    let classified = in_span(
                        tokio::time::timeout_at(attempt_deadline, classify::classify(e, &seen)),
                        &attempt_span,
                    )
                    .await;
                    (Err(classified.unwrap_or_else(|_| timed_out())), seen)
                }
                Err(_) => (Err(timed_out()), vivamo_api::Observed::default()),
            };
            let elapsed = attempt_started.elapsed();
            let trace = SpanFields {
                base_url: self.api.baseurl(),
                attempt,
            };
            let (error, applied) = match answered {
                Ok(value) => {
                    let status = value.status().as_u16();
                    self.tell_response(operation, &seen, Some(status), elapsed, attempt, None);
                    trace.record(&attempt_span, &seen, Some(status), None);
                    trace.record(call_span, &seen, Some(status), None);
                    let line = AttemptLine {
                        operation,
                        seen: &seen,
                        attempt,
                        elapsed,
                    };
                    self.logger.log(LogLevel::Info, || {
                        line.render(value.status().as_u16(), "done")
                    });
                    if debug {
                        self.log_bodies(&seen, Some(&*value));
                    }
                    let response = Response::from_value(value, seen.request_id)
                        .timed(attempt - 1, started.elapsed());
                    return Outcome {
                        result: Ok(response),
                        maybe_applied,
                    };
                }
                Err(classified) => classified,
            };
            if debug {
                self.log_bodies::<T>(&seen, None);
            }
            trace.record(&attempt_span, &seen, error.status(), Some(error.kind()));
            self.tell_response(
                operation,
                &seen,
                error.status(),
                elapsed,
                attempt,
                Some(error.kind()),
            );
            maybe_applied |= applied;
            let wait = match error.retry_after() {
                Some(asked) => asked.min(MAX_RETRY_AFTER),
                None => backoff(
                    self.policy.backoff_initial,
                    self.policy.backoff_max,
                    attempt,
                ),
            };
            let decision = if !error.is_retryable() {
                Decision::Final
            } else if applied && retries == Retries::NotApplied {
                Decision::MaybeApplied
            } else if attempt > call.max_retries {
                Decision::OutOfRetries
            } else if Instant::now() + wait >= deadline {
                Decision::OutOfTime
            } else {
                Decision::Retry(wait)
            };
            let line = AttemptLine {
                operation,
                seen: &seen,
                attempt,
                elapsed,
            };
            let level = match decision {
                Decision::Retry(_) => LogLevel::Warn,
                _ if error.is_retryable() => LogLevel::Error,
                // A refusal (4xx, validation) is an answer, not a failure of the SDK.
                _ => LogLevel::Info,
            };
            self.logger.log(level, || {
                let status = error.status().unwrap_or(0);
                line.render(status, &decision.describe(&error))
            });
            match decision {
                Decision::Retry(wait) => {
                    if let Some(hook) = &self.policy.on_retry {
                        (hook.0)(&error);
                    }
                    self.policy.hooks.retry(
                        &self.logger,
                        &RetryEvent {
                            operation,
                            attempt,
                            error: error.kind(),
                            status: error.status(),
                            delay: wait,
                            request_id: seen.request_id.clone(),
                        },
                    );
                    tokio::time::sleep(wait).await
                }
                _ => {
                    trace.record(call_span, &seen, error.status(), Some(error.kind()));
                    return Outcome {
                        result: Err(error.with_request_id(seen.request_id)),
                        maybe_applied,
                    };
                }
            }
        }
    }

    /// Tells the `on_response` hooks how an attempt ended.
    fn tell_response(
        &self,
        operation: &'static str,
        seen: &vivamo_api::Observed,
        status: Option<u16>,
        elapsed: Duration,
        attempt: u32,
        error: Option<ErrorKind>,
    ) {
        if self.policy.hooks.on_response.is_empty() {
            return;
        }
        let event = ResponseEvent {
            operation,
            method: seen.method.clone().unwrap_or_default(),
            path: seen.path.clone().unwrap_or_default(),
            status,
            elapsed,
            attempt,
            request_id: seen.request_id.clone(),
            error,
        };
        self.policy.hooks.response(&self.logger, &event);
    }

    fn log_bodies<T: serde::Serialize>(&self, seen: &vivamo_api::Observed, value: Option<&T>) {
        if let Some(body) = &seen.request_body {
            self.logger.log(LogLevel::Debug, || {
                format!("request body: {}", masked_body(body))
            });
        }
        if let Some(value) = value {
            self.logger.log(LogLevel::Debug, || {
                format!("response body: {}", masked_value(value))
            });
        }
    }
}

/// `future` inside `span`; without a subscriber the span is disabled and the future runs bare
/// (no enter / exit per poll).
fn in_span<F: Future>(future: F, span: &tracing::Span) -> Either<F, Instrumented<F>> {
    if span.is_disabled() {
        Either::Left(future)
    } else {
        Either::Right(future.instrument(span.clone()))
    }
}

/// What the spans of one attempt and of its call record.
struct SpanFields<'a> {
    base_url: &'a str,
    attempt: u32,
}

impl SpanFields<'_> {
    fn record(
        &self,
        span: &tracing::Span,
        seen: &vivamo_api::Observed,
        status: Option<u16>,
        error: Option<ErrorKind>,
    ) {
        if span.is_disabled() {
            return;
        }
        if let (Some(method), Some(path)) = (&seen.method, &seen.path) {
            span.record("http.request.method", method.as_str());
            span.record(
                "url.full",
                format!("{}{path}", self.base_url.trim_end_matches('/')).as_str(),
            );
        }
        span.record("http.request.resend_count", self.attempt - 1);
        if let Some(status) = status {
            span.record("http.response.status_code", status);
        }
        if let Some(id) = &seen.request_id {
            span.record("vivamo.request_id", id.as_str());
        }
        if let Some(kind) = error {
            span.record("error.type", kind.as_str());
        }
    }
}

/// Which failed attempts a call may retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retries {
    /// Every transient failure (the operation is idempotent, or reconciles afterwards).
    AnyTransient,
    /// Only a failure the server cannot have applied (refused connection, 429, a 4xx…): a
    /// non-idempotent request whose attempt may have reached the server is not sent again.
    NotApplied,
}

enum Decision {
    Final,
    MaybeApplied,
    OutOfRetries,
    OutOfTime,
    Retry(Duration),
}

impl Decision {
    fn describe(&self, error: &Error) -> String {
        let kind = error.kind().as_str();
        match self {
            Decision::Final => format!("{kind}, not retried"),
            Decision::MaybeApplied => {
                format!("{kind}, not retried: the request may have been applied")
            }
            Decision::OutOfRetries => format!("{kind}, no retries left"),
            Decision::OutOfTime => format!("{kind}, no time left before the deadline"),
            Decision::Retry(wait) => format!("{kind}, retrying in {:.2} s", wait.as_secs_f64()),
        }
    }
}

/// The common part of an attempt's log line.
struct AttemptLine<'a> {
    operation: &'static str,
    seen: &'a vivamo_api::Observed,
    attempt: u32,
    elapsed: Duration,
}

impl AttemptLine<'_> {
    /// `GET /v1/customers/u1 -> 200 (attempt 1, 3 ms, request req_1): done`; status 0 is "no
    /// response".
    fn render(&self, status: u16, decision: &str) -> String {
        let (method, path) = match (&self.seen.method, &self.seen.path) {
            (Some(method), Some(path)) => (method.as_str(), path.as_str()),
            // The attempt timed out before a request was built: name the operation.
            _ => (self.operation, ""),
        };
        let status = match status {
            0 => "no response".to_string(),
            s => s.to_string(),
        };
        let request = self.seen.request_id.as_deref().unwrap_or("-");
        format!(
            "{method}{}{path} -> {status} (attempt {}, {} ms, request {request}): {decision}",
            if path.is_empty() { "" } else { " " },
            self.attempt,
            self.elapsed.as_millis()
        )
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
