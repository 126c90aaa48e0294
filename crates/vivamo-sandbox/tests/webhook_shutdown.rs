//! A stopped sandbox leaves no connection open to a webhook receiver. A kept-alive (or
//! opened but never used) delivery connection that outlives the sandbox keeps the receiver's
//! server from closing: a Node test process running both never exits.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use vivamo_sandbox::Sandbox;

/// A ceiling, not a claim about speed: the wait ends as soon as the condition holds.
const CEILING: Duration = Duration::from_secs(20);

/// Answers every request on the connection 200 and reports when the peer closes it.
async fn serve_connection(mut stream: TcpStream, closed: mpsc::UnboundedSender<()>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        while let Some(len) = complete_request(&buf) {
            buf.drain(..len);
            if stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                .await
                .is_err()
            {
                break;
            }
        }
    }
    let _ = closed.send(());
}

/// The length of the first whole request in `buf` (headers and `content-length` body).
fn complete_request(buf: &[u8]) -> Option<usize> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let body_len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (buf.len() >= head_end + body_len).then_some(head_end + body_len)
}

#[tokio::test]
async fn stopping_the_sandbox_closes_every_connection_to_a_receiver() {
    let receiver = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", receiver.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let (closed_tx, mut closed_rx) = mpsc::unbounded_channel();
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = receiver.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve_connection(stream, closed_tx.clone()));
        }
    });

    // Every event goes twice, at once: the pool may open a second connection.
    let sandbox = Sandbox::builder()
        .webhook_duplicate_rate(1.0)
        .spawn()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let registered = http
        .post(format!("{}/v1/operators/webhooks", sandbox.base_url()))
        .bearer_auth(sandbox.api_key())
        .json(&json!({ "url": url }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);
    for _ in 0..3 {
        let triggered = http
            .post(format!("{}/__sandbox/webhooks/trigger", sandbox.base_url()))
            .bearer_auth(sandbox.api_key())
            .json(&json!({ "eventType": "transaction", "data": { "amount": "10.00" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(triggered.status(), 200);
    }
    drop(http);

    let all_delivered = async {
        loop {
            let log = sandbox.state().webhook_deliveries();
            let deliveries = log.as_array().unwrap();
            if deliveries.len() == 6 && deliveries.iter().all(|d| d["state"] == "delivered") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(CEILING, all_delivered)
        .await
        .unwrap_or_else(|_| {
            let log: Value = sandbox.state().webhook_deliveries();
            panic!("the six deliveries were not all delivered: {log:#}")
        });

    // The Node and Python packages keep the state after `stop()` (the inspector, the logs):
    // stopping must close the connections while the state lives on.
    let state = sandbox.state().clone();
    sandbox.shutdown().await;
    let mut closed = 0;
    while closed < accepted.load(Ordering::SeqCst) {
        tokio::time::timeout(CEILING, closed_rx.recv())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{} of the {} connections the sandbox opened to the receiver are still open after it stopped",
                    accepted.load(Ordering::SeqCst) - closed,
                    accepted.load(Ordering::SeqCst)
                )
            });
        closed += 1;
    }
    assert!(closed >= 1, "the receiver got no connection");
    drop(state);
}
