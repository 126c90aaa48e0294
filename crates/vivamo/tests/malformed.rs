//! Malformed responses from a raw TCP server become typed errors, never panics.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vivamo::{Client, ErrorKind};

/// Serves `response` (raw bytes, written as is) to every connection.
async fn raw_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = socket.write_all(&response).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nx-request-id: req_raw\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

async fn get_from(response: Vec<u8>) -> vivamo::Error {
    let url = raw_server(response).await;
    let client = Client::builder()
        .api_key("sk_test")
        .base_url(url)
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    client.customers().get("u1").await.unwrap_err()
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let err = get_from(http(
        "200 OK",
        "application/json",
        br#"{"externalCustomerId": "u1", "da"#,
    ))
    .await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.request_id(), Some("req_raw"));
}

#[tokio::test]
async fn wrong_types_are_a_decode_error() {
    let err = get_from(http(
        "200 OK",
        "application/json",
        br#"{"externalCustomerId": 12, "data": {"email": ["x"]}}"#,
    ))
    .await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn an_html_502_is_a_server_error() {
    let err = get_from(http(
        "502 Bad Gateway",
        "text/html",
        b"<html><h1>502 Bad Gateway</h1></html>",
    ))
    .await;
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Server, Some(502)),
        "{err}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn an_html_500_keeps_its_status() {
    let err = get_from(http(
        "500 Internal Server Error",
        "text/html",
        b"<html>oops</html>",
    ))
    .await;
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Server, Some(500)),
        "{err}"
    );
    assert_eq!(err.request_id(), Some("req_raw"));
}

#[tokio::test]
async fn a_ten_megabyte_body_is_a_decode_error() {
    let mut body = br#"{"externalCustomerId": "u1", "data": {"email": ""#.to_vec();
    body.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    let err = get_from(http("200 OK", "application/json", &body)).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(
        err.to_string().len() < 1000,
        "the error does not echo the body"
    );
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error() {
    let err = get_from(http("200 OK", "application/json", b"")).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_connection_error() {
    let mut response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"externalCustomerId\"".to_vec();
    response.truncate(response.len());
    let err = get_from(response).await;
    assert!(
        matches!(err.kind(), ErrorKind::Connection | ErrorKind::Decode),
        "{err}"
    );
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_connection_error() {
    let err = get_from(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()).await;
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
}
