//! The inspector page's server side: the embedded files with a strict CSP, the live event
//! stream, the fault settings changed at run time, and the page's own routes.

use std::time::Duration;

use serde_json::json;
use vivamo_sandbox::Sandbox;

#[tokio::test]
async fn the_page_is_small_and_served_with_a_strict_csp() {
    let sb = Sandbox::builder().spawn().await.unwrap();
    let c = reqwest::Client::new();
    for (path, kind) in [
        ("/__sandbox/", "text/html"),
        ("/__sandbox/inspector.js", "text/javascript"),
        ("/__sandbox/inspector.css", "text/css"),
    ] {
        let r = c
            .get(format!("{}{path}", sb.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert!(h["content-type"].to_str().unwrap().starts_with(kind));
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        let body = r.text().await.unwrap();
        assert!(
            !body.contains("innerHTML"),
            "{path} must not build markup from data"
        );
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{path}: nothing from another origin"
        );
    }
}

#[tokio::test]
async fn changes_are_streamed_and_faults_change_at_run_time() {
    let sb = Sandbox::builder().spawn().await.unwrap();
    let c = reqwest::Client::new();
    let events = c
        .get(format!("{}/__sandbox/events", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut events = events;

    let set = c
        .post(format!("{}/__sandbox/faults", sb.base_url()))
        .json(&json!({ "failRate": 1.0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let settings: serde_json::Value = set.json().await.unwrap();
    assert_eq!(settings["failRate"], 1.0);
    assert_eq!(settings["latencyMs"], 0);
    let got = tokio::time::timeout(Duration::from_secs(2), events.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&got).contains("event: faults"),
        "{got:?}"
    );

    let r = c
        .get(format!("{}/v1/customers", sb.base_url()))
        .bearer_auth(sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let log: serde_json::Value = c
        .get(format!("{}/__sandbox/requests", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let last = log["requests"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["status"].as_u64(), last["fault"].as_str()),
        (Some(500), Some("fail_rate"))
    );

    let bad = c
        .post(format!("{}/__sandbox/faults", sb.base_url()))
        .json(&json!({ "failRate": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(sb.state().faults().fail_rate, 1.0);
}

#[tokio::test]
async fn the_page_moves_and_decides_kyc_by_operator() {
    let sb = Sandbox::builder()
        .api_key("sk_a")
        .api_key("sk_b")
        .spawn()
        .await
        .unwrap();
    sb.state().seed("sk_b", 1, "b_").unwrap();
    let c = reqwest::Client::new();
    let action = |body: serde_json::Value| {
        c.post(format!(
            "{}/__sandbox/inspector/customers/1/b_0/kyc",
            sb.base_url()
        ))
        .json(&body)
        .send()
    };
    assert_eq!(
        action(json!({"status": "under_review"}))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        action(json!({"decision": "approve"}))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        action(json!({"decision": "approve"}))
            .await
            .unwrap()
            .status(),
        400
    );
    let all: serde_json::Value = c
        .get(format!("{}/__sandbox/inspector/customers", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let customer = &all["customers"][0];
    assert_eq!(customer["operator"], 1);
    assert_eq!(
        customer["kycVerifications"][0]["status"],
        "verified_manually"
    );
}
