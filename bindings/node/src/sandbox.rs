//! `Sandbox` of `vivamo/testing`: the Rust sandbox (`vivamo_sandbox`) served in-process on a
//! loopback port, on napi-rs's tokio runtime. Reset, seed and KYC control call the sandbox's
//! in-process API (`vivamo_sandbox::AppState`); `testing.js` wraps this class.

use std::sync::Mutex;
use std::time::Duration;

use napi::bindgen_prelude::AsyncBlock;
use napi::Env;
use napi_derive::napi;
use vivamo_sandbox::{AppState, ControlError, KycUpdate, Mode, SandboxHandle};

use crate::errors::{guard, Failure};
use crate::models::Customer;
use crate::options::whole;
use crate::promise::promise;

/// The options of `Sandbox.start`.
#[napi(object)]
pub struct SandboxOptions {
    /// `"test"` (the default) or `"production"`.
    pub mode: Option<String>,
    /// The accepted API keys, one operator each (default `["sk_test_vivamo_sandbox"]`).
    pub api_keys: Option<Vec<String>>,
    /// Probability (0..1) that a `/v1` request fails with 500.
    pub fail_rate: Option<f64>,
    /// Probability (0..1) that a write is applied and its response then lost.
    pub lost_response_rate: Option<f64>,
    /// Latency added to every `/v1` request, in milliseconds.
    pub latency_ms: Option<f64>,
    /// Requests per second allowed per key (the excess gets 429).
    pub rate_limit: Option<f64>,
    /// Seed of the fault-injection random generator.
    pub seed: Option<f64>,
    /// Vivamo retries a failed webhook delivery up to 5 times, the n-th retry n minutes after
    /// the attempt before; this replaces the minute, in milliseconds (tests).
    pub webhook_retry_unit_ms: Option<f64>,
    /// Probability (0..1) that an event is delivered twice, to test a receiver's
    /// de-duplication.
    pub webhook_duplicate_rate: Option<f64>,
}

/// The options of `sandbox.triggerWebhook`.
#[napi(object)]
pub struct TriggerOptions {
    /// The operator whose webhooks receive it (default: the first key).
    pub api_key: Option<String>,
}

/// The options of `sandbox.seed`.
#[napi(object)]
pub struct SeedOptions {
    /// Id prefix (default `"seed_"`).
    pub prefix: Option<String>,
    /// The operator's key (default: the first key).
    pub api_key: Option<String>,
}

/// The answer of `sandbox.seed`.
#[napi(object)]
pub struct SeedResult {
    /// How many customers were created.
    pub created: f64,
    /// How many customers the operator has now.
    pub total: f64,
    /// The first id created.
    pub first_external_customer_id: Option<String>,
    /// The last id created.
    pub last_external_customer_id: Option<String>,
}

/// The options of `sandbox.setKyc`.
#[napi(object)]
pub struct SetKycOptions {
    /// The verification type (default `"proof_of_id"`).
    #[napi(js_name = "type")]
    pub kind: Option<String>,
    /// `false` models a submission without documents (default `true`).
    pub attempted: Option<bool>,
    /// `true` makes a pending verification's client secret expire now.
    pub expire_secret: Option<bool>,
    /// The operator's key (default: the first key).
    pub api_key: Option<String>,
}

fn control_error(e: ControlError) -> napi::Error {
    napi::Error::from_reason(e.to_string())
}

fn rate(name: &str, value: Option<f64>) -> napi::Result<f64> {
    match value {
        None => Ok(0.0),
        Some(p) if (0.0..=1.0).contains(&p) => Ok(p),
        Some(p) => Err(Failure::config(format!("{name} must be between 0 and 1, got {p}")).into()),
    }
}

fn builder(options: SandboxOptions) -> napi::Result<vivamo_sandbox::SandboxBuilder> {
    let mode: Mode = options
        .mode
        .as_deref()
        .unwrap_or("test")
        .parse()
        .map_err(|e: vivamo_sandbox::Error| Failure::config(e.to_string()))?;
    let latency = whole("latencyMs", options.latency_ms.unwrap_or(0.0), 0.0)?;
    let per_second = whole("rateLimit", options.rate_limit.unwrap_or(0.0), 0.0)?;
    let mut builder = vivamo_sandbox::Sandbox::builder()
        .mode(mode)
        .fail_rate(rate("failRate", options.fail_rate)?)
        .lost_response_rate(rate("lostResponseRate", options.lost_response_rate)?)
        .webhook_duplicate_rate(rate(
            "webhookDuplicateRate",
            options.webhook_duplicate_rate,
        )?)
        .latency(Duration::from_millis(latency))
        .rate_limit(u32::try_from(per_second).unwrap_or(u32::MAX));
    for key in options.api_keys.unwrap_or_default() {
        builder = builder.api_key(key);
    }
    if let Some(seed) = options.seed {
        builder = builder.seed(whole("seed", seed, 0.0)?);
    }
    if let Some(unit) = options.webhook_retry_unit_ms {
        let unit = whole("webhookRetryUnitMs", unit, 1.0)?;
        builder = builder.webhook_retry_unit(Duration::from_millis(unit));
    }
    Ok(builder)
}

/// Starts a sandbox (`Sandbox.start` in `vivamo/testing`).
#[napi]
pub fn start_sandbox(
    env: Env,
    options: Option<SandboxOptions>,
) -> napi::Result<AsyncBlock<NativeSandbox>> {
    let builder = guard(|| builder(options.unwrap_or(SandboxOptions::empty())))?;
    promise(&env, async move {
        let handle = builder
            .spawn()
            .await
            .map_err(|e| napi::Error::from(Failure::config(e.to_string())))?;
        Ok(NativeSandbox {
            url: handle.base_url(),
            api_keys: handle.api_keys().to_vec(),
            mode: handle.mode(),
            state: handle.state().clone(),
            handle: Mutex::new(Some(handle)),
        })
    })
}

impl SandboxOptions {
    fn empty() -> SandboxOptions {
        SandboxOptions {
            mode: None,
            api_keys: None,
            fail_rate: None,
            lost_response_rate: None,
            latency_ms: None,
            rate_limit: None,
            seed: None,
            webhook_retry_unit_ms: None,
            webhook_duplicate_rate: None,
        }
    }
}

/// A running sandbox; `testing.js` wraps it as `Sandbox`.
#[napi]
pub struct NativeSandbox {
    handle: Mutex<Option<SandboxHandle>>,
    state: AppState,
    url: String,
    api_keys: Vec<String>,
    mode: Mode,
}

#[napi]
impl NativeSandbox {
    /// The base URL, e.g. `http://127.0.0.1:41234`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The first API key.
    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.api_keys[0].clone()
    }

    /// Every accepted API key, one operator each.
    #[napi(getter)]
    pub fn api_keys(&self) -> Vec<String> {
        self.api_keys.clone()
    }

    /// `"test"` or `"production"`.
    #[napi(getter)]
    pub fn mode(&self) -> String {
        self.mode.as_str().to_string()
    }

    /// Removes every customer of every operator; returns how many were removed.
    #[napi]
    pub fn reset(&self) -> u32 {
        u32::try_from(self.state.reset()).unwrap_or(u32::MAX)
    }

    /// Creates `count` valid customers for an operator.
    #[napi]
    pub fn seed(&self, count: f64, options: Option<SeedOptions>) -> napi::Result<SeedResult> {
        guard(|| {
            let count = whole("count", count, 0.0)?;
            let (prefix, key) = match options {
                Some(o) => (o.prefix, o.api_key),
                None => (None, None),
            };
            let seeded = self
                .state
                .seed(
                    key.as_deref().unwrap_or(&self.api_keys[0]),
                    count,
                    prefix.as_deref().unwrap_or("seed_"),
                )
                .map_err(control_error)?;
            Ok(SeedResult {
                created: seeded.created as f64,
                total: seeded.total as f64,
                first_external_customer_id: seeded.first_external_customer_id,
                last_external_customer_id: seeded.last_external_customer_id,
            })
        })
    }

    /// Sets the customer's latest KYC status of a type (or adds one); returns the customer.
    #[napi]
    pub fn set_kyc(
        &self,
        external_customer_id: String,
        status: String,
        options: Option<SetKycOptions>,
    ) -> napi::Result<Customer> {
        guard(|| {
            let mut update = KycUpdate::new(status);
            let mut key = None;
            if let Some(o) = options {
                if let Some(kind) = o.kind {
                    update.kind = kind;
                }
                update.attempted = o.attempted.unwrap_or(true);
                update.expire_secret = o.expire_secret.unwrap_or(false);
                key = o.api_key;
            }
            let value = self
                .state
                .set_kyc(
                    key.as_deref().unwrap_or(&self.api_keys[0]),
                    &external_customer_id,
                    &update,
                )
                .map_err(control_error)?;
            let customer: vivamo::Customer = serde_json::from_value(value)
                .map_err(|e| napi::Error::from_reason(e.to_string()))?;
            Ok(customer.into())
        })
    }

    /// Sends an event of `event_type` to the operator's active webhooks subscribed to it,
    /// `data` over the sandbox's example body; returns `{ eventId, eventType, body,
    /// deliveries }`. Deliveries are sent, and retried, in the background.
    #[napi(
        ts_return_type = "{ eventId: string; eventType: string; body: Record<string, unknown>; deliveries: string[] }"
    )]
    pub fn trigger_webhook(
        &self,
        event_type: String,
        #[napi(ts_arg_type = "Record<string, unknown>")] data: Option<serde_json::Value>,
        options: Option<TriggerOptions>,
    ) -> napi::Result<serde_json::Value> {
        guard(|| {
            let data = match data {
                None | Some(serde_json::Value::Null) => serde_json::Map::new(),
                Some(serde_json::Value::Object(map)) => map,
                Some(_) => {
                    return Err(Failure::config("data must be an object of body fields").into())
                }
            };
            let key = options.and_then(|o| o.api_key);
            self.state
                .trigger_webhook(
                    key.as_deref().unwrap_or(&self.api_keys[0]),
                    &event_type,
                    &data,
                )
                .map_err(control_error)
        })
    }

    /// Every webhook delivery so far, oldest first: event, webhook, body and `signature`, each
    /// attempt (time, status, latency, error), its state and next attempt.
    #[napi(ts_return_type = "Array<Record<string, any>>")]
    pub fn webhook_deliveries(&self) -> serde_json::Value {
        self.state.webhook_deliveries()
    }

    /// Sends a delivery's event again (same body and signature) as a new delivery.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn resend_webhook(&self, delivery_id: String) -> napi::Result<serde_json::Value> {
        guard(|| {
            self.state
                .resend_webhook(&delivery_id)
                .map_err(control_error)
        })
    }

    /// Stops the server (in-flight requests finish first); idempotent.
    #[napi]
    pub fn stop(&self, env: Env) -> napi::Result<AsyncBlock<()>> {
        let handle = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take();
        promise(&env, async move {
            if let Some(handle) = handle {
                handle.shutdown().await;
            }
            Ok(())
        })
    }
}
