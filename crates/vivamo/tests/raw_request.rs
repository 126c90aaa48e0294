//! `Client::request`: any endpoint with the SDK's key, retries, errors and response metadata,
//! against the sandbox over loopback.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{client, client_builder, sandbox, spawn};
use serde_json::json;
use vivamo::{ErrorKind, Method, NewCustomer};
use vivamo_sandbox::{Mode, Sandbox};

#[tokio::test]
async fn a_raw_get_reads_what_the_typed_create_wrote_with_its_metadata() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    client
        .customers()
        .create(NewCustomer::new("raw_1", "raw@example.com"))
        .await
        .unwrap();

    let got = client
        .request(Method::GET, "/v1/customers/raw_1")
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got["externalCustomerId"], "raw_1");
    assert_eq!(got["data"]["email"], "raw@example.com");
    assert!(got.request_id().is_some_and(|id| !id.is_empty()));
    assert_eq!(
        got.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        got.request_id()
    );
    assert_eq!(got.retries_taken(), 0);

    let page = client
        .request(Method::GET, "/v1/customers")
        .query("page", "1")
        .query("size", "5")
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["limit"], 5);
}

#[tokio::test]
async fn a_raw_post_creates_and_error_statuses_are_typed() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    let body = json!({"externalCustomerId": "raw_2", "data": {"email": "raw2@example.com"}});
    let created = client
        .request(Method::POST, "/v1/customers")
        .body(body.clone())
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let typed = client.customers().get("raw_2").await.unwrap();
    assert_eq!(typed.data.email, "raw2@example.com");

    let again = client
        .request(Method::POST, "/v1/customers")
        .body(body)
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::CustomerAlreadyExists, "{again}");
    assert_eq!(again.status(), Some(400));

    let missing = client
        .request(Method::GET, "/v1/customers/nobody")
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert!(missing.request_id().is_some());
}

#[tokio::test]
async fn a_path_that_is_not_below_the_base_url_is_refused_before_sending() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    for path in [
        "v1/customers",
        "//evil.example/v1",
        "https://evil.example/v1",
        "/v1/customers?page=2",
    ] {
        let err = client.request(Method::GET, path).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{path}: {err}");
        assert!(err.to_string().contains(path), "{err}");
    }
}

/// A client whose `on_retry` counts the retries.
fn counting(sb: &vivamo_sandbox::SandboxHandle) -> (vivamo::Client, Arc<AtomicUsize>) {
    let retries = Arc::new(AtomicUsize::new(0));
    let seen = retries.clone();
    let client = client_builder(sb)
        .max_retries(2)
        .on_retry(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    (client, retries)
}

#[tokio::test]
async fn a_post_whose_attempt_may_have_been_applied_is_not_retried_unless_idempotent() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0).seed(5)).await;
    let body = json!({"externalCustomerId": "raw_3", "data": {"email": "raw3@example.com"}});

    let (client, retries) = counting(&sb);
    let err = client
        .request(Method::POST, "/v1/customers")
        .body(body.clone())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(
        retries.load(Ordering::SeqCst),
        0,
        "a 500 may have applied the POST"
    );

    let (client, retries) = counting(&sb);
    client
        .request(Method::POST, "/v1/customers")
        .body(body)
        .idempotent(true)
        .await
        .unwrap_err();
    assert_eq!(retries.load(Ordering::SeqCst), 2);

    let (client, retries) = counting(&sb);
    client
        .request(Method::GET, "/v1/customers/raw_3")
        .await
        .unwrap_err();
    assert_eq!(retries.load(Ordering::SeqCst), 2, "a GET is retried");
}

#[tokio::test]
async fn app_info_is_appended_to_the_user_agent() {
    let sb = sandbox(Mode::Test).await;
    let client = client_builder(&sb)
        .app_info(
            vivamo::AppInfo::new("acme-onboarding")
                .version("1.4.2")
                .url("https://acme.example"),
        )
        .build()
        .unwrap();
    client.customers().list().await.unwrap();
    let log = common::requests(&sb).await;
    let agent = log.last().unwrap()["headers"]["user-agent"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(agent.starts_with("vivamo-rust/"), "{agent}");
    assert!(
        agent.ends_with(" acme-onboarding/1.4.2 (+https://acme.example)"),
        "{agent}"
    );

    let err = client_builder(&sb)
        .app_info(vivamo::AppInfo::new("acme onboarding"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("app_info.name"), "{err}");
}
