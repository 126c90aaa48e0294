//! Ctrl-C during a blocking call: while a `Client` call waits on the main thread (GIL
//! released), it looks at Python's pending signals every [`TICK`]; a signal handler that
//! raises (SIGINT's `KeyboardInterrupt`) ends the call at once with that exception, dropping
//! the SDK future (the request is abandoned, whatever attempt or `Retry-After` wait it was in).

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures::future::{select, Either};
use pyo3::prelude::*;

use crate::exit;

/// How often a waiting call on the main thread runs Python's signal handlers.
pub const TICK: Duration = Duration::from_millis(20);

thread_local! {
    /// Whether this thread is Python's main thread (the only one signal handlers run on),
    /// and the process that answered (a forked child's main thread may differ).
    static MAIN: Cell<Option<(u32, bool)>> = const { Cell::new(None) };
}

pub fn on_main_thread(py: Python<'_>) -> bool {
    let pid = std::process::id();
    if let Some((owner, main)) = MAIN.get() {
        if owner == pid {
            return main;
        }
    }
    let main = py
        .import("threading")
        .and_then(|t| {
            Ok(t.call_method0("current_thread")?
                .is(&t.call_method0("main_thread")?))
        })
        .unwrap_or(false);
    MAIN.set(Some((pid, main)));
    main
}

/// Puts Ctrl-C back when Python code the SDK ran for a call (a `logging` handler, an
/// `on_request` hook) swallowed it: SIGINT's handler runs wherever the main thread next runs
/// Python, so a `KeyboardInterrupt` raised inside a log record's handler would otherwise be
/// dropped with that record's error and the call would go on as if no Ctrl-C came. Tripping
/// SIGINT again makes the waiting call's next check raise it. Whether `err` was one.
pub fn keep_interrupt(py: Python<'_>, err: &PyErr) -> bool {
    let interrupt = err.is_instance_of::<pyo3::exceptions::PyKeyboardInterrupt>(py);
    if interrupt {
        let _ = py
            .import("_thread")
            .and_then(|t| t.call_method0("interrupt_main"));
    }
    interrupt
}

/// `fut`, or the exception a signal handler raised while it waited (main thread only; other
/// threads get `fut` unchanged).
pub async fn interruptible<F: Future>(main_thread: bool, fut: F) -> PyResult<F::Output> {
    if !main_thread {
        return Ok(fut.await);
    }
    let signals = pin!(async {
        loop {
            tokio::time::sleep(TICK).await;
            let mut raised = None;
            let _ = exit::enter(|| raised = Python::attach(|py| py.check_signals()).err());
            if let Some(e) = raised {
                return e;
            }
        }
    });
    match select(pin!(fut), signals).await {
        Either::Left((output, _)) => Ok(output),
        Either::Right((raised, _)) => Err(raised),
    }
}
