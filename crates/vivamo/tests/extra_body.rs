//! Extra body fields (`.extra_field(name, value)`): JSON the SDK does not know yet, sent as
//! given on create and update, read back from the sandbox's request log (the bodies as they
//! arrived); retries and the exactly-once create send the same merged body.

mod common;

use common::{client, requests, sandbox, spawn};
use serde_json::{json, Value};
use vivamo::{CustomerUpdate, ErrorKind, NewCustomer, RequestOptions};
use vivamo_sandbox::{Mode, Sandbox};

/// The logged bodies of the requests to `method path`, oldest first.
async fn bodies(sb: &vivamo_sandbox::SandboxHandle, method: &str, path: &str) -> Vec<Value> {
    requests(sb)
        .await
        .into_iter()
        .filter(|r| r["method"] == method && r["path"] == path)
        .map(|r| r["body"].clone())
        .collect()
}

#[tokio::test]
async fn create_and_update_send_extra_fields_verbatim_inside_data() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    let created = client
        .customers()
        .create(NewCustomer::new("xb_1", "xb1@example.com").first_name("Jo"))
        .extra_field(
            "data",
            json!({"nickname": "Jojo", "preferences": {"sms": false, "channels": ["email", null]}}),
        )
        .extra_field("campaign", json!(42.5))
        .await
        .unwrap();
    assert_eq!(created.customer.external_customer_id, "xb_1");
    let sent = bodies(&sb, "POST", "/v1/customers").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["externalCustomerId"], "xb_1");
    // The SDK's own fields are still there, the extra ones beside them, as given.
    assert_eq!(sent[0]["data"]["email"], "xb1@example.com");
    assert_eq!(sent[0]["data"]["firstName"], "Jo");
    assert_eq!(sent[0]["data"]["nickname"], "Jojo");
    assert_eq!(
        sent[0]["data"]["preferences"],
        json!({"sms": false, "channels": ["email", null]})
    );
    assert_eq!(sent[0]["campaign"], json!(42.5));

    let updated = client
        .customers()
        .update("xb_1", CustomerUpdate::new().city("Boston"))
        .extra_field("data", json!({"nickname": "J"}))
        .extra_field("note", Value::Null)
        .await
        .unwrap();
    assert_eq!(updated.data.city.as_deref(), Some("Boston"));
    let sent = bodies(&sb, "PATCH", "/v1/customers/xb_1").await;
    assert_eq!(
        sent,
        vec![json!({"data": {"city": "Boston", "nickname": "J"}, "note": null})]
    );

    // Not validated by the SDK: a `null` the API refuses on update goes out as `null`, and
    // the API's answer is the error.
    let err = client
        .customers()
        .update("xb_1", CustomerUpdate::new().city("Austin"))
        .extra_field("data", json!({"lastName": null}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest);
    assert!(
        format!("{err:?}").contains("data.lastName must be a string"),
        "{err:?}"
    );
    let sent = bodies(&sb, "PATCH", "/v1/customers/xb_1").await;
    assert_eq!(
        sent[1],
        json!({"data": {"city": "Austin", "lastName": null}})
    );
}

#[tokio::test]
async fn client_extra_fields_merge_with_each_calls_and_a_later_value_wins() {
    let sb = sandbox(Mode::Test).await;
    let base = client(&sb);
    let tagged = base
        .with_options(
            RequestOptions::new().extra_field("data", json!({"source": "crm", "tier": "silver"})),
        )
        .unwrap();
    tagged
        .customers()
        .create(NewCustomer::new("xb_2", "xb2@example.com"))
        .extra_field("data", json!({"tier": "gold"}))
        .extra_field("data", json!({"email": "xb2@example.com"}))
        .await
        .unwrap();
    let sent = bodies(&sb, "POST", "/v1/customers").await;
    assert_eq!(
        sent[0]["data"],
        json!({"email": "xb2@example.com", "source": "crm", "tier": "gold"})
    );
    // The client they were derived from is unchanged.
    base.customers()
        .create(NewCustomer::new("xb_3", "xb3@example.com"))
        .await
        .unwrap();
    let sent = bodies(&sb, "POST", "/v1/customers").await;
    assert_eq!(sent[1]["data"], json!({"email": "xb3@example.com"}));
}

#[tokio::test]
async fn every_retry_of_a_create_sends_the_same_merged_body_and_reconciling_sends_none() {
    // Half the responses are lost after the create was applied: the SDK retries, finds the
    // customer there, and reconciles with a `get` of its own.
    let sb = spawn(Sandbox::builder().lost_response_rate(0.5).seed(3)).await;
    let client = common::client_builder(&sb).max_retries(10).build().unwrap();
    let mut retried = 0;
    for i in 0..8 {
        let id = format!("xb_lost_{i}");
        let created = client
            .customers()
            .create(NewCustomer::new(&id, format!("xb_lost_{i}@example.com")))
            .extra_field("data", json!({"nickname": format!("n{i}")}))
            .await
            .unwrap();
        assert_eq!(created.customer.external_customer_id, id);
        let posts: Vec<Value> = bodies(&sb, "POST", "/v1/customers")
            .await
            .into_iter()
            .filter(|b| b["externalCustomerId"] == id.as_str())
            .collect();
        assert!(!posts.is_empty());
        for body in &posts {
            assert_eq!(body, &posts[0], "{id}: every attempt sends the same body");
            assert_eq!(body["data"]["nickname"], format!("n{i}").as_str());
        }
        if posts.len() > 1 {
            retried += 1;
        }
        for body in bodies(&sb, "GET", &format!("/v1/customers/{id}")).await {
            assert_eq!(body, Value::Null, "{id}: the reconciling get has no body");
        }
    }
    assert!(
        retried > 0,
        "no create was retried: the test proved nothing"
    );
    assert_eq!(sb.state().customer_count(), 8);
}

#[tokio::test]
async fn ensure_reconciles_against_the_email_the_extra_fields_sent() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    client
        .customers()
        .create(NewCustomer::new("xb_4", "stored@example.com"))
        .await
        .unwrap();
    // The typed email is replaced on the wire: the stored customer is the one this call meant.
    let ensured = client
        .customers()
        .ensure(NewCustomer::new("xb_4", "typed@example.com"))
        .extra_field("data", json!({"email": "stored@example.com"}))
        .await
        .unwrap();
    assert!(!ensured.created);
    assert_eq!(ensured.customer.data.email, "stored@example.com");
    let sent = bodies(&sb, "POST", "/v1/customers").await;
    assert_eq!(sent[1]["data"]["email"], "stored@example.com");
    assert_eq!(
        bodies(&sb, "GET", "/v1/customers/xb_4").await,
        vec![Value::Null]
    );
    // Without the replacement it is the other email's conflict, as before.
    let err = client
        .customers()
        .ensure(NewCustomer::new("xb_4", "typed@example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CustomerAlreadyExists);
}

#[tokio::test]
async fn an_unknown_key_in_typed_data_names_the_key_and_the_extra_body_option() {
    // Rust's typed `NewCustomer` has no setter for an unknown key; data given as JSON (what
    // the bindings and the CLI read) is checked by the same rules.
    let violations = vivamo::rules::validate_value(
        &json!({"data": {"email": "jo@example.com", "nickname": "Jo"}}),
        vivamo::rules::Operation::Create,
        vivamo::rules::Environment::Sandbox,
        Some("xb_5"),
    )
    .unwrap_err();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].field, "data.nickname");
    let message = &violations[0].message;
    assert!(
        message.starts_with("unknown customer field \"nickname\""),
        "{message}"
    );
    assert!(message.contains("extra-body option"), "{message}");
    assert!(
        message.contains(r#".extra_field("data", json!({"nickname": …}))"#),
        "{message}"
    );
}

#[tokio::test]
async fn raw_requests_take_extra_fields_and_a_body_that_is_not_an_object_is_refused_unsent() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    let created = client
        .request(vivamo::Method::POST, "/v1/customers")
        .body(json!({"externalCustomerId": "xb_raw", "data": {"email": "xbraw@example.com"}}))
        .extra_field("data", json!({"nickname": "Raw"}))
        .await
        .unwrap();
    assert_eq!(created["externalCustomerId"], "xb_raw");
    let sent = bodies(&sb, "POST", "/v1/customers").await;
    assert_eq!(
        sent,
        vec![
            json!({"externalCustomerId": "xb_raw", "data": {"email": "xbraw@example.com", "nickname": "Raw"}})
        ]
    );

    let err = client
        .request(vivamo::Method::POST, "/v1/customers")
        .body(json!(["not", "an", "object"]))
        .extra_field("data", json!({"nickname": "Raw"}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("JSON object body"), "{err}");
    assert_eq!(
        bodies(&sb, "POST", "/v1/customers").await.len(),
        1,
        "nothing more was sent"
    );
}
