//! The accept loop: HTTP/1.1 and HTTP/2 connections served by the router, graceful shutdown,
//! and the ability for a handler to drop its connection (lost-response fault).
//!
//! HTTP/2 comes as cleartext with prior knowledge, or from a TLS front that negotiated `h2`
//! by ALPN (as clients reach Vivamo): the version is told by the connection's first bytes.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_service::Service;

use crate::api::router;
use crate::AppState;

/// How long shutdown waits for in-flight requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Put in each request's extensions: lets a handler close its connection without a response.
#[derive(Clone)]
pub(crate) struct ConnKiller(Arc<Notify>);

impl ConnKiller {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serves the sandbox on `listener` until the process ends.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with_shutdown(listener, state, std::future::pending()).await
}

/// Serves the sandbox on `listener` until `signal` completes, then stops accepting, lets
/// in-flight requests finish (up to 5 seconds), stops the webhook deliveries under way
/// (closing their connections to receivers) and returns.
pub async fn serve_with_shutdown<F>(
    listener: TcpListener,
    state: AppState,
    signal: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send,
{
    state
        .inner
        .webhooks
        .set_runtime(tokio::runtime::Handle::current());
    let app = router(state.clone());
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).keep_alive(true);
    builder.http2().timer(TokioTimer::new());
    let mut signal = std::pin::pin!(signal);
    loop {
        let stream = tokio::select! {
            biased;
            () = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let killer = ConnKiller(Arc::new(Notify::new()));
        let app = app.clone();
        let conn_killer = killer.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(conn_killer.clone());
            let mut app = app.clone();
            async move {
                let resp: Result<_, Infallible> = app.call(req.map(axum::body::Body::new)).await;
                resp
            }
        });
        let conn = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            tokio::select! {
                _ = conn => {}
                () = killer.0.notified() => {}
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    state.inner.webhooks.stop();
    Ok(())
}
