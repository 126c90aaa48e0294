//! KYC through the SDK against the sandbox: kyc_info, kyc_for_review, approve_kyc,
//! reject_kyc, every refusal as a typed error, and decisions under lost responses.

mod common;

use common::{client, sandbox, spawn};
use serde_json::json;
use vivamo::{ErrorKind, KycStatus, KycType, NewCustomer};
use vivamo_sandbox::{Mode, Sandbox, SandboxHandle};

/// Moves the customer's verification to `status` with the sandbox's control route.
async fn force(sb: &SandboxHandle, id: &str, body: serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/__sandbox/customers/{id}/kyc", sb.base_url()))
        .bearer_auth(sb.api_key())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{:?}", r.text().await);
}

#[tokio::test]
async fn kyc_info_starts_a_verification_with_a_redacted_secret() {
    let sb = sandbox(Mode::Test).await;
    let vivamo = client(&sb);
    vivamo
        .customers()
        .create(NewCustomer::new("ann", "ann@example.com"))
        .await
        .unwrap();
    let info = vivamo.customers().kyc_info("ann").await.unwrap();
    assert_eq!(info.external_customer_id, "ann");
    let v = info.verification.expect("a verification is started");
    assert_eq!(
        (v.kind.clone(), v.status.clone()),
        (KycType::ProofOfId, KycStatus::Pending)
    );
    let secret = v
        .client_secret_key
        .clone()
        .expect("pending carries a secret");
    assert!(secret.expose().starts_with("cs_ki_"));
    assert!(
        !format!("{v:?}").contains(secret.expose()),
        "Debug redacts the secret"
    );
    assert!(v.links.unwrap().url.unwrap().starts_with("https://"));

    force(&sb, "ann", json!({"status": "verified"})).await;
    let v = vivamo
        .customers()
        .kyc_info("ann")
        .await
        .unwrap()
        .verification
        .unwrap();
    assert_eq!(v.status, KycStatus::Verified);
    assert!(v.client_secret_key.is_none() && v.links.is_none());
}

#[tokio::test]
async fn review_queue_then_approve_and_reject() {
    let sb = sandbox(Mode::Test).await;
    let vivamo = client(&sb);
    for id in ["a", "b", "c"] {
        vivamo
            .customers()
            .create(NewCustomer::new(id, format!("{id}@example.com")))
            .await
            .unwrap();
    }
    assert!(vivamo
        .customers()
        .kyc_for_review()
        .await
        .unwrap()
        .is_empty());
    force(&sb, "c", json!({"status": "under_review"})).await;
    force(&sb, "a", json!({"status": "under_review"})).await;
    let queue = vivamo.customers().kyc_for_review().await.unwrap();
    let ids: Vec<_> = queue
        .iter()
        .map(|c| c.external_customer_id.as_str())
        .collect();
    assert_eq!(ids, ["a", "c"]);
    assert_eq!(
        queue[0].kyc_verifications[0].status,
        Some(KycStatus::UnderReview)
    );

    let message = vivamo
        .customers()
        .approve_kyc("a", KycType::ProofOfId)
        .await
        .unwrap();
    assert!(!message.is_empty());
    vivamo
        .customers()
        .reject_kyc("c", KycType::ProofOfId)
        .await
        .unwrap();
    let status = |id: &'static str| {
        let vivamo = vivamo.clone();
        async move {
            vivamo
                .customers()
                .kyc_info(id)
                .await
                .unwrap()
                .verification
                .unwrap()
                .status
        }
    };
    assert_eq!(status("a").await, KycStatus::VerifiedManually);
    assert_eq!(status("c").await, KycStatus::RejectedManually);
    assert!(vivamo
        .customers()
        .kyc_for_review()
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn refusals_are_typed_errors() {
    let sb = sandbox(Mode::Test).await;
    let vivamo = client(&sb);
    let customers = vivamo.customers();
    customers
        .create(NewCustomer::new("dan", "dan@example.com"))
        .await
        .unwrap();

    let e = customers
        .approve_kyc("dan", KycType::ProofOfId)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::KycNotUnderReview, Some(400)),
        "{e}"
    );
    assert!(e.to_string().contains("under review"), "{e}");

    force(
        &sb,
        "dan",
        json!({"status": "under_review", "attempted": false}),
    )
    .await;
    let e = customers
        .approve_kyc("dan", KycType::ProofOfId)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::KycNotAttempted, "{e}");
    assert!(e.message().contains("reject it or wait"), "{e}");

    let e = customers
        .reject_kyc("dan", KycType::Other("selfie".into()))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest, "{e}");
    assert_eq!(e.message(), "Validation failed", "{e}");
    assert_eq!(
        e.errors()[0]["isEnum"],
        "type must be one of the following values: proof_of_id"
    );
    assert!(e.to_string().contains("proof_of_id"), "{e}");

    let e = customers
        .reject_kyc("dan", KycType::Other(String::new()))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    assert_eq!(e.violations()[0].field, "type");

    for e in [
        customers.kyc_info("nobody").await.unwrap_err(),
        customers
            .approve_kyc("nobody", KycType::ProofOfId)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    }
    assert_eq!(
        customers.kyc_info(" ").await.unwrap_err().kind(),
        ErrorKind::Validation
    );

    // The refused approval left it under review: a rejection goes through.
    customers
        .reject_kyc("dan", KycType::ProofOfId)
        .await
        .unwrap();
}

#[tokio::test]
async fn status_is_the_same_for_every_operator() {
    let sb = spawn(Sandbox::builder().api_key("sk_a").api_key("sk_b")).await;
    let with_key = |key: &str| common::client_builder(&sb).api_key(key).build().unwrap();
    let (a, b) = (with_key("sk_a"), with_key("sk_b"));
    a.customers()
        .create(NewCustomer::new("a_1", "shared@example.com"))
        .await
        .unwrap();
    b.customers()
        .create(NewCustomer::new("b_1", "shared@example.com"))
        .await
        .unwrap();
    assert_eq!(
        a.customers()
            .kyc_info("a_1")
            .await
            .unwrap()
            .verification
            .unwrap()
            .status,
        KycStatus::Pending
    );
    let r = reqwest::Client::new()
        .post(format!("{}/__sandbox/customers/b_1/kyc", sb.base_url()))
        .bearer_auth("sk_b")
        .json(&json!({"status": "under_review"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(
        a.customers().kyc_for_review().await.unwrap()[0].external_customer_id,
        "a_1"
    );
    a.customers()
        .approve_kyc("a_1", KycType::ProofOfId)
        .await
        .unwrap();
    let seen_by_b = b
        .customers()
        .kyc_info("b_1")
        .await
        .unwrap()
        .verification
        .unwrap();
    assert_eq!(seen_by_b.status, KycStatus::VerifiedManually);
}

#[tokio::test]
async fn a_decision_whose_response_is_lost_still_succeeds_once() {
    let sb = spawn(Sandbox::builder().lost_response_rate(0.5).seed(11)).await;
    let vivamo = common::client_builder(&sb).max_retries(10).build().unwrap();
    for i in 0..12 {
        let id = format!("lost_{i}");
        vivamo
            .customers()
            .ensure(NewCustomer::new(&id, format!("lost{i}@example.com")))
            .await
            .unwrap();
        force(&sb, &id, json!({"status": "under_review"})).await;
        let approve = i % 2 == 0;
        let decided = if approve {
            vivamo
                .customers()
                .approve_kyc(&id, KycType::ProofOfId)
                .await
        } else {
            vivamo.customers().reject_kyc(&id, KycType::ProofOfId).await
        };
        decided.unwrap_or_else(|e| panic!("{id}: {e}"));
        let status = vivamo
            .customers()
            .kyc_info(&id)
            .await
            .unwrap()
            .verification
            .unwrap()
            .status;
        let wanted = if approve {
            KycStatus::VerifiedManually
        } else {
            KycStatus::RejectedManually
        };
        assert_eq!(status, wanted, "{id}");
    }
}
