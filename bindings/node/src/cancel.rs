//! Cancellation from an `AbortSignal`: `index.js` gives a call a number and, on abort, calls
//! `cancelCall(number)`; the call's Rust future is then dropped (its request abandoned, its
//! connection closed) and it rejects with an `abort` error.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, OnceLock};

use napi_derive::napi;
use tokio::sync::oneshot;

use crate::errors::Failure;

fn registry() -> &'static Mutex<HashMap<u32, oneshot::Sender<()>>> {
    static CALLS: OnceLock<Mutex<HashMap<u32, oneshot::Sender<()>>>> = OnceLock::new();
    CALLS.get_or_init(Default::default)
}

/// Cancels the call registered under `id` (no effect once it has settled).
#[napi]
pub fn cancel_call(id: u32) {
    let sender = registry()
        .lock()
        .ok()
        .and_then(|mut calls| calls.remove(&id));
    if let Some(sender) = sender {
        let _ = sender.send(());
    }
}

/// Runs `call`, or stops it when `cancelCall(id)` comes first.
pub(crate) async fn cancellable<T>(
    id: Option<u32>,
    call: impl Future<Output = napi::Result<T>>,
) -> napi::Result<T> {
    let Some(id) = id else {
        return call.await;
    };
    let (tx, rx) = oneshot::channel();
    if let Ok(mut calls) = registry().lock() {
        calls.insert(id, tx);
    }
    let outcome = tokio::select! {
        result = call => result,
        _ = rx => Err(Failure::new("abort", "the call was aborted by its AbortSignal").into()),
    };
    if let Ok(mut calls) = registry().lock() {
        calls.remove(&id);
    }
    outcome
}
