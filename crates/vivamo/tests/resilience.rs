//! Retries, exactly-once create, Retry-After and deadlines, against a faulty sandbox.

mod common;

use std::time::Duration;

use common::{client_builder, spawn};
use futures::future::join_all;
use vivamo::{ErrorKind, NewCustomer};
use vivamo_sandbox::Sandbox;

#[tokio::test]
async fn retries_ride_out_a_fifty_percent_failure_rate() {
    let sb = spawn(Sandbox::builder().fail_rate(0.5).seed(42)).await;
    let client = client_builder(&sb).max_retries(12).build().unwrap();
    for i in 0..40 {
        let id = format!("r{i}");
        client
            .customers()
            .create(NewCustomer::new(&id, format!("r{i}@example.com")))
            .await
            .unwrap();
        assert_eq!(
            client
                .customers()
                .get(&id)
                .await
                .unwrap()
                .external_customer_id,
            id
        );
    }
    assert_eq!(sb.state().customer_count(), 40);
}

#[tokio::test]
async fn lost_responses_never_duplicate_nor_lose_a_create() {
    let sb = spawn(Sandbox::builder().lost_response_rate(0.3).seed(7)).await;
    let client = client_builder(&sb).max_retries(10).build().unwrap();
    let calls = (0..500).map(|i| {
        let client = client.clone();
        async move {
            client
                .customers()
                .create(NewCustomer::new(
                    format!("lost_{i}"),
                    format!("lost{i}@example.com"),
                ))
                .await
        }
    });
    let results = join_all(calls).await;
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} failed, e.g. {:?}",
        failures.len(),
        failures.first()
    );
    for (i, created) in results.iter().enumerate() {
        assert_eq!(
            created.as_ref().unwrap().customer.external_customer_id,
            format!("lost_{i}")
        );
    }
    assert_eq!(sb.state().customer_count(), 500);
}

#[tokio::test]
async fn ensure_is_exactly_once_under_lost_responses_too() {
    let sb = spawn(Sandbox::builder().lost_response_rate(0.5).seed(3)).await;
    let client = client_builder(&sb).max_retries(10).build().unwrap();
    for i in 0..60 {
        let new = NewCustomer::new(format!("ens_{i}"), format!("ens{i}@example.com"));
        let first = client.customers().ensure(new.clone()).await.unwrap();
        // When a lost response makes `created` ambiguous, it is decided from `createdAt`,
        // whose resolution is a millisecond: on loopback both calls can fit in one.
        tokio::time::sleep(Duration::from_millis(2)).await;
        let second = client.customers().ensure(new).await.unwrap();
        assert!(!second.created, "{i}: {first:?}\n{second:?}");
        assert_eq!(
            first.customer.external_customer_id,
            second.customer.external_customer_id
        );
    }
    assert_eq!(sb.state().customer_count(), 60);
}

#[tokio::test]
async fn retry_after_is_honoured_instead_of_the_backoff() {
    // One request per second: the second call is answered 429 with `Retry-After: 1`. A
    // backoff of 30 s or more would overrun the 10 s deadline, so success proves the client
    // waited for what the server asked rather than its own backoff.
    let sb = spawn(Sandbox::builder().rate_limit(1)).await;
    let client = client_builder(&sb)
        .backoff(Duration::from_secs(30), Duration::from_secs(60))
        .deadline(Duration::from_secs(10))
        .max_retries(3)
        .build()
        .unwrap();
    client
        .customers()
        .create(NewCustomer::new("rl1", "rl1@example.com"))
        .await
        .unwrap();
    let again = client.customers().get("rl1").await.unwrap();
    assert_eq!(again.external_customer_id, "rl1");
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    // Every request fails; with a long backoff the next wait would pass the deadline, so the
    // client gives up at once with the last error instead of sleeping.
    let sb = spawn(Sandbox::builder().fail_rate(1.0)).await;
    let client = client_builder(&sb)
        .backoff(Duration::from_secs(5), Duration::from_secs(5))
        .deadline(Duration::from_secs(1))
        .max_retries(10)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.customers().get("x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let sb = spawn(Sandbox::builder().latency(Duration::from_millis(500))).await;
    let client = client_builder(&sb)
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.customers().get("x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn on_retry_is_told_of_each_retried_attempt() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let sb = spawn(Sandbox::builder().fail_rate(1.0)).await;
    let retried = Arc::new(AtomicU32::new(0));
    let seen = retried.clone();
    let client = client_builder(&sb)
        .max_retries(3)
        .on_retry(move |e| {
            assert_eq!(e.kind(), ErrorKind::Server);
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let err = client.customers().get("nobody").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(
        retried.load(Ordering::SeqCst),
        3,
        "three retries, the last failure is returned"
    );
}
