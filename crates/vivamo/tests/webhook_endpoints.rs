//! Webhook endpoints through the SDK against the sandbox, and the sandbox's deliveries:
//! signed KYC events, retries on Vivamo's schedule, inactive and unsubscribed webhooks,
//! duplicates (409 and the duplicate-delivery fault), resend, loopback-only targets.

mod common;

use std::time::Duration;

use common::receiver::{receiver, Received};
use vivamo::{
    ErrorKind, KycType, NewCustomer, NewWebhook, WebhookEventType, WebhookStatus, WebhookUpdate,
};
use vivamo_sandbox::{KycUpdate, Sandbox, SandboxHandle};

/// Long enough for a loopback delivery, short enough to keep the suite quick.
const WAIT: Duration = Duration::from_secs(3);
/// Long enough to be sure nothing more comes.
const QUIET: Duration = Duration::from_millis(500);

async fn customer_under_review(client: &vivamo::Client, sandbox: &SandboxHandle, id: &str) {
    client
        .customers()
        .create(NewCustomer::new(id, format!("{id}@example.com")))
        .await
        .unwrap();
    sandbox
        .state()
        .set_kyc(sandbox.api_key(), id, &KycUpdate::new("under_review"))
        .unwrap();
}

async fn trigger(sandbox: &SandboxHandle, event_type: &str) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/webhooks/trigger", sandbox.base_url()))
        .bearer_auth(sandbox.api_key())
        .json(&serde_json::json!({ "eventType": event_type, "data": { "amount": "10.00" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn verify(received: &Received, secret: &str) {
    let signature = received.header("signature").expect("a signature header");
    assert_eq!(signature, signature.to_ascii_lowercase());
    vivamo::webhooks::verify(&received.body, signature, secret).expect("the signature verifies");
}

#[tokio::test]
async fn an_approval_delivers_one_signed_kyc_event() {
    let sandbox = Sandbox::builder().spawn().await.unwrap();
    let client = common::client(&sandbox);
    customer_under_review(&client, &sandbox, "kyc_1").await;
    let mut hooks = receiver(vec![]).await;
    let registered = client
        .webhooks()
        .register(NewWebhook::new(&hooks.url).header("x-pre-shared-key", "psk_1"))
        .await
        .unwrap();
    assert_eq!(registered.webhook.status, WebhookStatus::Active);
    assert!(format!("{registered:?}").contains("[redacted]"));

    client
        .customers()
        .approve_kyc("kyc_1", KycType::ProofOfId)
        .await
        .unwrap();
    let got = hooks.next(WAIT).await.expect("one delivery");
    verify(&got, registered.secret_key.expose());
    assert_eq!(got.header("x-pre-shared-key"), Some("psk_1"));
    assert_eq!(got.header("content-type"), Some("application/json"));
    let body = got.json();
    assert_eq!(body["eventType"], "kyc_verification");
    assert_eq!(body["externalCustomerId"], "kyc_1");
    assert_eq!(body["status"], "verified_manually");
    assert_eq!(got.body, body.to_string().into_bytes(), "compact JSON");
    assert!(hooks.all(QUIET).await.is_empty(), "exactly one event");
}

#[tokio::test]
async fn a_failing_receiver_gets_retries_one_and_two_units_apart() {
    let unit = Duration::from_millis(300);
    let sandbox = Sandbox::builder()
        .webhook_retry_unit(unit)
        .spawn()
        .await
        .unwrap();
    let client = common::client(&sandbox);
    let mut hooks = receiver(vec![500, 500]).await;
    let secret = client
        .webhooks()
        .register(NewWebhook::new(&hooks.url))
        .await
        .unwrap()
        .secret_key;
    trigger(&sandbox, "transaction").await;
    let attempts = hooks.all(unit * 3 + WAIT).await;
    assert_eq!(attempts.len(), 3, "500, 500, then 200: three attempts");
    for a in &attempts {
        verify(a, secret.expose());
        assert_eq!(a.body, attempts[0].body);
        assert_eq!(a.header("signature"), attempts[0].header("signature"));
    }
    let tolerance = Duration::from_millis(250);
    for (n, pair) in attempts.windows(2).enumerate() {
        let gap = pair[1].at - pair[0].at;
        let want = unit * (n as u32 + 1);
        assert!(
            gap + Duration::from_millis(20) >= want && gap <= want + tolerance,
            "retry {} came {gap:?} after the previous attempt, not {want:?}",
            n + 1
        );
    }
    let log = sandbox.state().webhook_deliveries();
    let delivery = &log[0];
    assert_eq!(delivery["state"], "delivered");
    let statuses: Vec<_> = delivery["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_u64())
        .collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
    assert_eq!(delivery["nextAttemptAt"], serde_json::Value::Null);
}

#[tokio::test]
async fn inactive_webhooks_and_unsubscribed_types_get_nothing() {
    let sandbox = Sandbox::builder().spawn().await.unwrap();
    let client = common::client(&sandbox);
    customer_under_review(&client, &sandbox, "kyc_2").await;
    let mut paused = receiver(vec![]).await;
    let mut payments = receiver(vec![]).await;
    let p = client
        .webhooks()
        .register(NewWebhook::new(&paused.url))
        .await
        .unwrap();
    let updated = client
        .webhooks()
        .update(
            &p.webhook.id,
            WebhookUpdate::new().status(WebhookStatus::Inactive),
        )
        .await
        .unwrap();
    assert_eq!(updated.status, WebhookStatus::Inactive);
    let t = client
        .webhooks()
        .register(NewWebhook::new(&payments.url))
        .await
        .unwrap();
    client
        .webhooks()
        .update(
            &t.webhook.id,
            WebhookUpdate::new().event_types([WebhookEventType::Transaction]),
        )
        .await
        .unwrap();

    client
        .customers()
        .reject_kyc("kyc_2", KycType::ProofOfId)
        .await
        .unwrap();
    trigger(&sandbox, "transaction").await;
    let got = payments.all(QUIET * 2).await;
    assert_eq!(got.len(), 1, "only the transaction event");
    assert_eq!(got[0].json()["transactionType"], "payment");
    assert!(
        paused.all(QUIET).await.is_empty(),
        "an inactive webhook gets nothing"
    );
}

#[tokio::test]
async fn a_duplicate_registration_is_the_typed_409() {
    let sandbox = Sandbox::builder().spawn().await.unwrap();
    let client = common::client(&sandbox);
    let url = "http://127.0.0.1:9/hooks";
    let first = client
        .webhooks()
        .register(NewWebhook::new(url))
        .await
        .unwrap();
    let err = client
        .webhooks()
        .register(NewWebhook::new(url))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.status(), Some(409));
    // Disjoint event types on the same URL are allowed; overlapping ones are not.
    client
        .webhooks()
        .update(
            &first.webhook.id,
            WebhookUpdate::new().event_types([WebhookEventType::Transaction]),
        )
        .await
        .unwrap();
    let second = client
        .webhooks()
        .register(NewWebhook::new("http://127.0.0.1:9/other"))
        .await
        .unwrap();
    let kyc_here = WebhookUpdate::new()
        .url(url)
        .event_types([WebhookEventType::KycVerification]);
    client
        .webhooks()
        .update(&second.webhook.id, kyc_here)
        .await
        .unwrap();
    let err = client
        .webhooks()
        .update(
            &second.webhook.id,
            WebhookUpdate::new().event_types([WebhookEventType::Transaction]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    // The list shows both, without secrets; delete removes one; an unknown id is 404.
    let listed = client.webhooks().list().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].event_types, [WebhookEventType::KycVerification]);
    client.webhooks().delete(&second.webhook.id).await.unwrap();
    assert_eq!(client.webhooks().list().await.unwrap().len(), 1);
    let err = client
        .webhooks()
        .delete(&second.webhook.id)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn the_duplicate_fault_delivers_each_event_twice_and_resend_once_more() {
    let sandbox = Sandbox::builder()
        .webhook_duplicate_rate(1.0)
        .spawn()
        .await
        .unwrap();
    let client = common::client(&sandbox);
    let mut hooks = receiver(vec![]).await;
    let secret = client
        .webhooks()
        .register(NewWebhook::new(&hooks.url))
        .await
        .unwrap()
        .secret_key;
    let triggered = trigger(&sandbox, "transaction").await;
    assert_eq!(triggered["deliveries"].as_array().unwrap().len(), 2);
    let got = hooks.all(QUIET * 2).await;
    assert_eq!(got.len(), 2, "twice");
    assert_eq!(got[0].body, got[1].body);
    verify(&got[1], secret.expose());

    let first = triggered["deliveries"][0].as_str().unwrap();
    let resent = reqwest::Client::new()
        .post(format!(
            "{}/__sandbox/webhooks/deliveries/{first}/resend",
            sandbox.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), 200);
    let again = hooks.next(WAIT).await.expect("the resent delivery");
    assert_eq!(again.body, got[0].body);
    assert_eq!(again.header("signature"), got[0].header("signature"));
}

#[tokio::test]
async fn only_loopback_targets_unless_allowed() {
    let sandbox = Sandbox::builder().spawn().await.unwrap();
    let client = common::client(&sandbox);
    client
        .webhooks()
        .register(NewWebhook::new("http://example.com/hooks"))
        .await
        .unwrap();
    trigger(&sandbox, "transaction").await;
    let mut failed = serde_json::Value::Null;
    for _ in 0..50 {
        failed = sandbox.state().webhook_deliveries()[0].clone();
        if failed["state"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(failed["state"], "failed");
    let attempts = failed["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "not retried");
    let error = attempts[0]["error"].as_str().unwrap();
    assert!(error.contains("--webhook-allow-any-host"), "{error}");
}
