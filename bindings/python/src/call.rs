//! How a call runs: the SDK future on the shared runtime, with the GIL released for `Client`
//! ([`run`], [`block`]) or as an asyncio awaitable for `AsyncClient` ([`run_async`],
//! [`awaitable`]); results and errors converted on the way out.
//!
//! An operation is prepared once for both clients (`crate::operations`) as a [`Call`]: its
//! arguments already converted, waiting for the SDK client and the call's options.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::future::BoxFuture;
use futures::FutureExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use vivamo::RequestOptions;

use crate::client_core::Core;
use crate::errors::{guard, panic_error, to_py_err};
use crate::exit;
use crate::options::CallOptions;
use crate::raw_response::Answer;
use crate::runtime::{block_on, VivamoRuntime};
use crate::signals;

/// The `extra_headers=` keyword argument.
pub(crate) type Headers = Option<HashMap<String, String>>;

/// The `extra_body=` keyword argument: a dict of JSON fields, converted with the call's options.
pub(crate) type ExtraBody = Option<Py<PyAny>>;

/// An operation with its arguments converted, to run with the SDK client and the call's
/// options (by [`run`] or [`run_async`]); it answers its value with the response's metadata
/// (see `crate::raw_response`).
pub(crate) type Call<T> = Box<
    dyn FnOnce(vivamo::Client, RequestOptions) -> BoxFuture<'static, vivamo::Result<Answer<T>>>
        + Send,
>;

/// A [`Call`] of `f`.
pub(crate) fn call<T, F, Fut>(f: F) -> Call<T>
where
    F: FnOnce(vivamo::Client, RequestOptions) -> Fut + Send + 'static,
    Fut: Future<Output = vivamo::Result<Answer<T>>> + Send + 'static,
{
    Box::new(move |client, options| f(client, options).boxed())
}

/// Runs `call` (given the SDK client and the call's options) as a blocking call.
pub(crate) fn run<T, F, Fut>(
    core: &Core,
    py: Python<'_>,
    options: CallOptions,
    call: F,
) -> PyResult<T>
where
    T: Send,
    F: FnOnce(vivamo::Client, RequestOptions) -> Fut,
    Fut: Future<Output = vivamo::Result<T>> + Send,
{
    guard(py, || {
        let options = RequestOptions::try_from(options)?;
        let sdk = core.sdk(py)?;
        block(py, call(sdk, options))
    })
}

/// Runs `call` (given the SDK client and the call's options) as an asyncio awaitable.
pub(crate) fn run_async<'py, T, F, Fut>(
    core: &Core,
    py: Python<'py>,
    options: CallOptions,
    call: F,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: FnOnce(vivamo::Client, RequestOptions) -> Fut,
    Fut: Future<Output = vivamo::Result<T>> + Send + 'static,
{
    guard(py, || {
        let options = RequestOptions::try_from(options)?;
        let sdk = core.sdk(py)?;
        let fut = call(sdk, options);
        awaitable(py, async move { Ok::<T, Fail>(fut.await?) })
    })
}

/// The call options of a method's keyword arguments.
pub(crate) fn call_options(
    timeout: Option<f64>,
    deadline: Option<f64>,
    max_retries: Option<i64>,
    extra_headers: Headers,
    extra_body: ExtraBody,
) -> CallOptions {
    CallOptions {
        timeout,
        deadline,
        max_retries,
        extra_headers,
        extra_body,
    }
}

/// Runs an SDK future to completion on the shared runtime with the GIL released; on the main
/// thread a signal handler's exception (Ctrl-C's `KeyboardInterrupt`) ends it early (see
/// `crate::signals`).
pub(crate) fn block<T: Send>(
    py: Python<'_>,
    fut: impl Future<Output = vivamo::Result<T>> + Send,
) -> PyResult<T> {
    let watch = signals::on_main_thread(py);
    let fut = signals::interruptible(watch, AssertUnwindSafe(fut).catch_unwind());
    // The pass is held until the result is converted (see `crate::exit`).
    let (outcome, _pass) = block_on(py, fut)?;
    match outcome {
        Err(raised) => Err(raised),
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(e))) => Err(to_py_err(py, &e)),
        Ok(Err(payload)) => Err(panic_error(py, payload)),
    }
}

/// Why an async call ended without a value.
pub(crate) enum Fail {
    Sdk(vivamo::Error),
    StopAsync,
}

impl From<vivamo::Error> for Fail {
    fn from(e: vivamo::Error) -> Self {
        Fail::Sdk(e)
    }
}

/// Wraps an SDK future as an asyncio awaitable running on the shared runtime.
pub(crate) fn awaitable<'py, T>(
    py: Python<'py>,
    fut: impl Future<Output = Result<T, Fail>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    exit::ensure_open(py)?;
    pyo3_async_runtimes::generic::future_into_py::<VivamoRuntime, _, T>(py, async move {
        match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(Fail::Sdk(e))) => Err(exit::attach_err(|py| to_py_err(py, &e))),
            Ok(Err(Fail::StopAsync)) => Err(PyStopAsyncIteration::new_err(())),
            Err(payload) => Err(exit::attach_err(|py| panic_error(py, payload))),
        }
    })
}
