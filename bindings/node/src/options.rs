//! The options that cross the boundary: the client's (`new Vivamo(options)`) and each
//! call's (the last argument of every method), and the number checks they share.

use std::collections::HashMap;
use std::time::Duration;

use napi_derive::napi;
use serde_json::Value;

use crate::errors::{js_error, Failure};

/// The SDK's options of one call.
pub(crate) fn call_options(
    options: Option<RequestOptions>,
) -> napi::Result<vivamo::RequestOptions> {
    options.map_or_else(|| Ok(vivamo::RequestOptions::new()), TryInto::try_into)
}

/// A duration option in milliseconds: a finite number above zero.
pub(crate) fn millis(name: &str, value: Option<f64>) -> napi::Result<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(Duration::from_secs_f64(ms / 1000.0))),
        Some(ms) => Err(Failure::config(format!(
            "{name} must be a number of milliseconds above 0, got {ms}"
        ))
        .into()),
    }
}

/// A whole number option, at least `min`.
pub(crate) fn whole(name: &str, value: f64, min: f64) -> napi::Result<u64> {
    if value.is_finite() && value.fract() == 0.0 && value >= min && value <= 2f64.powi(53) {
        Ok(value as u64)
    } else {
        Err(Failure::new(
            if name == "maxRetries" {
                "config"
            } else {
                "validation"
            },
            format!("{name} must be a whole number of at least {min}, got {value}"),
        )
        .into())
    }
}

/// Per-call options (the last argument of every method, and `vivamo.withOptions(options)`);
/// `signal` is handled by `index.js`.
#[napi(object)]
#[derive(Default)]
pub struct RequestOptions {
    /// Time allowed for one attempt, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Time allowed for the whole call, retries included, in milliseconds.
    pub deadline_ms: Option<f64>,
    /// How many times a failed attempt is retried (`0`: never).
    pub max_retries: Option<f64>,
    /// Extra headers (not `Authorization`, `Content-Type` or `User-Agent`).
    pub headers: Option<HashMap<String, String>>,
    /// JSON fields sent in the request body as given, not validated (`{ data: { nickname:
    /// 'Jo' } }` adds `nickname` inside `data`); an object.
    pub extra_body: Option<Value>,
}

impl TryFrom<RequestOptions> for vivamo::RequestOptions {
    type Error = napi::Error;

    fn try_from(o: RequestOptions) -> napi::Result<Self> {
        let mut options = vivamo::RequestOptions::new();
        if let Some(timeout) = millis("timeoutMs", o.timeout_ms)? {
            options = options.timeout(timeout);
        }
        if let Some(deadline) = millis("deadlineMs", o.deadline_ms)? {
            options = options.deadline(deadline);
        }
        if let Some(retries) = o.max_retries {
            let retries = whole("maxRetries", retries, 0.0)?;
            options = options.max_retries(u32::try_from(retries).unwrap_or(u32::MAX));
        }
        for (name, value) in o.headers.unwrap_or_default() {
            options = options.header(name, value);
        }
        if let Some(fields) = o.extra_body {
            options = options
                .extra_body_value("extraBody", fields)
                .map_err(js_error)?;
        }
        Ok(options)
    }
}

/// Options of `new Vivamo(options)`; every one is optional.
#[napi(object)]
#[derive(Default)]
pub struct VivamoOptions {
    /// The secret API key; default `process.env.VIVAMO_API_KEY`.
    pub api_key: Option<String>,
    /// `production` (the default) or `sandbox`: the base URL, the rules and the default
    /// validation.
    pub environment: Option<String>,
    /// Overrides the environment's base URL (`https://`, or `http://` to a loopback address).
    pub base_url: Option<String>,
    /// Time allowed for one attempt, in milliseconds (default 30000).
    pub timeout_ms: Option<f64>,
    /// Time allowed for a whole call, retries included, in milliseconds (default 60000).
    pub deadline_ms: Option<f64>,
    /// How many times a failed attempt is retried (default 2).
    pub max_retries: Option<f64>,
    /// `strict` (default in production), `warn` (default in the sandbox) or `off`.
    pub validation: Option<String>,
    /// A proxy URL (`http://user:password@host:port`); default `HTTPS_PROXY` / `HTTP_PROXY`
    /// (with `NO_PROXY`).
    pub proxy: Option<String>,
    /// A PEM file of extra root certificates.
    pub ca_bundle: Option<String>,
    /// The most idle connections kept per host.
    pub max_idle_connections: Option<f64>,
    /// How much is logged through `logger`: `debug`, `info`, `warn` (the default, else
    /// `process.env.VIVAMO_LOG`), `error` or `off`.
    pub log_level: Option<String>,
    /// The application using the SDK, named in the `User-Agent`.
    pub app_info: Option<AppInfo>,
    /// Whether HTTP/2 is used where the server offers it (default `true`).
    pub http2: Option<bool>,
    /// The retry waits: the first, and the cap of the exponential backoff.
    pub backoff: Option<Backoff>,
}

/// The retry waits (default 500 ms, doubling up to 8000 ms).
#[napi(object)]
pub struct Backoff {
    /// The first wait, in milliseconds.
    pub initial_ms: f64,
    /// The longest wait, in milliseconds.
    pub max_ms: f64,
}

/// The application using the SDK, appended to the `User-Agent` as `name/version (+url)`
/// (Stripe's `appInfo`).
#[napi(object)]
pub struct AppInfo {
    /// Its name (letters, digits and `-_.`, as in a package name).
    pub name: String,
    /// Its version (`1.4.2`).
    pub version: Option<String>,
    /// Where to learn about it (`https://acme.example`).
    pub url: Option<String>,
}

impl From<AppInfo> for vivamo::AppInfo {
    fn from(a: AppInfo) -> Self {
        let mut info = vivamo::AppInfo::new(a.name);
        if let Some(version) = a.version {
            info = info.version(version);
        }
        if let Some(url) = a.url {
            info = info.url(url);
        }
        info
    }
}
