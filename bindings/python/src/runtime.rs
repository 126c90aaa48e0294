//! The one tokio runtime every client shares, rebuilt in a child after `os.fork()` and shut
//! down at exit (see [`crate::exit`]), and its adapter for `pyo3-async-runtimes`.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::{Handle, Runtime};

use crate::exit::{self, LeakOnExit, Pass};

/// The runtime of one process: its handle, and the runtime itself until [`shutdown`].
struct Owned {
    pid: u32,
    handle: Handle,
    runtime: Option<Runtime>,
}

static RUNTIME: Mutex<Option<Owned>> = Mutex::new(None);

/// Runs `fut` on the shared runtime with the GIL released; returns its output with the
/// [`Pass`] to hold until the call returns to Python (see [`crate::exit`]). An error once the
/// interpreter is exiting; a call still waiting when the `atexit` hook starts never returns
/// (its daemon thread parks, see [`exit::park_for_exit`]).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<(F::Output, Pass)>
where
    F: Future + Send,
    F::Output: Send,
{
    let pass = exit::call_pass(py)?;
    let handle = handle();
    Ok(
        py.detach(move || match handle.block_on(exit::unless_exiting(fut)) {
            Some(output) => (output, pass),
            None => exit::park_for_exit(pass),
        }),
    )
}

/// The handle of the shared runtime of this process, built on first use.
///
/// A forked child inherits the parent's runtime without its worker threads; it gets a new
/// runtime, and the parent's is leaked (dropping it would wait for threads that do not exist).
pub(crate) fn handle() -> Handle {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(owned) = slot.as_ref() {
        if owned.pid == pid {
            return owned.handle.clone();
        }
    }
    if let Some(inherited) = slot.take() {
        std::mem::forget(inherited);
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("vivamo-tokio")
        .enable_all()
        .build()
        .expect("the tokio runtime can be built");
    let handle = rt.handle().clone();
    *slot = Some(Owned {
        pid,
        handle: handle.clone(),
        runtime: Some(rt),
    });
    handle
}

/// Stops this process's runtime, waiting at most `timeout` for its threads (the `atexit`
/// hook calls it after closing the gate). Its handle stays: tasks spawned later are dropped
/// at once (and leaked, see [`LeakOnExit`]).
pub fn shutdown(timeout: Duration) {
    let runtime = {
        let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_mut() {
            Some(owned) if owned.pid == std::process::id() => owned.runtime.take(),
            _ => None,
        }
    };
    if let Some(rt) = runtime {
        rt.shutdown_timeout(timeout);
    }
}

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

/// The shared runtime as a `pyo3-async-runtimes` runtime, so `AsyncClient` awaits on the same,
/// fork-aware runtime as `Client`.
pub struct VivamoRuntime;

impl GenericRuntime for VivamoRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    /// The tasks of an awaitable own Python objects (the asyncio future, its loop): once the
    /// interpreter is exiting they are leaked rather than dropped on a runtime thread.
    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        handle().spawn(LeakOnExit::new(Box::pin(fut)))
    }

    /// `pyo3-async-runtimes` hands results back to asyncio here (attaching to the
    /// interpreter): only inside the exit gate; once it is closed the hand-off is leaked.
    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        let f = LeakOnExit::new(f);
        handle().spawn_blocking(move || f.call())
    }
}

impl ContextExt for VivamoRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}
