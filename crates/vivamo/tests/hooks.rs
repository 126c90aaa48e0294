//! Event hooks: told of each attempt as it is sent, as it ends and before a retry; a hook
//! that panics never breaks the call.

mod common;

use std::sync::{Arc, Mutex};

use common::{client_builder, sandbox, spawn};
use vivamo::{
    ErrorKind, LogLevel, LogRecord, NewCustomer, RequestEvent, ResponseEvent, RetryEvent,
};
use vivamo_sandbox::{Mode, Sandbox};

#[derive(Default)]
struct Seen {
    requests: Mutex<Vec<RequestEvent>>,
    responses: Mutex<Vec<ResponseEvent>>,
    retries: Mutex<Vec<RetryEvent>>,
}

fn with_hooks(builder: vivamo::ClientBuilder, seen: &Arc<Seen>) -> vivamo::Client {
    let (a, b, c) = (seen.clone(), seen.clone(), seen.clone());
    builder
        .on_request(move |e| a.requests.lock().unwrap().push(e.clone()))
        .on_response(move |e| b.responses.lock().unwrap().push(e.clone()))
        .on_retry_event(move |e| c.retries.lock().unwrap().push(e.clone()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_call_tells_its_request_and_its_response() {
    let sb = sandbox(Mode::Test).await;
    let seen = Arc::new(Seen::default());
    let client = with_hooks(client_builder(&sb), &seen);
    let created = client
        .customers()
        .create(NewCustomer::new("hook_1", "hook@example.com"))
        .with_response()
        .await
        .unwrap();

    let requests = seen.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].operation, "create_customer");
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/customers");
    assert_eq!(requests[0].attempt, 1);

    let responses = seen.responses.lock().unwrap().clone();
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].status, Some(200));
    assert_eq!(responses[0].error, None);
    assert_eq!(responses[0].request_id.as_deref(), created.request_id());
    assert!(seen.retries.lock().unwrap().is_empty());
    assert!(!format!("{requests:?}{responses:?}").contains(sb.api_key()));
}

#[tokio::test]
async fn every_attempt_and_every_retry_is_told() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0).seed(11)).await;
    let seen = Arc::new(Seen::default());
    let client = with_hooks(client_builder(&sb).max_retries(2), &seen);
    let err = client.customers().get("hook_2").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);

    let attempts: Vec<u32> = seen
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.attempt)
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
    let responses = seen.responses.lock().unwrap().clone();
    assert_eq!(responses.len(), 3);
    assert!(responses.iter().all(|e| e.status == Some(500)
        && e.error == Some(ErrorKind::Server)
        && e.path == "/v1/customers/hook_2"));
    let retries = seen.retries.lock().unwrap().clone();
    assert_eq!(
        retries.iter().map(|e| e.attempt).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(retries
        .iter()
        .all(|e| e.error == ErrorKind::Server && e.status == Some(500)));
}

#[tokio::test]
async fn a_hook_that_panics_is_logged_and_the_call_succeeds() {
    let sb = sandbox(Mode::Test).await;
    let records = Arc::new(Mutex::new(Vec::<LogRecord>::new()));
    let sink = records.clone();
    let client = client_builder(&sb)
        .log_level(LogLevel::Error)
        .log_sink(move |r: &LogRecord| sink.lock().unwrap().push(r.clone()))
        .on_request(|_| panic!("a user's bug"))
        .on_response(|_| panic!("another"))
        .build()
        .unwrap();
    client
        .customers()
        .create(NewCustomer::new("hook_3", "hook3@example.com"))
        .await
        .unwrap();
    let messages: Vec<String> = records
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.message.clone())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("on_request hook panicked")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("on_response hook panicked")),
        "{messages:?}"
    );
}
