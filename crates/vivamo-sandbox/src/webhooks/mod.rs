//! Webhooks: the operators' endpoints ([`registry`]), the events the sandbox sends
//! ([`events`]) and their deliveries with Vivamo's retries ([`delivery`]).
//!
//! An event goes to every `active` webhook of the operator subscribed to its type: a POST
//! of the compact JSON body with a `signature` header (lowercase hex HMAC-SHA512 of the body
//! under the webhook's secret, computed by `vivamo_rules::sign_webhook`, the same code the
//! SDK verifies with) and the webhook's custom headers.

pub(crate) mod delivery;
pub(crate) mod events;
pub(crate) mod registry;

use std::time::Duration;

use axum::body::Bytes;
use parking_lot::Mutex;
use serde_json::{Map, Value};
use tokio::runtime::Handle;
use tokio::task::AbortHandle;

use crate::control::ControlError;
use crate::live;
use crate::store::Store;
use crate::{AppState, Config};
use delivery::{Attempt, Delivery, HttpClient, Log, State, MAX_RETRIES};
use registry::{Registry, EVENT_TYPES};

/// The webhook state of a sandbox.
pub(crate) struct Webhooks {
    pub registry: Mutex<Registry>,
    pub log: Mutex<Log>,
    retry_unit: Duration,
    timeout: Duration,
    duplicate_rate: f64,
    allow_any_host: bool,
    rng: Mutex<fastrand::Rng>,
    /// The runtime deliveries run on, for events raised outside one (the Node and Python
    /// packages call the control methods from their own threads).
    runtime: Mutex<Option<Handle>>,
    client: Mutex<Option<HttpClient>>,
    /// The delivery tasks started and not yet seen finished, aborted by [`Webhooks::stop`].
    tasks: Mutex<Vec<AbortHandle>>,
}

impl Webhooks {
    pub fn new(config: &Config) -> Webhooks {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        Webhooks {
            registry: Mutex::default(),
            log: Mutex::default(),
            retry_unit: config.webhook_retry_unit,
            timeout: config.webhook_timeout,
            duplicate_rate: config.webhook_duplicate_rate,
            allow_any_host: config.webhook_allow_any_host,
            // Its own stream, so that webhooks do not change the faults a seed gives.
            rng: Mutex::new(fastrand::Rng::with_seed(seed ^ 0x5745_4248_4f4f_4b53)),
            runtime: Mutex::new(None),
            client: Mutex::new(None),
            tasks: Mutex::default(),
        }
    }

    /// Remembers the runtime the server runs on.
    pub fn set_runtime(&self, handle: Handle) {
        *self.runtime.lock() = Some(handle);
    }

    fn runtime(&self) -> Option<Handle> {
        Handle::try_current()
            .ok()
            .or_else(|| self.runtime.lock().clone())
    }

    fn client(&self) -> HttpClient {
        self.client
            .lock()
            .get_or_insert_with(delivery::client)
            .clone()
    }

    /// Called when the server stops: aborts the deliveries under way and drops the delivery
    /// client, which closes its pooled connections. A kept-alive connection to a receiver
    /// would otherwise outlive the sandbox and keep the receiver's server (and a Node test
    /// process that runs both) from ending. Serving the state again starts afresh.
    pub fn stop(&self) {
        *self.runtime.lock() = None;
        for task in self.tasks.lock().drain(..) {
            task.abort();
        }
        self.client.lock().take();
    }

    /// Remembers a delivery task so that [`Webhooks::stop`] can abort it.
    fn track(&self, task: AbortHandle) {
        let mut tasks = self.tasks.lock();
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }

    pub fn clear(&self) {
        self.registry.lock().clear();
        self.log.lock().clear();
    }
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_{:016x}", fastrand::u64(..))
}

impl AppState {
    /// Runs `f` on the store under its write lock, then sends the `kyc_verification` events
    /// of the KYC status changes it made.
    pub(crate) fn write_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut store = self.inner.store.write();
        let result = f(&mut store);
        let changes = store.take_kyc_changes();
        drop(store);
        self.inner.live.changed(live::CUSTOMERS);
        for change in changes {
            let body = events::kyc_verification(&change);
            self.emit(change.operator, "kyc_verification", &body);
        }
        result
    }

    /// Sends an event to the operator's webhooks that want it; returns the event id and
    /// the ids of the deliveries started.
    pub(crate) fn emit(&self, op: usize, event_type: &str, body: &Value) -> (String, Vec<String>) {
        let event_id = new_id("evt");
        let bytes = Bytes::from(body.to_string());
        let targets = self.inner.webhooks.registry.lock().targets(op, event_type);
        let mut ids = Vec::new();
        for endpoint in targets {
            let delivery = Delivery {
                id: new_id("dlv"),
                event_id: event_id.clone(),
                event_type: event_type.to_string(),
                webhook_id: endpoint.id.clone(),
                url: endpoint.url.clone(),
                headers: endpoint.headers.clone(),
                signature: vivamo_rules::sign_webhook(&bytes, &endpoint.secret),
                body: bytes.clone(),
                duplicate: false,
                resend_of: None,
                attempts: Vec::new(),
                state: State::Pending,
                next_attempt_at: None,
            };
            let twice = {
                let p = self.inner.webhooks.duplicate_rate;
                p > 0.0 && self.inner.webhooks.rng.lock().f64() < p
            };
            let copy = twice.then(|| Delivery {
                id: new_id("dlv"),
                duplicate: true,
                ..delivery.clone()
            });
            for d in std::iter::once(delivery).chain(copy) {
                ids.push(d.id.clone());
                self.start(d);
            }
        }
        (event_id, ids)
    }

    /// Logs the delivery and runs its attempts in the background.
    fn start(&self, d: Delivery) {
        let id = d.id.clone();
        self.inner.webhooks.log.lock().push(d);
        self.inner.live.changed(live::WEBHOOKS);
        match self.inner.webhooks.runtime() {
            Some(rt) => {
                let task = rt.spawn(self.clone().attempt_all(id));
                self.inner.webhooks.track(task.abort_handle());
            }
            None => self.record(
                &id,
                Attempt {
                    at: crate::api::now(),
                    status: None,
                    latency_ms: 0,
                    error: Some("the sandbox is not serving (no runtime): nothing was sent".into()),
                },
                State::Failed,
                None,
            ),
        }
    }

    fn record(&self, id: &str, attempt: Attempt, state: State, next: Option<String>) {
        if let Some(d) = self.inner.webhooks.log.lock().get_mut(id) {
            d.attempts.push(attempt);
            d.state = state;
            d.next_attempt_at = next;
        }
        self.inner.live.changed(live::WEBHOOKS);
    }

    /// The first attempt and up to [`MAX_RETRIES`] retries, the n-th retry n retry units
    /// after the previous attempt.
    async fn attempt_all(self, id: String) {
        let hooks = &self.inner.webhooks;
        let Some(d) = hooks.log.lock().get(&id).cloned() else {
            return;
        };
        let target = delivery::check_target(&d.url, hooks.allow_any_host);
        let client = hooks.client();
        for n in 0..=MAX_RETRIES {
            let at = crate::api::now();
            let (status, error, latency_ms) = match &target {
                Ok(uri) => delivery::post(&client, uri.clone(), &d, hooks.timeout).await,
                Err(reason) => (None, Some(reason.clone()), 0),
            };
            let attempt = Attempt {
                at,
                status,
                latency_ms,
                error,
            };
            if status == Some(200) {
                self.record(&id, attempt, State::Delivered, None);
                return;
            }
            if target.is_err() || n == MAX_RETRIES {
                self.record(&id, attempt, State::Failed, None);
                return;
            }
            let wait = hooks.retry_unit * (n + 1);
            let next = chrono::Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            self.record(
                &id,
                attempt,
                State::Pending,
                Some(crate::kyc::timestamp(next)),
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Every delivery in the log, oldest first (`GET /__sandbox/webhooks/deliveries`): the
    /// event, the webhook, the body and signature, each attempt's time, status, latency and
    /// error, and the next attempt's time.
    pub fn webhook_deliveries(&self) -> Value {
        Value::Array(self.inner.webhooks.log.lock().views())
    }

    /// Sends the event of delivery `id` again, to the same webhook with the same body and
    /// signature, as a new delivery (`POST /__sandbox/webhooks/deliveries/{id}/resend`).
    pub fn resend_webhook(&self, id: &str) -> Result<Value, ControlError> {
        let original = self
            .inner
            .webhooks
            .log
            .lock()
            .get(id)
            .cloned()
            .ok_or_else(|| {
                ControlError::InvalidArgument(format!("no delivery `{id}` in the log"))
            })?;
        let copy = Delivery {
            id: new_id("dlv"),
            duplicate: false,
            resend_of: Some(original.id.clone()),
            attempts: Vec::new(),
            state: State::Pending,
            next_attempt_at: None,
            ..original
        };
        let view = copy.view();
        self.start(copy);
        Ok(view)
    }

    /// Sends an event of `event_type` to the webhooks of the operator of `api_key`
    /// (`POST /__sandbox/webhooks/trigger`); see the crate docs for the bodies. Answers
    /// `{"eventId", "eventType", "body", "deliveries": [ids]}`.
    pub fn trigger_webhook(
        &self,
        api_key: &str,
        event_type: &str,
        data: &Map<String, Value>,
    ) -> Result<Value, ControlError> {
        let op = self
            .inner
            .keys
            .get(api_key)
            .copied()
            .ok_or(ControlError::UnknownApiKey)?;
        self.trigger_operator(op, event_type, data)
    }

    pub(crate) fn trigger_operator(
        &self,
        op: usize,
        event_type: &str,
        data: &Map<String, Value>,
    ) -> Result<Value, ControlError> {
        if !EVENT_TYPES.contains(&event_type) {
            return Err(ControlError::InvalidArgument(format!(
                "eventType: must be one of {}",
                EVENT_TYPES.join(", ")
            )));
        }
        let body = events::triggered(event_type, data);
        let (event_id, deliveries) = self.emit(op, event_type, &body);
        Ok(serde_json::json!({
            "eventId": event_id,
            "eventType": event_type,
            "body": body,
            "deliveries": deliveries,
        }))
    }
}
