//! The native client: one `vivamo::Client` per `Vivamo` instance, its settings, and the
//! cursor behind `customers.listAll` (the operations' methods are generated from openapi.yaml
//! into `crate::generated_methods`).

use std::sync::Arc;

use futures::stream::BoxStream;
use futures::{FutureExt, StreamExt};
use napi::bindgen_prelude::{AsyncBlock, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;

use crate::errors::{guard, js_error, Failure};
use crate::hooks::{HookFn, Hooks, RequestEvent, ResponseEvent, RetryEvent};
use crate::models::{Customer, ListAllOptions};
use crate::options::{call_options, millis, whole, RequestOptions, VivamoOptions};
use crate::promise::promise;

/// The native half of `Vivamo`; `index.js` wraps it (use `new Vivamo(options)`).
#[napi]
pub struct NativeVivamo {
    pub(crate) client: vivamo::Client,
}

/// `index.js`'s `([level, message]) => logger[level](message)` (the pair arrives as one array), callable from any thread; weak,
/// so it never keeps the process alive.
pub type LogFn =
    ThreadsafeFunction<(String, String), Unknown<'static>, (String, String), Status, false, true>;

fn build(options: VivamoOptions, log: Option<LogFn>, hooks: Hooks) -> napi::Result<vivamo::Client> {
    let mut builder = vivamo::Client::builder().user_agent(format!(
        "vivamo-node/{} (vivamo-rust/{})",
        env!("CARGO_PKG_VERSION"),
        vivamo::VERSION
    ));
    if let Some(key) = options.api_key {
        builder = builder.api_key(key);
    }
    if let Some(name) = options.environment {
        let environment = name.parse::<vivamo::Environment>().map_err(|_| {
            Failure::config(format!(
                "environment {name:?} is not an environment: use \"production\" or \"sandbox\""
            ))
        })?;
        builder = builder.environment(environment);
    }
    if let Some(url) = options.base_url {
        builder = builder.base_url(url);
    }
    if let Some(timeout) = millis("timeoutMs", options.timeout_ms)? {
        builder = builder.timeout(timeout);
    }
    if let Some(deadline) = millis("deadlineMs", options.deadline_ms)? {
        builder = builder.deadline(deadline);
    }
    if let Some(retries) = options.max_retries {
        let retries = whole("maxRetries", retries, 0.0)?;
        builder = builder.max_retries(u32::try_from(retries).unwrap_or(u32::MAX));
    }
    if let Some(validation) = options.validation {
        builder = builder.validation(validation.parse().map_err(js_error)?);
    }
    if let Some(proxy) = options.proxy {
        builder = builder.proxy(proxy);
    }
    if let Some(path) = options.ca_bundle {
        builder = builder.ca_bundle(path);
    }
    if let Some(level) = options.log_level {
        builder = builder.log_level(level.parse().map_err(js_error)?);
    }
    if let Some(log) = log {
        builder = builder.log_sink(move |record: &vivamo::LogRecord| {
            let line = (record.level.as_str().to_string(), record.message.clone());
            // Once the environment is gone the call is refused: the record is dropped.
            let _ = log.call(line, ThreadsafeFunctionCallMode::NonBlocking);
        });
    }
    if let Some(backoff) = options.backoff {
        let initial = millis("backoff.initialMs", Some(backoff.initial_ms))?.unwrap_or_default();
        let max = millis("backoff.maxMs", Some(backoff.max_ms))?.unwrap_or_default();
        builder = builder.backoff(initial, max);
    }
    builder = hooks.install(builder);
    if let Some(info) = options.app_info {
        builder = builder.app_info(info.into());
    }
    if let Some(enabled) = options.http2 {
        builder = builder.http2(enabled);
    }
    if let Some(max) = options.max_idle_connections {
        let max = whole("maxIdleConnections", max, 0.0)?;
        builder = builder.max_idle_connections(usize::try_from(max).unwrap_or(usize::MAX));
    }
    // What was not given comes from VIVAMO_API_KEY, VIVAMO_ENVIRONMENT and VIVAMO_BASE_URL, as
    // in the Rust and Python SDKs.
    builder
        .from_env()
        .map_err(js_error)?
        .build()
        .map_err(js_error)
}

#[napi]
impl NativeVivamo {
    /// Builds the client (`log` receives each log record's level and line, `on_retry` each
    /// retry, `on_request` each attempt sent and `on_response` each attempt ended); throws a
    /// `config` error for a missing or unusable key, an unknown environment or validation
    /// setting, or a base URL the key may not be sent to.
    #[napi(constructor)]
    pub fn new(
        options: Option<VivamoOptions>,
        #[napi(ts_arg_type = "(record: [level: string, message: string]) => unknown")] log: Option<
            LogFn,
        >,
        #[napi(ts_arg_type = "(event: RetryEvent) => unknown")] on_retry: Option<
            HookFn<RetryEvent>,
        >,
        #[napi(ts_arg_type = "(event: RequestEvent) => unknown")] on_request: Option<
            HookFn<RequestEvent>,
        >,
        #[napi(ts_arg_type = "(event: ResponseEvent) => unknown")] on_response: Option<
            HookFn<ResponseEvent>,
        >,
    ) -> napi::Result<Self> {
        guard(|| {
            let hooks = Hooks {
                on_retry,
                on_request,
                on_response,
            };
            let client = build(options.unwrap_or_default(), log, hooks)?;
            Ok(NativeVivamo { client })
        })
    }

    /// A client whose calls use `options` over this one's, sharing its connection pool.
    #[napi]
    pub fn with_options(&self, options: RequestOptions) -> napi::Result<NativeVivamo> {
        guard(|| {
            let options = vivamo::RequestOptions::try_from(options)?;
            let client = self.client.with_options(options).map_err(js_error)?;
            Ok(NativeVivamo { client })
        })
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// The environment whose rules apply: `production` or `sandbox`.
    #[napi(getter)]
    pub fn environment(&self) -> String {
        self.client.environment().to_string()
    }

    /// The client-side validation setting: `strict`, `warn` or `off`.
    #[napi(getter)]
    pub fn validation(&self) -> String {
        self.client.validation().as_str().to_string()
    }

    /// A cursor over every customer; `index.js` turns it into an async iterator.
    #[napi]
    pub fn list_all(
        &self,
        options: Option<ListAllOptions>,
        request_options: Option<RequestOptions>,
    ) -> napi::Result<CustomerCursor> {
        guard(|| {
            let mut list_all = self
                .client
                .customers()
                .list_all()
                .options(call_options(request_options)?);
            if let Some(size) = options.and_then(|o| o.size) {
                list_all = list_all.size(whole("size", size, 1.0)?);
            }
            Ok(CustomerCursor {
                state: Arc::new(tokio::sync::Mutex::new(CursorState {
                    stream: list_all.stream().boxed(),
                    pending: None,
                })),
            })
        })
    }
}

struct CursorState {
    stream: BoxStream<'static, vivamo::Result<vivamo::Customer>>,
    /// An error met after some customers of a batch were ready: reported by the next call.
    pending: Option<vivamo::Error>,
}

/// Walks every customer a page at a time (the native half of `customers.listAll`).
#[napi]
pub struct CustomerCursor {
    state: Arc<tokio::sync::Mutex<CursorState>>,
}

#[napi]
impl CustomerCursor {
    /// The next customers (the rest of the current page); an empty array once every
    /// customer has been returned.
    #[napi]
    pub fn next_batch(&self, env: Env) -> napi::Result<AsyncBlock<Vec<Customer>>> {
        let state = Arc::clone(&self.state);
        promise(&env, async move {
            let mut state = state.lock().await;
            if let Some(e) = state.pending.take() {
                return Err(js_error(e));
            }
            let mut batch = Vec::new();
            match state.stream.next().await {
                None => return Ok(batch),
                Some(item) => batch.push(item.map_err(js_error)?.into()),
            }
            // The rest of the page is already in memory: take it without waiting.
            while let Some(Some(item)) = state.stream.next().now_or_never() {
                match item {
                    Ok(customer) => batch.push(customer.into()),
                    Err(e) => {
                        state.pending = Some(e);
                        break;
                    }
                }
            }
            Ok(batch)
        })
    }
}
