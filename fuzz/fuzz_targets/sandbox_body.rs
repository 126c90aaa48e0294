//! The sandbox's request-body parsing, through its real router in process: any body under
//! any content type to each endpoint that reads one gets an answer, never a panic or a 5xx;
//! every answer is JSON; a 4xx names what is wrong in `message`; a customer the sandbox
//! says it created can be read back.
//!
//! Input: one byte choosing the endpoint, one the content type, then the body. (Not
//! `/__sandbox/seed`: a valid body asks for up to a million customers, which is a test of
//! time, not of parsing.)
#![no_main]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;
use vivamo_sandbox::{router, AppState, Config, DEFAULT_API_KEY};

const CONTENT_TYPES: [&str; 5] = [
    "application/json",
    "application/json; charset=utf-8",
    "application/merge-patch+json",
    "text/plain",
    "",
];

/// Sends one request; returns the status and the body as JSON (asserting it is JSON).
async fn send(
    app: &axum::Router,
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {DEFAULT_API_KEY}"));
    if !content_type.is_empty() {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    let request = request.body(Body::from(body)).expect("a valid request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("an in-memory body")
        .to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{status}: not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, json)
}

fuzz_target!(
    // The phone metadata (libphonenumber's, parsed on first use) loads before the clock of
    // the first input starts: instrumented and on a busy machine it takes longer than
    // libFuzzer's per-input timeout, once.
    init: {
        vivamo_rules::check_phone("+14155552671", vivamo_rules::Environment::Sandbox);
    },
    |data: &[u8]| {
    let [endpoint, content_type, body @ ..] = data else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(*content_type) % CONTENT_TYPES.len()];
    let (method, path) = match endpoint % 4 {
        0 => (Method::POST, "/v1/customers"),
        1 => (Method::PATCH, "/v1/customers/existing"),
        2 => (Method::POST, "/v1/customers/existing/kyc-verify/IDENTITY"),
        _ => (Method::POST, "/__sandbox/customers/existing/kyc"),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let app = router(AppState::new(Config::default()).expect("the default config is valid"));
        let existing = br#"{"externalCustomerId":"existing","data":{"email":"demo@vivamo.co"}}"#;
        let (status, _) = send(
            &app,
            Method::POST,
            "/v1/customers",
            "application/json",
            existing.to_vec(),
        )
        .await;
        assert!(status.is_success(), "{status}");

        let (status, json) = send(&app, method.clone(), path, content_type, body.to_vec()).await;
        assert!(
            !status.is_server_error(),
            "{method} {path}: {status} {json}"
        );
        if status.is_client_error() {
            let message = json["message"].as_str().unwrap_or_default();
            assert!(
                !message.is_empty(),
                "{method} {path}: {status} without a message: {json}"
            );
        }
        if method == Method::POST && path == "/v1/customers" && status.is_success() {
            let id = json["externalCustomerId"]
                .as_str()
                .expect("a created customer has an id");
            let encoded: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
            let (status, stored) = send(
                &app,
                Method::GET,
                &format!("/v1/customers/{}", encoded.replace('+', "%20")),
                "",
                Vec::new(),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{id:?}: {stored}");
            assert_eq!(stored["externalCustomerId"].as_str(), Some(id));
        }
    });
});
