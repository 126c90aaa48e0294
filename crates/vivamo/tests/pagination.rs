//! `list_all` walks every page once, lazily, and surfaces errors in the stream.

mod common;

use std::collections::HashSet;

use common::{client, client_builder, sandbox, seed, spawn};
use futures::{StreamExt, TryStreamExt};
use vivamo::ErrorKind;
use vivamo_sandbox::{Mode, Sandbox};

#[tokio::test]
async fn list_all_yields_each_of_1234_customers_once() {
    let sb = sandbox(Mode::Test).await;
    seed(&sb, 1234).await;
    let client = client(&sb);
    let all: Vec<_> = client
        .customers()
        .list_all()
        .size(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1234);
    let ids: HashSet<_> = all
        .iter()
        .map(|c| c.external_customer_id.as_str())
        .collect();
    assert_eq!(ids.len(), 1234);
}

#[tokio::test]
async fn list_all_over_nothing_is_empty() {
    let sb = sandbox(Mode::Test).await;
    let all: Vec<_> = client(&sb)
        .customers()
        .list_all()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn list_all_is_lazy() {
    let sb = sandbox(Mode::Test).await;
    seed(&sb, 30).await;
    let client = client(&sb);
    let first_three: Vec<_> = client
        .customers()
        .list_all()
        .size(10)
        .stream()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_three.len(), 3);
}

#[tokio::test]
async fn errors_end_the_stream() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0)).await;
    let client = client_builder(&sb).max_retries(0).build().unwrap();
    let items: Vec<_> = client.customers().list_all().stream().collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().kind(), ErrorKind::Server);

    let sb = sandbox(Mode::Test).await;
    let items: Vec<_> = client_builder(&sb)
        .build()
        .unwrap()
        .customers()
        .list_all()
        .size(0)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn page_size_above_the_maximum_is_a_bad_request() {
    let sb = sandbox(Mode::Test).await;
    let err = client(&sb)
        .customers()
        .list()
        .size(10_000)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::BadRequest, Some(400))
    );
    assert!(!err.errors().is_empty());
}
