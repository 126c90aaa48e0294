//! What the generated client puts on the wire, observed by a tiny loopback listener.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Accepts one request, answers it with `body`, and returns the raw request head.
async fn one_shot_server(body: &'static str) -> (String, tokio::task::JoinHandle<String>) {
    raw_server("200 OK", "content-type: application/json\r\n", body).await
}

/// Accepts one request and answers it with the given status line, extra headers and body.
async fn raw_server(
    status: &'static str,
    headers: &'static str,
    body: &'static str,
) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "client closed before sending a full request head");
            head.extend_from_slice(&buf[..n]);
        }
        let response = format!(
            "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
        String::from_utf8(head).unwrap()
    });
    (url, task)
}

const CUSTOMER: &str = r#"{"externalCustomerId":"a/b c?d#e%f","data":{"email":"x@example.com"}}"#;

#[tokio::test]
async fn path_parameter_is_percent_encoded() {
    let (url, server) = one_shot_server(CUSTOMER).await;
    let http =
        vivamo_api::authenticated_http_client("sk_test_wire", reqwest::Client::builder()).unwrap();
    let client = vivamo_api::Client::new_with_client(&url, http);
    let customer = client
        .get_customer()
        .external_customer_id("a/b c?d#e%f")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(customer.external_customer_id, "a/b c?d#e%f");

    let head = server.await.unwrap();
    let request_line = head.lines().next().unwrap();
    assert_eq!(
        request_line,
        "GET /v1/customers/a%2Fb%20c%3Fd%23e%25f HTTP/1.1"
    );
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains("\r\nauthorization: bearer sk_test_wire\r\n"),
        "{head}"
    );
}

#[tokio::test]
async fn list_sends_page_and_size_as_query() {
    let (url, server) =
        one_shot_server(r#"{"customers":[],"total":0,"page":2,"limit":50,"totalPages":0}"#).await;
    let client = vivamo_api::Client::new(&url);
    let list = client
        .list_customers()
        .page(std::num::NonZeroU64::new(2).unwrap())
        .size(std::num::NonZeroU64::new(50).unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((list.page, list.limit), (2, 50));
    let head = server.await.unwrap();
    let request_line = head.lines().next().unwrap();
    assert!(
        request_line == "GET /v1/customers?page=2&size=50 HTTP/1.1"
            || request_line == "GET /v1/customers?size=50&page=2 HTTP/1.1",
        "{request_line}"
    );
}

#[test]
fn a_key_that_cannot_be_a_header_is_an_error_without_the_key() {
    let err = vivamo_api::authenticated_http_client("sk_bad\nkey", reqwest::Client::builder())
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("sk_bad"), "{shown}");
}

#[tokio::test]
async fn observe_keeps_status_and_request_id_of_an_undecodable_error() {
    let (url, server) = raw_server(
        "500 Internal Server Error",
        "content-type: text/html\r\nx-request-id: req_html_500\r\nretry-after: 3\r\n",
        "<html><body>upstream broke</body></html>",
    )
    .await;
    let client = vivamo_api::Client::new(&url);
    let (result, seen) =
        vivamo_api::observe(client.get_customer().external_customer_id("u1").send()).await;
    assert!(matches!(
        result,
        Err(vivamo_api::Error::InvalidResponsePayload(..))
    ));
    assert_eq!(seen.status, Some(500));
    assert_eq!(seen.request_id.as_deref(), Some("req_html_500"));
    assert_eq!(seen.retry_after.as_deref(), Some("3"));
    server.await.unwrap();
}

#[tokio::test]
async fn observe_with_sets_extra_headers_and_keeps_the_body() {
    let (url, server) = one_shot_server(CUSTOMER).await;
    let http =
        vivamo_api::authenticated_http_client("sk_test_wire", reqwest::Client::builder()).unwrap();
    let client = vivamo_api::Client::new_with_client(&url, http);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-trace-id", "trace_42".parse().unwrap());
    headers.insert("accept", "application/json; v=2".parse().unwrap());
    let extra = vivamo_api::Extra {
        headers,
        keep_request_body: true,
        ..Default::default()
    };
    let body = vivamo_api::types::UpdateCustomerRequest {
        data: vivamo_api::types::CustomerDataUpdate {
            city: Some("Boston".into()),
            ..Default::default()
        },
    };
    let (result, seen) = vivamo_api::observe_with(
        extra,
        client
            .update_customer()
            .external_customer_id("u1")
            .body(body)
            .send(),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    let head = server.await.unwrap().to_ascii_lowercase();
    assert!(head.contains("x-trace-id: trace_42"), "{head}");
    assert_eq!(head.matches("accept:").count(), 1, "{head}");
    assert!(head.contains("accept: application/json; v=2"), "{head}");
    assert_eq!(seen.method.as_deref(), Some("PATCH"));
    assert_eq!(seen.path.as_deref(), Some("/v1/customers/u1"));
    let sent = String::from_utf8(seen.request_body.unwrap()).unwrap();
    assert!(sent.contains("Boston"), "{sent}");
}

/// Accepts one request, answers it with `body`, and returns the whole request: its head and
/// its body (read to its `content-length`).
async fn body_server(body: &'static str) -> (String, tokio::task::JoinHandle<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        let (head, length) = loop {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "client closed before sending a full request head");
            raw.extend_from_slice(&buf[..n]);
            if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8(raw[..end + 4].to_vec()).unwrap();
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                raw.drain(..end + 4);
                break (head, length);
            }
        };
        while raw.len() < length {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "client closed before sending the whole body");
            raw.extend_from_slice(&buf[..n]);
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
        (head, String::from_utf8(raw).unwrap())
    });
    (url, task)
}

fn fields(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().unwrap().clone()
}

#[tokio::test]
async fn extra_body_fields_are_merged_into_the_json_body_and_kept_as_sent() {
    let (url, server) = body_server(CUSTOMER).await;
    let client = vivamo_api::Client::new(&url);
    let extra = vivamo_api::Extra {
        body: Some(fields(serde_json::json!({
            "data": {"nickname": "Jo", "city": null},
            "note": {"n": 1.5, "list": [1, "two"]}
        }))),
        keep_request_body: true,
        ..Default::default()
    };
    let body = vivamo_api::types::UpdateCustomerRequest {
        data: vivamo_api::types::CustomerDataUpdate {
            city: Some("Boston".into()),
            email: Some("x@example.com".into()),
            ..Default::default()
        },
    };
    let (result, seen) = vivamo_api::observe_with(
        extra,
        client
            .update_customer()
            .external_customer_id("u1")
            .body(body)
            .send(),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    let (head, sent) = server.await.unwrap();
    let sent_json: serde_json::Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(
        sent_json,
        serde_json::json!({
            "data": {"email": "x@example.com", "nickname": "Jo", "city": null},
            "note": {"n": 1.5, "list": [1, "two"]}
        })
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    // The kept copy is what went on the wire.
    assert_eq!(seen.request_body.unwrap(), sent.into_bytes());
}

#[tokio::test]
async fn a_request_without_a_body_gets_the_extra_fields_as_its_json_body() {
    let (url, server) = body_server(CUSTOMER).await;
    let client = vivamo_api::Client::new(&url);
    let extra = vivamo_api::Extra {
        body: Some(fields(serde_json::json!({"probe": true}))),
        ..Default::default()
    };
    let (result, _) = vivamo_api::observe_with(
        extra,
        client.get_customer().external_customer_id("u1").send(),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    let (head, sent) = server.await.unwrap();
    assert!(head.starts_with("GET /v1/customers/u1 "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    assert_eq!(sent, r#"{"probe":true}"#);
}

#[tokio::test]
async fn extra_fields_for_a_body_that_is_not_an_object_fail_before_sending() {
    // Nothing listens here: the request must fail before it is sent.
    let client = vivamo_api::Client::new("http://127.0.0.1:9");
    let extra = vivamo_api::Extra {
        body: Some(fields(serde_json::json!({"probe": true}))),
        ..Default::default()
    };
    let array = serde_json::json!([1, 2]);
    let (result, seen) = vivamo_api::observe_with(
        extra,
        vivamo_api::send_raw(
            &client,
            reqwest::Method::POST,
            "/v1/things",
            &[],
            Some(&array),
        ),
    )
    .await;
    match result {
        Err(vivamo_api::Error::InvalidRequest(message)) => assert!(
            message.contains("JSON object body") && message.contains("an array"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(seen.status, None);
}
