//! Per-call control and observability: request options, derived clients, the response's
//! metadata, logs and cancellation, against the sandbox over loopback.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{client_builder, sandbox, spawn};
use vivamo::{CustomerUpdate, ErrorKind, LogLevel, LogRecord, NewCustomer, RequestOptions};
use vivamo_sandbox::{Mode, Sandbox, SandboxHandle};

/// A log sink that keeps every record.
fn recorder() -> (
    Arc<Mutex<Vec<LogRecord>>>,
    impl Fn(&LogRecord) + Send + Sync + 'static,
) {
    let records = Arc::new(Mutex::new(Vec::new()));
    let sink = {
        let records = records.clone();
        move |r: &LogRecord| records.lock().unwrap().push(r.clone())
    };
    (records, sink)
}

fn attempts(records: &Mutex<Vec<LogRecord>>) -> usize {
    records
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.message.contains("(attempt "))
        .count()
}

#[tokio::test]
async fn per_call_max_retries_zero_fails_at_once_while_the_client_still_retries() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0).seed(3)).await;
    let (records, sink) = recorder();
    let client = client_builder(&sb)
        .max_retries(2)
        .log_level(LogLevel::Info)
        .log_sink(sink)
        .build()
        .unwrap();

    let err = client
        .customers()
        .get("u1")
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(attempts(&records), 1);

    records.lock().unwrap().clear();
    let err = client.customers().get("u1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(
        attempts(&records),
        3,
        "the client's own max_retries (2) still applies"
    );

    // The same through a derived client, which leaves its parent alone.
    records.lock().unwrap().clear();
    let checkout = client
        .with_options(RequestOptions::new().max_retries(0))
        .unwrap();
    checkout.customers().get("u1").await.unwrap_err();
    assert_eq!(attempts(&records), 1);
    records.lock().unwrap().clear();
    client.customers().get("u1").await.unwrap_err();
    assert_eq!(attempts(&records), 3);
}

#[tokio::test]
async fn a_per_call_deadline_cuts_a_slow_call_short() {
    // 60 s of latency: without the 300 ms deadline the call would hang for a minute (and then
    // fail at the 30 s default timeout). How soon a deadline fires is the bench's business;
    // the bound here only tells "cut short" from "waited the latency out", with seconds of
    // slack for a loaded machine.
    let sb = spawn(Sandbox::builder().latency(Duration::from_secs(60))).await;
    let client = client_builder(&sb).build().unwrap();
    let started = Instant::now();
    let err = client
        .customers()
        .get("u1")
        .deadline(Duration::from_millis(300))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");

    let quick = client
        .with_options(RequestOptions::new().deadline(Duration::from_millis(300)))
        .unwrap();
    let started = Instant::now();
    let err = quick.customers().list().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn with_response_carries_the_request_id_status_and_headers() {
    let sb = sandbox(Mode::Test).await;
    let client = common::client(&sb);
    let created = client
        .customers()
        .create(NewCustomer::new("rid_1", "rid1@example.com"))
        .with_response()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let id = created
        .request_id()
        .expect("the sandbox sends x-request-id");
    assert_eq!(created.headers()["x-request-id"], id);
    assert_eq!(created.customer.external_customer_id, "rid_1");
    // Split, the metadata stays whole beside the value.
    let id = id.to_owned();
    let (value, meta) = created.into_parts();
    assert_eq!(value.customer.external_customer_id, "rid_1");
    assert_eq!(meta.status(), 200);
    assert_eq!(meta.request_id(), Some(id.as_str()));
    assert_eq!(meta.headers()["x-request-id"], id.as_str());
    assert_eq!(meta.retries_taken(), 0);
    assert!(meta.elapsed() > Duration::ZERO);
    let id = id.as_str();

    let fetched = client
        .customers()
        .get("rid_1")
        .with_response()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 200);
    assert_ne!(
        fetched.request_id(),
        Some(id),
        "each request has its own id"
    );
    let ensured = client
        .customers()
        .ensure(NewCustomer::new("rid_1", "rid1@example.com"))
        .with_response()
        .await
        .unwrap();
    assert!(!ensured.created);
    assert!(ensured.request_id().is_some());
    let page = client
        .customers()
        .list()
        .size(5)
        .with_response()
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert!(page.request_id().is_some());
    let updated = client
        .customers()
        .update("rid_1", CustomerUpdate::new().city("Boston"))
        .with_response()
        .await
        .unwrap();
    assert_eq!(updated.value().data.city.as_deref(), Some("Boston"));
    assert!(updated.request_id().is_some());
}

#[tokio::test]
async fn the_sdks_own_headers_cannot_be_overridden() {
    let sb = sandbox(Mode::Test).await;
    let client = common::client(&sb);
    for name in ["Authorization", "content-type", "User-Agent"] {
        let err = client
            .with_options(RequestOptions::new().header(name, "x"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.to_string().contains(name), "{err}");
        let err = client
            .customers()
            .get("u1")
            .header(name, "x")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
    }
}

#[tokio::test]
async fn info_logs_one_line_per_attempt_and_never_the_key() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0).seed(1)).await;
    let (records, sink) = recorder();
    let client = client_builder(&sb)
        .max_retries(1)
        .log_level(LogLevel::Info)
        .log_sink(sink)
        .build()
        .unwrap();
    client.customers().get("log_1").await.unwrap_err();
    let records = records.lock().unwrap();
    assert_eq!(records.len(), 2, "{records:#?}");
    let first = &records[0];
    assert_eq!(first.level, LogLevel::Warn);
    for part in [
        "GET /v1/customers/log_1 -> 500",
        "attempt 1",
        " ms",
        "request ",
        "retrying in",
    ] {
        assert!(first.message.contains(part), "{part}: {}", first.message);
    }
    assert_eq!(records[1].level, LogLevel::Error);
    assert!(
        records[1].message.contains("attempt 2"),
        "{}",
        records[1].message
    );
    assert!(
        records[1].message.contains("no retries left"),
        "{}",
        records[1].message
    );
    for r in records.iter() {
        assert!(!r.message.contains(sb.api_key()), "{}", r.message);
    }
}

#[tokio::test]
async fn debug_logs_bodies_with_email_and_phone_masked_and_info_does_not() {
    let sb = sandbox(Mode::Test).await;
    for (level, bodies) in [(LogLevel::Info, false), (LogLevel::Debug, true)] {
        common::reset(&sb).await;
        let (records, sink) = recorder();
        let client = client_builder(&sb)
            .log_level(level)
            .log_sink(sink)
            .build()
            .unwrap();
        client
            .customers()
            .create(
                NewCustomer::new("mask_1", "jane.secret@example.com")
                    .phone("4155552671")
                    .city("Boston"),
            )
            .await
            .unwrap();
        let records = records.lock().unwrap();
        let all: String = records.iter().map(|r| format!("{}\n", r.message)).collect();
        assert_eq!(all.contains("request body"), bodies, "{all}");
        assert_eq!(all.contains("response body"), bodies, "{all}");
        assert!(
            !all.contains("jane.secret") && !all.contains("4155552671"),
            "{all}"
        );
        assert!(!all.contains(sb.api_key()), "{all}");
        if bodies {
            assert!(all.contains("Boston") && all.contains("[masked]"), "{all}");
        }
    }
}

#[tokio::test]
async fn updates_rule_warnings_reach_the_callers_logs() {
    let sb = sandbox(Mode::Test).await;
    let (records, sink) = recorder();
    let client = client_builder(&sb).log_sink(sink).build().unwrap();
    client
        .customers()
        .create(NewCustomer::new("warn_1", "warn1@example.com"))
        .await
        .unwrap();
    client
        .customers()
        .update(
            "warn_1",
            CustomerUpdate::new().email("someone@mailinator.com"),
        )
        .await
        .unwrap();
    let records = records.lock().unwrap();
    assert!(
        records
            .iter()
            .any(|r| r.level == LogLevel::Warn && r.message.contains("update warn_1")),
        "{records:#?}"
    );
    assert_eq!(client.log_level(), LogLevel::Warn, "the default level");
}

#[tokio::test]
async fn log_level_off_logs_nothing() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0)).await;
    let (records, sink) = recorder();
    let client = client_builder(&sb)
        .log_level(LogLevel::Off)
        .log_sink(sink)
        .build()
        .unwrap();
    client.customers().get("u1").await.unwrap_err();
    assert!(records.lock().unwrap().is_empty());
}

#[tokio::test]
async fn dropping_the_future_cancels_the_call() {
    let sb = spawn(Sandbox::builder().latency(Duration::from_millis(2000))).await;
    let client = client_builder(&sb).build().unwrap();
    let call = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .customers()
                .create(NewCustomer::new("cancel_1", "cancel1@example.com"))
                .await
        }
    });
    // In flight once the sandbox logged it (it answers after 2 s at the earliest).
    in_flight(&sb, 1).await;
    call.abort();
    assert!(call.await.unwrap_err().is_cancelled());
    // The create was abandoned mid-flight: ensure makes the outcome certain either way.
    let ensured = client
        .customers()
        .ensure(NewCustomer::new("cancel_1", "cancel1@example.com"))
        .await
        .unwrap();
    assert_eq!(ensured.customer.external_customer_id, "cancel_1");
    assert_eq!(sb.state().customer_count(), 1);
}

/// Waits (polling, 30 s at most) until the sandbox has logged `count` requests.
async fn in_flight(sb: &SandboxHandle, count: usize) {
    let started = Instant::now();
    while common::requests(sb).await.len() < count {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the request never reached the sandbox"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn extra_headers_arrive_and_the_request_id_is_the_servers() {
    let sb = sandbox(Mode::Test).await;
    let client = common::client(&sb)
        .with_options(RequestOptions::new().header("x-team", "checkout"))
        .unwrap();
    let fetched = client
        .customers()
        .list()
        .header("x-correlation-id", "order_981")
        .with_response()
        .await
        .unwrap();
    let log = common::requests(&sb).await;
    let seen = log.last().unwrap();
    assert_eq!(seen["headers"]["x-correlation-id"], "order_981");
    assert_eq!(seen["headers"]["x-team"], "checkout");
    assert_eq!(seen["requestId"].as_str(), fetched.request_id());
}

#[tokio::test]
async fn a_dropped_call_closes_its_connection() {
    let sb = spawn(Sandbox::builder().latency(Duration::from_millis(1000))).await;
    let client = client_builder(&sb).build().unwrap();
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.customers().get("slow_1").await }
    });
    in_flight(&sb, 1).await;
    call.abort();
    assert!(call.await.unwrap_err().is_cancelled());
    // A second call, sent after the first, ends after the same latency: by then the first
    // would have been answered had its client stayed.
    client.customers().get("slow_2").await.unwrap_err();
    let log = common::requests(&sb).await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["path"], "/v1/customers/slow_1");
    assert_eq!(
        log[0]["completed"], false,
        "the sandbox saw the client leave"
    );
    assert_eq!(log[1]["completed"], true);
}

#[tokio::test]
async fn unknown_response_fields_are_kept_in_extra() {
    let sb = sandbox(Mode::Test).await;
    common::extra_fields(&sb, serde_json::json!({"loyaltyTier": "gold", "score": 7})).await;
    let client = common::client(&sb);
    let created = client
        .customers()
        .create(NewCustomer::new("fc_1", "fc1@example.com"))
        .await
        .unwrap();
    assert_eq!(created.customer.extra["loyaltyTier"], "gold");
    let fetched = client.customers().get("fc_1").await.unwrap();
    assert_eq!(fetched.extra["score"], 7);
    let page = client.customers().list().await.unwrap();
    assert_eq!(page.customers[0].extra["loyaltyTier"], "gold");
    let json = serde_json::to_value(&fetched).unwrap();
    assert_eq!(
        json["loyaltyTier"], "gold",
        "kept on the way out too: {json}"
    );
}

#[tokio::test]
async fn kyc_calls_are_request_builders_too() {
    let sb = sandbox(Mode::Test).await;
    let client = common::client(&sb);
    client
        .customers()
        .create(NewCustomer::new("kyc_ro", "kycro@example.com"))
        .await
        .unwrap();
    let info = client
        .customers()
        .kyc_info("kyc_ro")
        .header("x-correlation-id", "kyc_1")
        .max_retries(0)
        .with_response()
        .await
        .unwrap();
    assert_eq!(info.external_customer_id, "kyc_ro");
    let log = common::requests(&sb).await;
    assert_eq!(log.last().unwrap()["headers"]["x-correlation-id"], "kyc_1");
    assert_eq!(log.last().unwrap()["requestId"].as_str(), info.request_id());
    let queue = client.customers().kyc_for_review().await.unwrap();
    assert!(queue.is_empty());
}
