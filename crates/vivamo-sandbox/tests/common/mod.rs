//! Helpers shared by the integration tests: plain HTTP calls over loopback.
#![allow(dead_code)]

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use vivamo_sandbox::SandboxHandle;

/// A decoded response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    /// The keys of the `errors` entries.
    pub fn error_keys(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .flat_map(|e| e.as_object().unwrap().keys().cloned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// Sends `method path` with an optional bearer key and JSON body; the body must be JSON.
pub async fn call(
    client: &reqwest::Client,
    sb: &SandboxHandle,
    key: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Resp {
    try_call(client, sb, key, method, path, body)
        .await
        .expect("request failed")
}

/// Like [`call`], but a transport error is returned instead of panicking.
pub async fn try_call(
    client: &reqwest::Client,
    sb: &SandboxHandle,
    key: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Resp, reqwest::Error> {
    let mut req = client.request(method, format!("{}{}", sb.base_url(), path));
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await?;
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("non-JSON body ({e}) for status {status}: {text:?}"));
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// Sends a raw body with the given content type (or none).
pub async fn raw(
    client: &reqwest::Client,
    sb: &SandboxHandle,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: &'static str,
) -> Resp {
    let mut req = client
        .request(method, format!("{}{}", sb.base_url(), path))
        .bearer_auth(sb.api_key())
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("non-JSON body ({e}) for status {status}: {text:?}"));
    Resp {
        status,
        headers,
        body,
    }
}

/// `POST /v1/customers` with the first key.
pub async fn create(client: &reqwest::Client, sb: &SandboxHandle, body: Value) -> Resp {
    call(
        client,
        sb,
        Some(sb.api_key()),
        Method::POST,
        "/v1/customers",
        Some(body),
    )
    .await
}

/// `GET path` with the first key.
pub async fn get(client: &reqwest::Client, sb: &SandboxHandle, path: &str) -> Resp {
    call(client, sb, Some(sb.api_key()), Method::GET, path, None).await
}

/// Checks the `2025-06-05T04:57:11.151Z` shape.
pub fn assert_timestamp(s: &str) {
    let b = s.as_bytes();
    assert_eq!(b.len(), 24, "timestamp {s}");
    assert_eq!(b[4], b'-');
    assert_eq!(b[10], b'T');
    assert_eq!(b[19], b'.');
    assert_eq!(b[23], b'Z');
    assert!(b[20..23].iter().all(u8::is_ascii_digit), "timestamp {s}");
}
