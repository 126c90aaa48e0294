//! Shared helpers: an in-process sandbox and a client pointed at it.
#![allow(dead_code)]

pub mod proxy;
pub mod receiver;
pub mod tls;

use std::time::Duration;

use vivamo::{Client, ClientBuilder, Environment};
use vivamo_sandbox::{Mode, Sandbox, SandboxBuilder, SandboxHandle};

pub async fn sandbox(mode: Mode) -> SandboxHandle {
    Sandbox::builder()
        .mode(mode)
        .spawn()
        .await
        .expect("sandbox starts")
}

pub async fn spawn(builder: SandboxBuilder) -> SandboxHandle {
    builder.spawn().await.expect("sandbox starts")
}

/// A client for `sandbox`, in the environment matching its mode, with fast retries.
pub fn client_builder(sandbox: &SandboxHandle) -> ClientBuilder {
    let environment = match sandbox.mode() {
        Mode::Production => Environment::Production,
        _ => Environment::Sandbox,
    };
    Client::builder()
        .api_key(sandbox.api_key())
        .environment(environment)
        .base_url(sandbox.base_url())
        .backoff(Duration::from_millis(1), Duration::from_millis(20))
}

pub fn client(sandbox: &SandboxHandle) -> Client {
    client_builder(sandbox).build().expect("client builds")
}

/// Clears every customer of the sandbox (control route).
pub async fn reset(sandbox: &SandboxHandle) {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/reset", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
}

/// Creates `count` valid customers through the seed control route.
pub async fn seed(sandbox: &SandboxHandle, count: usize) {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/seed", sandbox.base_url()))
        .bearer_auth(sandbox.api_key())
        .json(&serde_json::json!({ "count": count }))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{:?}",
        response.text().await
    );
}

/// The sandbox's log of the last `/v1` requests (control route).
pub async fn requests(sandbox: &SandboxHandle) -> Vec<serde_json::Value> {
    let log: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/__sandbox/requests", sandbox.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log["requests"].as_array().unwrap().clone()
}

/// Makes the sandbox add `fields` to every customer it returns (control route).
pub async fn extra_fields(sandbox: &SandboxHandle, fields: serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/extra-fields", sandbox.base_url()))
        .json(&serde_json::json!({ "fields": fields }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
}
