//! Interpreter exit: the gate every runtime thread passes before it touches Python, and the
//! `atexit` hook that closes it and stops the runtime before the interpreter finalizes.
//!
//! Why: a tokio thread that attaches to the interpreter (`PyGILState_Ensure`) after
//! finalization has begun is killed by CPython with `pthread_exit` (3.8–3.13); the forced
//! unwind runs Rust drops (`Py_DECREF`, `PyGILState_Release`) on a thread that does not hold
//! the GIL, while the main thread tears the interpreter down: a segfault or
//! `Fatal Python error: PyGILState_Release: … must be current when releasing`. A thread that
//! released the GIL inside Python (`call_soon_threadsafe` writes to a socket) and takes it
//! back after finalization began dies the same way.
//!
//! The rule, held by construction:
//!
//! - Every entry into Python from a thread vivamo owns goes through [`enter`] (the asyncio
//!   hand-off of `pyo3-async-runtimes`, see `runtime::VivamoRuntime::spawn_blocking`; error
//!   conversion in async calls, see [`attach_err`]), and a `Client` call holds a [`Pass`] from
//!   before it releases the GIL until it returns to Python (`runtime::block_on`).
//! - [`shutdown`] runs from `atexit`, which CPython calls before it marks the runtime as
//!   finalizing. It closes the gate, then waits (GIL released) for the threads inside to leave.
//!   After it returns, no vivamo-owned thread attaches again: a refused hand-off is leaked with
//!   the Python objects it owns (never dropped off the GIL), a waiting `Client` call stops
//!   waiting and parks its (daemon) thread instead of re-attaching ([`park_for_exit`]), and a
//!   new call raises `VivamoError` on the exiting thread and parks any other ([`call_pass`]).
//! - It then shuts the tokio runtime down; futures dropped after the gate closed are leaked
//!   with their Python objects ([`LeakOnExit`]).
//!
//! The hook is bounded: at most [`DRAIN`] waiting for threads inside the gate (each does a
//! few non-blocking Python calls) plus at most [`RUNTIME_SHUTDOWN`] for the runtime, under
//! 1 s in all. A forked child starts with an open gate of its own.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use tokio::sync::Notify;

/// Longest wait of the `atexit` hook for threads inside the gate.
pub const DRAIN: Duration = Duration::from_millis(250);
/// Longest wait of the `atexit` hook for the runtime's threads to stop.
pub const RUNTIME_SHUTDOWN: Duration = Duration::from_millis(500);

/// The gate of this process.
struct Gate {
    /// The process the state belongs to (a forked child resets it).
    pid: u32,
    /// Set by the `atexit` hook: nobody enters any more.
    closed: bool,
    /// Threads between [`enter`] and their exit from Python.
    inside: usize,
    /// The thread that ran the `atexit` hook (the one finalizing the interpreter).
    exiting_thread: Option<ThreadId>,
}

static GATE: Mutex<Gate> = Mutex::new(Gate {
    pid: 0,
    closed: false,
    inside: 0,
    exiting_thread: None,
});
static LEFT: Condvar = Condvar::new();
/// Wakes the `Client` calls waiting on the runtime when the `atexit` hook starts.
static CLOSING: Notify = Notify::const_new();

fn gate() -> MutexGuard<'static, Gate> {
    let mut g = GATE.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if g.pid != pid {
        // A forked child: the parent's threads (and their passes) did not come along.
        *g = Gate {
            pid,
            closed: false,
            inside: 0,
            exiting_thread: None,
        };
    }
    g
}

/// Whether the `atexit` hook has run in this process.
pub fn closed() -> bool {
    gate().closed
}

/// The right to be attached to the interpreter from a vivamo-owned thread; the `atexit` hook
/// waits for every pass to be dropped.
#[must_use]
pub struct Pass {
    pid: u32,
}

impl Drop for Pass {
    fn drop(&mut self) {
        let mut g = gate();
        if g.pid == self.pid {
            g.inside = g.inside.saturating_sub(1);
            LEFT.notify_all();
        }
    }
}

/// A pass, or `None` once the gate is closed.
fn pass() -> Option<Pass> {
    let mut g = gate();
    if g.closed {
        return None;
    }
    g.inside += 1;
    Some(Pass { pid: g.pid })
}

/// Runs `f` (which attaches to the interpreter) inside the gate, or gives it back unrun once
/// the gate is closed, so the caller can leak it.
pub fn enter<F: FnOnce()>(f: F) -> Result<(), F> {
    match pass() {
        Some(_pass) => {
            f();
            Ok(())
        }
        None => Err(f),
    }
}

/// Builds an exception on a runtime thread (`Python::attach` inside the gate); once the gate
/// is closed, a plain `RuntimeError` built without touching Python (it reaches nobody: the
/// hand-off to asyncio is refused too).
pub fn attach_err(f: impl FnOnce(Python<'_>) -> PyErr) -> PyErr {
    match pass() {
        Some(_pass) => Python::attach(f),
        None => pyo3::exceptions::PyRuntimeError::new_err("the Python interpreter is exiting"),
    }
}

/// A pass for a call (taken while attached; a `Client` call holds it until it returns to
/// Python). Once the interpreter is exiting: a `VivamoError` on the thread running the exit
/// (a later `atexit` hook), and on any other thread — a daemon thread, the others were joined —
/// the call waits for the end of the process like one that was in flight ([`park_for_exit`]),
/// instead of raising into a thread the exit is about to stop.
pub fn call_pass(py: Python<'_>) -> PyResult<Pass> {
    if let Some(pass) = pass() {
        return Ok(pass);
    }
    if gate().exiting_thread != Some(std::thread::current().id()) {
        py.detach(|| -> () {
            loop {
                std::thread::park();
            }
        });
    }
    Err(crate::errors::config_error(
        py,
        "the Python interpreter is exiting: vivamo makes no more calls",
    ))
}

/// Runs `fut` until it ends or the `atexit` hook starts (then it is dropped unfinished).
pub async fn unless_exiting<F: Future>(fut: F) -> Option<F::Output> {
    let closing = async {
        loop {
            // Created before the check: it sees a `notify_waiters` made after the check.
            let notified = CLOSING.notified();
            if closed() {
                return;
            }
            notified.await;
        }
    };
    match futures::future::select(Box::pin(closing), Box::pin(fut)).await {
        futures::future::Either::Left(_) => None,
        futures::future::Either::Right((output, _)) => Some(output),
    }
}

/// Where a `Client` call that waited with the GIL released goes once the `atexit` hook has
/// started: it gives its pass back and parks for good instead of re-attaching, since the
/// interpreter is about to finalize and re-attaching then kills the thread mid-unwind. Only a
/// daemon thread can be here (CPython joins the others before `atexit`), and the process is
/// ending.
pub fn park_for_exit(pass: Pass) -> ! {
    drop(pass);
    loop {
        std::thread::park();
    }
}

/// A `VivamoError` for a call made after the `atexit` hook ran.
pub fn ensure_open(py: Python<'_>) -> PyResult<()> {
    call_pass(py).map(drop)
}

/// Registered with `atexit` when the module is imported: closes the gate, wakes the `Client`
/// calls waiting on the runtime (they give up), waits (GIL released) up to [`DRAIN`] for the
/// threads inside the gate, then shuts the runtime down within [`RUNTIME_SHUTDOWN`].
#[pyfunction]
pub fn _shutdown(py: Python<'_>) {
    py.detach(|| {
        let deadline = Instant::now() + DRAIN;
        let mut g = gate();
        g.closed = true;
        g.exiting_thread = Some(std::thread::current().id());
        CLOSING.notify_waiters();
        while g.inside > 0 {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            g = LEFT
                .wait_timeout(g, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        drop(g);
        crate::runtime::shutdown(RUNTIME_SHUTDOWN);
    });
}

/// Registers [`_shutdown`] with `atexit`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(_shutdown, m)?;
    m.py()
        .import("atexit")?
        .call_method1("register", (hook.clone(),))?;
    m.add_function(hook)
}

/// A value (a task's future, a hand-off closure) that is leaked, with the Python objects it
/// owns, instead of dropped once the gate is closed: the runtime drops what it has not run on
/// a thread that must not touch Python any more.
pub struct LeakOnExit<T>(Option<T>);

impl<T> LeakOnExit<T> {
    pub fn new(value: T) -> Self {
        LeakOnExit(Some(value))
    }

    /// The value, to use it (running it is the caller's business).
    pub fn take(mut self) -> T {
        self.0
            .take()
            .expect("a LeakOnExit holds its value until taken")
    }
}

impl<F: Future + ?Sized> Future for LeakOnExit<Pin<Box<F>>> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        match self.get_mut().0.as_mut() {
            Some(fut) => fut.as_mut().poll(cx),
            None => Poll::Pending,
        }
    }
}

impl<T> Drop for LeakOnExit<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take() {
            if closed() {
                std::mem::forget(value);
            }
        }
    }
}
