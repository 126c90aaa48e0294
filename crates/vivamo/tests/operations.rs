//! Every operation and every error kind, over HTTP against the in-process sandbox.

mod common;

use common::{client, client_builder, sandbox, spawn};
use vivamo::{Client, CustomerUpdate, Environment, ErrorKind, KycStatus, NewCustomer, Validation};
use vivamo_sandbox::{Mode, Sandbox};

#[tokio::test]
async fn create_get_update_list_round_trip() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    let customers = client.customers();

    let created = customers
        .create(
            NewCustomer::new(" user_1 ", " Jane@Example.com ")
                .phone("(415) 555-2671")
                .first_name("Jane")
                .country("us")
                .state("ny")
                .zip("10001"),
        )
        .await
        .unwrap();
    let c = &created.customer;
    assert_eq!(c.external_customer_id, "user_1");
    assert_eq!(c.data.email, "Jane@example.com");
    assert_eq!(c.data.phone.as_deref(), Some("+14155552671"));
    assert_eq!(c.data.country.as_deref(), Some("US"));
    assert_eq!(c.data.state.as_deref(), Some("NY"));
    assert!(c.created_at.is_some());
    assert!(created.warnings.is_empty(), "{:?}", created.warnings);
    assert_eq!(created.verification_links, None);

    let fetched = customers.get("user_1").await.unwrap();
    assert_eq!(&fetched, c);

    let updated = customers
        .update(
            "user_1",
            CustomerUpdate::new()
                .city("Boston")
                .state("MA")
                .zip("02108"),
        )
        .await
        .unwrap();
    assert_eq!(updated.data.city.as_deref(), Some("Boston"));
    assert_eq!(updated.data.first_name.as_deref(), Some("Jane"));

    customers
        .create(NewCustomer::new("user_2", "john@example.com"))
        .await
        .unwrap();
    let page = customers.list().page(1).size(1).send().await.unwrap();
    assert_eq!(
        (page.total, page.page, page.limit, page.total_pages),
        (2, 1, 1, 2)
    );
    assert_eq!(page.customers[0].external_customer_id, "user_1");
    let past_end = customers.list().page(5).size(1).send().await.unwrap();
    assert!(past_end.customers.is_empty());
    assert_eq!(past_end.total, 2);
}

#[tokio::test]
async fn verify_after_creation_returns_links_and_pending_kyc() {
    let sb = sandbox(Mode::Test).await;
    let created = client(&sb)
        .customers()
        .create(NewCustomer::new("kyc_1", "kyc@example.com").verify_after_creation(true))
        .await
        .unwrap();
    let links = created.verification_links.expect("links");
    assert!(links.verification_link.is_some());
    assert!(links.passport_verification_link.is_some());
    assert!(links.drivers_license_verification_link.is_some());
    let kyc = &created.customer.kyc_verifications[0];
    assert_eq!(kyc.status, Some(KycStatus::Pending));
    assert_eq!(kyc.verification_type.as_deref(), Some("proof_of_id"));
}

#[tokio::test]
async fn unknown_kyc_status_from_the_server_decodes() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    client
        .customers()
        .create(NewCustomer::new("kyc_2", "kyc2@example.com"))
        .await
        .unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/customers/kyc_2/kyc", sb.base_url()))
        .bearer_auth(sb.api_key())
        .json(&serde_json::json!({"status": "escalated"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let customer = client.customers().get("kyc_2").await.unwrap();
    assert_eq!(
        customer.kyc_verifications.last().unwrap().status,
        Some(KycStatus::Other("escalated".into()))
    );
}

#[tokio::test]
async fn sandbox_warnings_are_reported() {
    let sb = sandbox(Mode::Test).await;
    let created = client(&sb)
        .customers()
        .create(NewCustomer::new("w1", "someone+tag@mailinator.com").phone("+15551234567"))
        .await
        .unwrap();
    let text = created.warnings.join("\n");
    assert!(text.contains("data.email"), "{text}");
    assert!(text.contains("data.phone"), "{text}");
    // ...and the sandbox's own warning travels along.
    assert!(created.warnings.len() >= 4, "{:?}", created.warnings);
}

#[tokio::test]
async fn strict_validation_sends_nothing_and_lists_every_violation() {
    let sb = sandbox(Mode::Production).await;
    let client = client(&sb);
    assert_eq!(client.validation(), Validation::Strict);
    let err = client
        .customers()
        .create(
            NewCustomer::new("", "not-an-email")
                .phone("12")
                .country("ZZ"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let mut fields: Vec<_> = err.violations().iter().map(|v| v.field.as_str()).collect();
    fields.sort();
    // The country format only warns: Vivamo documents it, not a refusal.
    assert_eq!(fields, ["data.email", "data.phone", "externalCustomerId"]);
    assert!(err.to_string().contains("data.email"), "{err}");
    assert_eq!(sb.state().customer_count(), 0);
}

#[tokio::test]
async fn every_server_error_kind() {
    let sb = sandbox(Mode::Production).await;
    let client = client_builder(&sb)
        .validation(Validation::Off)
        .max_retries(0)
        .build()
        .unwrap();
    let customers = client.customers();
    customers
        .create(NewCustomer::new("dup", "dup@example.com"))
        .await
        .unwrap();

    let cases = [
        (
            NewCustomer::new("dup", "other@example.com"),
            ErrorKind::CustomerAlreadyExists,
        ),
        (
            NewCustomer::new("dup2", "dup@example.com"),
            ErrorKind::EmailAlreadyInUse,
        ),
        (
            NewCustomer::new("d3", "x@mailinator.com"),
            ErrorKind::EmailDomainNotSupported,
        ),
        (
            NewCustomer::new("d4", "phone@example.com").phone("+18005550199"),
            ErrorKind::PhoneNotMobile,
        ),
        (NewCustomer::new("d5", "bad@example"), ErrorKind::BadRequest),
    ];
    for (customer, kind) in cases {
        let err = customers.create(customer).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        assert_eq!(err.status(), Some(400));
        assert!(err.request_id().is_some(), "{err:?}");
        assert!(!err.is_retryable());
    }

    let err = customers.get("nobody").await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::NotFound, Some(404)));
    assert!(err.to_string().contains("HTTP 404"), "{err}");
    let err = customers
        .update("nobody", CustomerUpdate::new().city("X"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);

    let stranger = client_builder(&sb).api_key("sk_wrong_key").build().unwrap();
    let err = stranger.customers().get("dup").await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::PermissionDenied, Some(403))
    );
    assert!(!format!("{err} {err:?}").contains("sk_wrong_key"));

    let err = customers.get(" ").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let err = customers.list().page(0).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn server_rate_limit_and_transport_error_kinds() {
    let failing = spawn(Sandbox::builder().fail_rate(1.0).seed(7)).await;
    let err = client_builder(&failing)
        .max_retries(1)
        .build()
        .unwrap()
        .customers()
        .get("x")
        .await
        .unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Server, Some(500)));
    assert!(err.is_retryable());

    let limited = spawn(Sandbox::builder().rate_limit(1)).await;
    let client = client_builder(&limited).max_retries(0).build().unwrap();
    let mut kinds = Vec::new();
    for _ in 0..3 {
        if let Err(e) = client.customers().get("x").await {
            kinds.push((e.kind(), e.retry_after().is_some()));
        }
    }
    assert!(kinds.contains(&(ErrorKind::RateLimited, true)), "{kinds:?}");

    // Nothing listens on this port once the listener is dropped.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Client::builder()
        .api_key("sk_test")
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap()
        .customers()
        .get("x")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
}

#[tokio::test]
async fn ensure_creates_once_then_returns_the_existing_customer() {
    let sb = sandbox(Mode::Test).await;
    let customers_client = client(&sb);
    let customers = customers_client.customers();
    let first = customers
        .ensure(NewCustomer::new("e1", "e1@example.com"))
        .await
        .unwrap();
    assert!(first.created);
    let again = customers
        .ensure(NewCustomer::new("e1", "E1@example.com"))
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.customer, first.customer);
    let err = customers
        .ensure(NewCustomer::new("e1", "someone-else@example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CustomerAlreadyExists);
    assert_eq!(sb.state().customer_count(), 1);
}

#[tokio::test]
async fn client_configuration_errors_are_clear() {
    let plain = Client::builder()
        .api_key("sk_test")
        .base_url("http://api.example.com")
        .build()
        .unwrap_err();
    assert_eq!(plain.kind(), ErrorKind::Config);
    assert!(plain.to_string().contains("plain HTTP"), "{plain}");

    let bad_key = Client::builder().api_key("sk_te\nst").build().unwrap_err();
    assert_eq!(bad_key.kind(), ErrorKind::Config);
    assert!(!bad_key.to_string().contains("sk_te"), "{bad_key}");

    let publishable = Client::builder()
        .api_key("pk_live_123")
        .build()
        .unwrap_err();
    assert!(
        publishable.to_string().contains("publishable"),
        "{publishable}"
    );

    let client = Client::builder()
        .api_key("sk_live_very_secret")
        .environment(Environment::Sandbox)
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("very_secret"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    assert_eq!(client.validation(), Validation::Warn);
    assert_eq!(client.base_url(), vivamo::SANDBOX_URL);
}

#[tokio::test]
async fn thirty_two_tasks_share_one_client() {
    let sb = sandbox(Mode::Test).await;
    let client = client(&sb);
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let id = format!("task_{i}");
                client
                    .customers()
                    .create(NewCustomer::new(&id, format!("task{i}@example.com")))
                    .await
                    .unwrap();
                for _ in 0..5 {
                    let c = client.customers().get(&id).await.unwrap();
                    assert_eq!(c.external_customer_id, id);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(sb.state().customer_count(), 32);
}
