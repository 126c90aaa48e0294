//! Fault injection: fail rate (reproducible from the seed), lost responses, latency and the
//! rate limit, on `/v1` only.

mod common;

use std::time::{Duration, Instant};

use common::{call, client, create, get, try_call};
use reqwest::Method;
use serde_json::json;
use vivamo_sandbox::Sandbox;

async fn statuses(seed: u64, n: usize) -> Vec<u16> {
    let sb = Sandbox::builder()
        .seed(seed)
        .fail_rate(0.5)
        .spawn()
        .await
        .unwrap();
    let c = client();
    let mut out = Vec::new();
    for _ in 0..n {
        let r = get(&c, &sb, "/v1/customers").await;
        if r.status == 500 {
            assert_eq!(r.message(), "Internal server error");
        }
        out.push(r.status);
    }
    out
}

#[tokio::test]
async fn fail_rate_is_reproducible_from_the_seed() {
    let a = statuses(42, 40).await;
    let b = statuses(42, 40).await;
    let other = statuses(43, 40).await;
    assert_eq!(a, b, "same seed, same sequence");
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
    assert_ne!(a, other, "another seed, another sequence");
}

#[tokio::test]
async fn faults_never_touch_control_routes() {
    let sb = Sandbox::builder()
        .fail_rate(1.0)
        .latency(Duration::from_secs(2))
        .rate_limit(1)
        .spawn()
        .await
        .unwrap();
    let c = client();
    let started = Instant::now();
    for _ in 0..5 {
        let r = call(&c, &sb, None, Method::GET, "/__sandbox/health", None).await;
        assert_eq!(r.status, 200);
    }
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::POST,
        "/__sandbox/seed",
        Some(json!({"count": 3})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    let r = get(&c, &sb, "/v1/customers").await;
    assert_eq!(r.status, 500);
}

#[tokio::test]
async fn lost_responses_are_applied_writes() {
    let sb = Sandbox::builder()
        .seed(7)
        .lost_response_rate(1.0)
        .spawn()
        .await
        .unwrap();
    let c = client();
    let (mut dropped, mut server_errors) = (0, 0);
    for i in 0..24 {
        let body = json!({"externalCustomerId": format!("lost{i}"), "data": {"email": format!("lost{i}@example.com")}});
        match try_call(
            &c,
            &sb,
            Some(sb.api_key()),
            Method::POST,
            "/v1/customers",
            Some(body),
        )
        .await
        {
            Err(_) => dropped += 1,
            Ok(r) => {
                assert_eq!(r.status, 500, "{:?}", r.body);
                assert_eq!(r.message(), "Internal server error");
                server_errors += 1;
            }
        }
        // The write was applied although the client saw an error; reads are unaffected.
        let g = get(&c, &sb, &format!("/v1/customers/lost{i}")).await;
        assert_eq!(g.status, 200);
        assert_eq!(g.body["data"]["email"], format!("lost{i}@example.com"));
    }
    assert!(
        dropped > 0 && server_errors > 0,
        "dropped {dropped}, 500s {server_errors}"
    );

    // Updates are writes too.
    let r = try_call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/lost0",
        Some(json!({"data": {"city": "Lima"}})),
    )
    .await;
    assert!(r.map(|r| r.status == 500).unwrap_or(true));
    assert_eq!(
        get(&c, &sb, "/v1/customers/lost0").await.body["data"]["city"],
        "Lima"
    );
}

#[tokio::test]
async fn latency_is_added_to_v1_requests() {
    let sb = Sandbox::builder()
        .latency(Duration::from_millis(300))
        .spawn()
        .await
        .unwrap();
    let c = client();
    let started = Instant::now();
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "slow", "data": {"email": "slow@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(get(&c, &sb, "/v1/customers/slow").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sb = Sandbox::builder()
        .api_key("sk_a")
        .api_key("sk_b")
        .rate_limit(3)
        .spawn()
        .await
        .unwrap();
    let c = client();
    let mut codes = Vec::new();
    for _ in 0..20 {
        let r = call(&c, &sb, Some("sk_a"), Method::GET, "/v1/customers", None).await;
        if r.status == 429 {
            assert_eq!(r.headers["retry-after"], "1");
            assert_eq!(r.message(), "Too many requests");
        }
        codes.push(r.status);
    }
    assert_eq!(&codes[..3], &[200, 200, 200]);
    assert!(
        codes.iter().filter(|s| **s == 429).count() >= 10,
        "{codes:?}"
    );
    // The limit is per key.
    let r = call(&c, &sb, Some("sk_b"), Method::GET, "/v1/customers", None).await;
    assert_eq!(r.status, 200);
    // And the bucket refills.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = call(&c, &sb, Some("sk_a"), Method::GET, "/v1/customers", None).await;
    assert_eq!(r.status, 200);
}
