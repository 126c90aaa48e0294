//! Deliveries: one event to one webhook, attempted as Vivamo does (any answer but 200, or
//! none within the timeout, is retried up to 5 times, the n-th retry n retry units after the
//! previous attempt), and the log of every attempt.

use std::collections::{BTreeMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, Request, Uri};
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde_json::{json, Value};

/// Retries after the first attempt.
pub(crate) const MAX_RETRIES: u32 = 5;
/// How long a connection to a receiver stays open unused.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Deliveries kept in the log (the oldest go first).
const KEPT: usize = 500;

/// One attempt of a delivery.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub at: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub error: Option<String>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Not yet answered 200; another attempt is due.
    Pending,
    /// Answered 200.
    Delivered,
    /// Every attempt failed, or the target is not allowed.
    Failed,
}

/// One event on its way to one webhook. The URL, headers and secret are the webhook's when
/// the event happened: later changes to the webhook do not reach deliveries under way.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub id: String,
    pub event_id: String,
    pub event_type: String,
    pub webhook_id: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: Bytes,
    pub signature: String,
    /// The second copy the duplicate fault sends.
    pub duplicate: bool,
    /// The delivery this one resends.
    pub resend_of: Option<String>,
    pub attempts: Vec<Attempt>,
    pub state: State,
    pub next_attempt_at: Option<String>,
}

impl Delivery {
    /// The log entry; custom header values are redacted (they are often pre-shared keys).
    pub fn view(&self) -> Value {
        let headers: BTreeMap<&str, &str> = self
            .headers
            .keys()
            .map(|k| (k.as_str(), "[redacted]"))
            .collect();
        let attempts: Vec<Value> = self
            .attempts
            .iter()
            .map(|a| {
                json!({
                    "at": a.at,
                    "status": a.status,
                    "latencyMs": a.latency_ms,
                    "error": a.error,
                })
            })
            .collect();
        json!({
            "id": self.id,
            "eventId": self.event_id,
            "eventType": self.event_type,
            "webhookId": self.webhook_id,
            "url": self.url,
            "headers": headers,
            "body": String::from_utf8_lossy(&self.body),
            "signature": self.signature,
            "duplicate": self.duplicate,
            "resendOf": self.resend_of,
            "state": match self.state {
                State::Pending => "pending",
                State::Delivered => "delivered",
                State::Failed => "failed",
            },
            "attempts": attempts,
            "nextAttemptAt": self.next_attempt_at,
        })
    }
}

/// The last deliveries, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Log {
    deliveries: VecDeque<Delivery>,
}

impl Log {
    pub fn push(&mut self, d: Delivery) {
        if self.deliveries.len() == KEPT {
            self.deliveries.pop_front();
        }
        self.deliveries.push_back(d);
    }

    pub fn get(&self, id: &str) -> Option<&Delivery> {
        self.deliveries.iter().find(|d| d.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Delivery> {
        self.deliveries.iter_mut().find(|d| d.id == id)
    }

    pub fn views(&self) -> Vec<Value> {
        self.deliveries.iter().map(Delivery::view).collect()
    }

    pub fn clear(&mut self) {
        self.deliveries.clear();
    }
}

/// Whether the sandbox may deliver to `url`: plain `http`, and a loopback host unless
/// `any_host`. The error says why not.
pub(crate) fn check_target(url: &str, any_host: bool) -> Result<Uri, String> {
    let uri: Uri = url.parse().map_err(|_| format!("`{url}` is not a URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(
            "the sandbox delivers over plain http only: register an http:// URL of your local receiver"
                .to_string(),
        );
    }
    let host = uri.host().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !any_host && !loopback {
        return Err(format!(
            "`{host}` is not a loopback address: the sandbox delivers to 127.0.0.1, [::1] or localhost unless started with --webhook-allow-any-host"
        ));
    }
    Ok(uri)
}

/// The HTTP client deliveries use.
pub(crate) type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// A client for deliveries.
pub(crate) fn client() -> HttpClient {
    // Without a timer hyper never reaps idle connections, and one it opened for a delivery
    // that another connection then served stays open, unused, for the client's whole life.
    Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .build_http()
}

/// One POST of the delivery: the status Vivamo's receiver answered, or why none came.
pub(crate) async fn post(
    client: &HttpClient,
    uri: Uri,
    d: &Delivery,
    timeout: Duration,
) -> (Option<u16>, Option<String>, u64) {
    let started = Instant::now();
    let mut req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::USER_AGENT,
            concat!("vivamo-sandbox/", env!("CARGO_PKG_VERSION")),
        )
        .header("signature", d.signature.as_str());
    for (k, v) in &d.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let outcome = match req.body(Full::new(d.body.clone())) {
        Err(e) => Err(format!("the request could not be built: {e}")),
        Ok(req) => match tokio::time::timeout(timeout, client.request(req)).await {
            Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
            Ok(Err(e)) => Err(describe(&e)),
            Ok(Ok(resp)) => Ok(resp.status().as_u16()),
        },
    };
    let latency = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match outcome {
        Ok(status) if status == 200 => (Some(status), None, latency),
        Ok(status) => (
            Some(status),
            Some(format!("answered {status}, not 200")),
            latency,
        ),
        Err(e) => (None, Some(e), latency),
    }
}

fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
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
    fn only_plain_http_to_loopback_by_default() {
        assert!(check_target("http://127.0.0.1:9/hook", false).is_ok());
        assert!(check_target("http://[::1]:9/hook", false).is_ok());
        assert!(check_target("http://localhost:9/hook", false).is_ok());
        let e = check_target("http://example.com/hook", false).unwrap_err();
        assert!(e.contains("--webhook-allow-any-host"), "{e}");
        assert!(check_target("http://example.com/hook", true).is_ok());
        assert!(check_target("https://127.0.0.1/hook", true).is_err());
    }
}
