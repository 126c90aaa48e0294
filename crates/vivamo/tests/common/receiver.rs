//! A webhook receiver for tests: a loopback HTTP/1.1 server that answers the given statuses
//! in order (then 200) and hands over every request it got.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    pub path: String,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

pub struct Receiver {
    pub url: String,
    rx: mpsc::UnboundedReceiver<Received>,
}

impl Receiver {
    /// The next request, if one comes within `within`.
    pub async fn next(&mut self, within: Duration) -> Option<Received> {
        tokio::time::timeout(within, self.rx.recv())
            .await
            .ok()
            .flatten()
    }

    /// Every request that comes within `within`.
    pub async fn all(&mut self, within: Duration) -> Vec<Received> {
        let end = Instant::now() + within;
        let mut got = Vec::new();
        while let Some(r) = self
            .next(end.saturating_duration_since(Instant::now()))
            .await
        {
            got.push(r);
        }
        got
    }
}

/// A receiver answering `statuses` to its first requests, 200 afterwards.
pub async fn receiver(statuses: Vec<u16>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let count = Arc::new(AtomicUsize::new(0));
    let statuses = Arc::new(statuses);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (tx, count, statuses) = (tx.clone(), count.clone(), statuses.clone());
            tokio::spawn(async move {
                if let Some(received) = read_request(stream, &count, &statuses).await {
                    let _ = tx.send(received);
                }
            });
        }
    });
    Receiver { url, rx }
}

async fn read_request(
    mut stream: TcpStream,
    count: &AtomicUsize,
    statuses: &[u16],
) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let i = count.fetch_add(1, Ordering::SeqCst);
    let status = statuses.get(i).copied().unwrap_or(200);
    let answer = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
    Some(Received {
        at,
        path,
        headers,
        body,
    })
}
