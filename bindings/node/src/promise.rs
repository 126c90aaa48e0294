//! How an async method becomes a promise without touching its object after the call returns.
//!
//! An `async fn(&self)` of napi-rs reads `self` when its future is first polled, on a tokio
//! thread, later. When a `worker_threads` worker is terminated, Node frees every native object
//! of the worker at once, whatever is still in flight: such a future then reads freed memory
//! (a segfault, seen in `cargo xtask exit-safety`). So the methods are synchronous: they take
//! what they need from `self` (a clone of the SDK client) while the object surely lives, and
//! return the future through [`promise`], which owns everything it uses. A promise settled
//! after its environment is gone is dropped by napi-rs without calling into JavaScript.

use std::future::Future;

use napi::bindgen_prelude::{AsyncBlock, AsyncBlockBuilder, ToNapiValue};
use napi::Env;

use crate::errors::guard_async;

/// Runs `fut` on the shared runtime and returns its promise; a panic rejects it.
pub(crate) fn promise<T, F>(env: &Env, fut: F) -> napi::Result<AsyncBlock<T>>
where
    T: ToNapiValue + Send + 'static,
    F: Future<Output = napi::Result<T>> + Send + 'static,
{
    AsyncBlockBuilder::new(guard_async(fut)).build(env)
}
