//! The documented response examples decode into the generated types, requests serialize
//! without absent optional fields, and responses from a newer API still decode.

use std::path::PathBuf;

use vivamo_api::types::{
    CreateCustomerRequest, CreateCustomerResponse, Customer, CustomerData, CustomerDataUpdate,
    CustomerList, ErrorResponse, UpdateCustomerRequest,
};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/api")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn decode<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name} does not decode: {e}"))
}

#[test]
fn create_response_example_decodes() {
    let created: CreateCustomerResponse = decode("create-customer-response.json");
    assert_eq!(created.external_customer_id, "user_123");
    assert_eq!(created.data.email, "demo@vivamo.co");
    assert_eq!(created.data.phone.as_deref(), Some("+15551234567"));
    assert_eq!(created.data.street2.as_deref(), Some("Suite 42"));
    assert_eq!(created.kyc_verifications.len(), 1);
    assert_eq!(
        created.kyc_verifications[0].status.as_deref(),
        Some("pending")
    );
    assert_eq!(
        created.verification_link.as_deref(),
        Some("https://verify.vivamo.co/v/abc123")
    );
    assert!(created.passport_verification_link.is_some());
    assert!(created.drivers_license_verification_link.is_some());
    assert_eq!(created.warning, None);
    assert_eq!(created.verification_link_error, None);
}

#[test]
fn get_response_example_decodes() {
    let customer: Customer = decode("get-customer-response.json");
    assert_eq!(customer.external_customer_id, "demo-user");
    assert_eq!(customer.data.country.as_deref(), Some("US"));
    let created = customer.created_at.expect("createdAt");
    assert_eq!(created.to_rfc3339(), "2025-06-05T04:57:11.151+00:00");
}

#[test]
fn list_response_example_decodes() {
    let list: CustomerList = decode("list-customers-response.json");
    assert_eq!(
        (list.total, list.page, list.limit, list.total_pages),
        (29, 1, 10, 3)
    );
    assert_eq!(list.customers.len(), 1);
    assert_eq!(
        list.customers[0].kyc_verifications[0].status.as_deref(),
        Some("under_review")
    );
}

#[test]
fn customer_object_example_decodes_with_every_kyc_record() {
    let customer: Customer = decode("customer-object.json");
    let statuses: Vec<_> = customer
        .kyc_verifications
        .iter()
        .map(|k| k.status.as_deref().unwrap())
        .collect();
    assert_eq!(statuses, ["pending", "verified_manually"]);
}

#[test]
fn unknown_kyc_values_and_extra_fields_decode() {
    let customer: Customer = decode("customer-forward-compatible.json");
    assert_eq!(customer.data.email, "future@example.com");
    assert_eq!(customer.data.phone, None);
    let kyc = &customer.kyc_verifications[0];
    assert_eq!(kyc.status.as_deref(), Some("escalated"));
    assert_eq!(kyc.type_.as_deref(), Some("proof_of_address"));
}

#[test]
fn error_body_decodes() {
    let error: ErrorResponse = decode("error-response.json");
    assert_eq!(error.message, "Validation failed");
    assert_eq!(
        error.errors[0].get("isEmail").map(String::as_str),
        Some("data.email must be an email")
    );
    let bare: ErrorResponse = serde_json::from_str(r#"{"message":"Forbidden"}"#).unwrap();
    assert!(bare.errors.is_empty());
}

/// Only the email set (through the generated builder: every optional field starts absent, a
/// field added to the spec included).
fn minimal_data(email: &str) -> CustomerData {
    CustomerData::builder()
        .email(email)
        .try_into()
        .expect("an email is all CustomerData requires")
}

#[test]
fn minimal_create_request_has_no_absent_optional_fields() {
    let request = CreateCustomerRequest {
        external_customer_id: "user_123".to_string(),
        verify_after_creation: false,
        data: minimal_data("demo@vivamo.co"),
    };
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "externalCustomerId": "user_123",
            "verifyAfterCreation": false,
            "data": {"email": "demo@vivamo.co"}
        })
    );
    let text = serde_json::to_string(&request).unwrap();
    assert!(!text.contains("null"), "{text}");
}

#[test]
fn update_request_carries_only_the_fields_given() {
    let request = UpdateCustomerRequest {
        data: CustomerDataUpdate {
            city: Some("Boston".into()),
            ..Default::default()
        },
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"data": {"city": "Boston"}})
    );
}
