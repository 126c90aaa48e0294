//! Where calls run.
//!
//! A `Client` call runs on the thread that makes it: every thread that calls has a
//! current-thread tokio runtime of its own and, per client, an SDK client (a connection pool)
//! whose connections live on that runtime ([`block_on`], [`thread_client`]). Nothing of it runs
//! between calls, and no wake-up crosses threads while a call waits (measured in
//! `cargo xtask bench`, rows 2 and 11: a thread hop per wake-up cost more than the request).
//!
//! `AsyncClient` and the `list_all` iterators (which may be advanced from several threads)
//! use the one shared multi-thread runtime of the process ([`block_on_shared`],
//! [`VivamoRuntime`]), rebuilt in a child after `os.fork()` and shut down at exit (see
//! [`crate::exit`]).

use std::cell::{OnceCell, RefCell};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::{Handle, Runtime};

use crate::exit::{self, LeakOnExit, Pass};

/// What a thread that makes `Client` calls owns: its runtime and the SDK clients bound to it.
struct Local {
    /// The process the thread belongs to: a forked child inherits the forking thread's
    /// `Local`, with connections and blocking threads of the parent.
    pid: u32,
    runtime: Rc<Runtime>,
    /// One SDK client per `Client`, found by the `Client`'s key: a closed or dropped `Client`
    /// leaves a dead key, and its entry is dropped at the next look-up.
    clients: Vec<(Weak<()>, vivamo::Client)>,
}

/// The calling thread's [`Local`], dropped when the thread ends.
struct LocalSlot(Option<Local>);

impl Drop for LocalSlot {
    fn drop(&mut self) {
        if let Some(local) = self.0.take() {
            if local.pid != std::process::id() || exit::closed() {
                // Another process's, or the interpreter is exiting: nothing to close cleanly.
                std::mem::forget(local);
            } else {
                // A panic here (in a thread-local destructor) would abort the process.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(move || drop(local)));
            }
        }
    }
}

thread_local! {
    static LOCAL: RefCell<LocalSlot> = const { RefCell::new(LocalSlot(None)) };
}

/// Runs `f` on the calling thread's [`Local`] (built on first use, or after a fork); `None` if
/// the thread is ending (its thread-locals are being destroyed).
fn with_local<R>(f: impl FnOnce(&mut Local) -> R) -> Option<R> {
    LOCAL
        .try_with(|cell| {
            let mut slot = cell.try_borrow_mut().ok()?;
            let pid = std::process::id();
            if let Some(inherited) = slot.0.take_if(|local| local.pid != pid) {
                std::mem::forget(inherited);
            }
            if slot.0.is_none() {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                slot.0 = Some(Local {
                    pid,
                    runtime: Rc::new(runtime),
                    clients: Vec::new(),
                });
            }
            slot.0.as_mut().map(f)
        })
        .ok()
        .flatten()
}

/// The calling thread's SDK client for the `Client` whose key is `key`, built with `build` on
/// the thread's first call; `process` (the client of the shared runtime) when the thread has
/// no runtime of its own (it is ending).
///
/// Each thread keeps its own client because a connection belongs to the runtime that opened
/// it: a pool shared between runtimes would hand one thread a connection that only another
/// thread's runtime drives.
pub fn thread_client<E>(
    key: &Arc<()>,
    process: vivamo::Client,
    build: impl FnOnce() -> Result<vivamo::Client, E>,
) -> Result<vivamo::Client, E> {
    let found = with_local(|local| {
        local.clients.retain(|(k, _)| k.strong_count() > 0);
        let wanted = Arc::downgrade(key);
        local
            .clients
            .iter()
            .find(|(k, _)| k.ptr_eq(&wanted))
            .map(|(_, client)| client.clone())
    });
    match found {
        None => Ok(process),
        Some(Some(client)) => Ok(client),
        Some(None) => {
            let client = build()?;
            let _ = with_local(|local| local.clients.push((Arc::downgrade(key), client.clone())));
            Ok(client)
        }
    }
}

/// Runs `fut` (made with a [`thread_client`]) to completion on the calling thread's runtime
/// with the GIL released; returns its output with the [`Pass`] to hold until the call returns
/// to Python (see [`crate::exit`]). An error once the interpreter is exiting; a call still
/// waiting when the `atexit` hook starts never returns (its daemon thread parks, see
/// [`exit::park_for_exit`]).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<(F::Output, Pass)>
where
    F: Future + Send,
    F::Output: Send,
{
    let pass = exit::call_pass(py)?;
    Ok(py.detach(move || {
        let runtime = with_local(|local| local.runtime.clone());
        let output = match runtime {
            Some(runtime) => runtime.block_on(exit::unless_exiting(fut)),
            None => handle().block_on(exit::unless_exiting(fut)),
        };
        match output {
            Some(output) => (output, pass),
            None => exit::park_for_exit(pass),
        }
    }))
}

/// [`block_on`] for a future that may run on any thread (a `list_all` iterator's): it runs on
/// the calling thread, its connections on the shared runtime.
pub fn block_on_shared<F>(py: Python<'_>, fut: F) -> PyResult<(F::Output, Pass)>
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

/// The runtime of one process: its handle, and the runtime itself until [`shutdown`].
struct Owned {
    pid: u32,
    handle: Handle,
    runtime: Option<Runtime>,
}

static RUNTIME: Mutex<Option<Owned>> = Mutex::new(None);

/// The handle of the shared runtime of this process, built on first use.
///
/// A forked child inherits the parent's runtime without its worker threads; it gets a new
/// runtime, and the parent's is leaked (dropping it would wait for threads that do not exist).
fn handle() -> Handle {
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

/// The shared runtime as a `pyo3-async-runtimes` runtime, so `AsyncClient` awaits on the
/// fork-aware runtime that the `atexit` hook stops.
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
