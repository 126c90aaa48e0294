//! The KYC lifecycle over HTTP on loopback: kyc-info (start, secret refresh, other statuses),
//! the review queue, manual decisions and their refusals, cross-operator status and routing.

mod common;

use common::{assert_timestamp, call, client, create, get};
use reqwest::Method;
use serde_json::{json, Value};
use vivamo_sandbox::{Sandbox, SandboxHandle};

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().spawn().await.unwrap()
}

async fn new_customer(c: &reqwest::Client, sb: &SandboxHandle, id: &str) {
    let r = create(
        c,
        sb,
        json!({"externalCustomerId": id, "data": {"email": format!("{id}@example.com")}}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

async fn force(c: &reqwest::Client, sb: &SandboxHandle, id: &str, body: Value) {
    let path = format!("/__sandbox/customers/{id}/kyc");
    let r = call(c, sb, Some(sb.api_key()), Method::POST, &path, Some(body)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

async fn verify(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    id: &str,
    ty: &str,
    body: Value,
) -> common::Resp {
    let path = format!("/v1/customers/{id}/kyc-verify/{ty}");
    call(c, sb, Some(sb.api_key()), Method::POST, &path, Some(body)).await
}

#[tokio::test]
async fn kyc_info_starts_a_pending_verification_then_keeps_it() {
    let sb = sandbox().await;
    let c = client();
    new_customer(&c, &sb, "ann").await;
    let r = get(&c, &sb, "/v1/customers/ann/kyc-info").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["externalCustomerId"], "ann");
    let v = &r.body["kycVerification"];
    assert_eq!(v["type"], "proof_of_id");
    assert_eq!(v["status"], "pending");
    assert_timestamp(v["verifiedAt"].as_str().unwrap());
    let secret = v["clientSecretKey"].as_str().unwrap().to_string();
    assert!(
        secret.starts_with("cs_ki_") && secret.len() > 20,
        "{secret}"
    );
    for link in [
        "url",
        "driversLicenseVerificationUrl",
        "passportVerificationUrl",
    ] {
        assert!(
            v["data"][link].as_str().unwrap().starts_with("https://"),
            "{link}"
        );
    }
    // A valid secret is answered again; the customer's history holds one record.
    let again = get(&c, &sb, "/v1/customers/ann/kyc-info").await;
    assert_eq!(
        again.body["kycVerification"]["clientSecretKey"],
        secret.as_str()
    );
    let customer = get(&c, &sb, "/v1/customers/ann").await;
    let history = customer.body["kycVerifications"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["status"], "pending");
    assert!(
        history[0].get("clientSecretKey").is_none(),
        "no secret in the customer record"
    );
}

#[tokio::test]
async fn an_expired_secret_is_replaced_on_the_next_call() {
    let sb = sandbox().await;
    let c = client();
    new_customer(&c, &sb, "ben").await;
    let first = get(&c, &sb, "/v1/customers/ben/kyc-info").await.body["kycVerification"].clone();
    force(
        &c,
        &sb,
        "ben",
        json!({"status": "pending", "expireSecret": true}),
    )
    .await;
    let second = get(&c, &sb, "/v1/customers/ben/kyc-info").await.body["kycVerification"].clone();
    assert_eq!(second["status"], "pending");
    assert_ne!(second["clientSecretKey"], first["clientSecretKey"]);
    assert_ne!(second["data"]["url"], first["data"]["url"]);
    assert!(second["clientSecretKey"]
        .as_str()
        .unwrap()
        .starts_with("cs_ki_"));
}

#[tokio::test]
async fn other_statuses_answer_type_status_and_verified_at_only() {
    let sb = sandbox().await;
    let c = client();
    new_customer(&c, &sb, "cat").await;
    for status in [
        "verified",
        "under_review",
        "rejected",
        "expired",
        "verified_manually",
        "rejected_manually",
    ] {
        force(&c, &sb, "cat", json!({"status": status})).await;
        let r = get(&c, &sb, "/v1/customers/cat/kyc-info").await;
        let v = r.body["kycVerification"].as_object().unwrap();
        let mut keys: Vec<&str> = v.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["status", "type", "verifiedAt"], "{status}");
        assert_eq!(v["status"], status);
    }
}

#[tokio::test]
async fn review_queue_approve_and_reject() {
    let sb = sandbox().await;
    let c = client();
    for id in ["q1", "q2", "q3", "q4"] {
        new_customer(&c, &sb, id).await;
    }
    let r = get(&c, &sb, "/v1/customers/kyc-for-review").await;
    assert_eq!((r.status, r.body.clone()), (200, json!([])));
    force(&c, &sb, "q3", json!({"status": "under_review"})).await;
    force(&c, &sb, "q1", json!({"status": "under_review"})).await;
    force(&c, &sb, "q2", json!({"status": "verified"})).await;
    let r = get(&c, &sb, "/v1/customers/kyc-for-review").await;
    let ids: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["externalCustomerId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["q1", "q3"], "creation order, under_review only");
    assert_eq!(
        r.body[0]["data"]["email"], "q1@example.com",
        "full Customer records"
    );

    let r = verify(&c, &sb, "q1", "proof_of_id", json!({"verify": true})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(!r.message().is_empty());
    let r = verify(&c, &sb, "q3", "proof_of_id", json!({"verify": false})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let info = |id: &'static str| {
        let (c, sb) = (&c, &sb);
        async move {
            get(c, sb, &format!("/v1/customers/{id}/kyc-info"))
                .await
                .body["kycVerification"]["status"]
                .clone()
        }
    };
    assert_eq!(info("q1").await, "verified_manually");
    assert_eq!(info("q3").await, "rejected_manually");
    assert_eq!(
        get(&c, &sb, "/v1/customers/kyc-for-review").await.body,
        json!([])
    );
}

#[tokio::test]
async fn refused_decisions_are_400s_that_say_what_to_do() {
    let sb = sandbox().await;
    let c = client();
    new_customer(&c, &sb, "dan").await;
    // No verification yet, then a pending one: not under review.
    for _ in 0..2 {
        let r = verify(&c, &sb, "dan", "proof_of_id", json!({"verify": false})).await;
        assert_eq!(r.status, 400, "{:?}", r.body);
        assert!(r.message().contains("not under review"), "{}", r.message());
        // A business refusal: `message` alone.
        assert!(r.body.get("errors").is_none(), "{:?}", r.body);
        get(&c, &sb, "/v1/customers/dan/kyc-info").await;
    }
    // Under review without documents: approval refused, rejection allowed.
    force(
        &c,
        &sb,
        "dan",
        json!({"status": "under_review", "attempted": false}),
    )
    .await;
    let r = verify(&c, &sb, "dan", "proof_of_id", json!({"verify": true})).await;
    assert_eq!(r.status, 400);
    assert!(
        r.message().contains("not attempted document verification"),
        "{}",
        r.message()
    );
    assert!(r.body.get("errors").is_none(), "{:?}", r.body);
    // Unknown type, missing and non-boolean verify, unknown customer.
    let r = verify(&c, &sb, "dan", "selfie", json!({"verify": true})).await;
    // The type is a path parameter with one allowed value: a failed validation.
    assert_eq!(
        (r.status, r.body.clone()),
        (
            400,
            json!({"message": "Validation failed", "errors": [
                {"isEnum": "type must be one of the following values: proof_of_id"}
            ]})
        )
    );
    let r = verify(&c, &sb, "dan", "proof_of_id", json!({})).await;
    assert_eq!(
        (r.status, r.error_keys()),
        (400, vec!["isNotEmpty".to_string()])
    );
    let r = verify(&c, &sb, "dan", "proof_of_id", json!({"verify": "yes"})).await;
    assert_eq!(
        (r.status, r.error_keys()),
        (400, vec!["isBoolean".to_string()])
    );
    let r = verify(&c, &sb, "nobody", "proof_of_id", json!({"verify": true})).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        get(&c, &sb, "/v1/customers/nobody/kyc-info").await.status,
        404
    );
    // Still under review after all that: the rejection goes through.
    let r = verify(&c, &sb, "dan", "proof_of_id", json!({"verify": false})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[tokio::test]
async fn status_is_shared_by_every_operator_of_a_profile() {
    let sb = Sandbox::builder()
        .api_key("sk_a")
        .api_key("sk_b")
        .spawn()
        .await
        .unwrap();
    let c = client();
    let body =
        |id: &str| json!({"externalCustomerId": id, "data": {"email": "shared@example.com"}});
    let a = call(
        &c,
        &sb,
        Some("sk_a"),
        Method::POST,
        "/v1/customers",
        Some(body("a_1")),
    )
    .await;
    assert_eq!(a.status, 200);
    let b = call(
        &c,
        &sb,
        Some("sk_b"),
        Method::POST,
        "/v1/customers",
        Some(body("b_1")),
    )
    .await;
    assert_eq!(b.status, 200);
    let r = call(
        &c,
        &sb,
        Some("sk_a"),
        Method::POST,
        "/__sandbox/customers/a_1/kyc",
        Some(json!({"status": "under_review"})),
    )
    .await;
    assert_eq!(r.status, 200);
    let queue_b = call(
        &c,
        &sb,
        Some("sk_b"),
        Method::GET,
        "/v1/customers/kyc-for-review",
        None,
    )
    .await;
    assert_eq!(queue_b.body[0]["externalCustomerId"], "b_1");
    let r = call(
        &c,
        &sb,
        Some("sk_b"),
        Method::POST,
        "/v1/customers/b_1/kyc-verify/proof_of_id",
        Some(json!({"verify": true})),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let info_a = call(
        &c,
        &sb,
        Some("sk_a"),
        Method::GET,
        "/v1/customers/a_1/kyc-info",
        None,
    )
    .await;
    assert_eq!(
        info_a.body["kycVerification"]["status"],
        "verified_manually"
    );
    assert_eq!(info_a.body["externalCustomerId"], "a_1");
}

#[tokio::test]
async fn kyc_for_review_routes_before_customer_ids() {
    let sb = sandbox().await;
    let c = client();
    // Even a customer named `kyc-for-review` cannot shadow the queue.
    new_customer(&c, &sb, "kyc-for-review").await;
    let r = get(&c, &sb, "/v1/customers/kyc-for-review").await;
    assert_eq!((r.status, r.body.clone()), (200, json!([])));
    let r = get(&c, &sb, "/v1/customers/kyc-for-review/kyc-info").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["externalCustomerId"], "kyc-for-review");
    let r = call(
        &c,
        &sb,
        None,
        Method::GET,
        "/v1/customers/kyc-for-review",
        None,
    )
    .await;
    assert_eq!(r.status, 403);
}
