//! Sequential `get` latency: the SDK against a bare reqwest GET of the same URL and against a
//! raw keep-alive `TcpStream` round trip (the floor: write the request, read until the whole
//! response is in, no parsing), all on the same sandbox, alternating A B C A B C.
//!
//! `cargo bench -p vivamo --bench get_overhead [-- --quick]`. The last line on stdout is one
//! JSON object that `cargo xtask bench` reads: `{"reqwest": {"a", "b"}, "raw": {"a", "b"}}`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use vivamo::{Client, Environment, NewCustomer};

const ID: &str = "bench_user";

/// `{"median", "min", "max"}` of per-call microseconds.
fn stats(values: &[f64]) -> serde_json::Value {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "median": sorted[sorted.len() / 2],
        "min": sorted[0],
        "max": sorted[sorted.len() - 1],
    })
}

/// One keep-alive connection driven by hand.
struct Raw {
    stream: TcpStream,
    request: Vec<u8>,
    buffer: Vec<u8>,
}

impl Raw {
    fn connect(base_url: &str, key: &str) -> Raw {
        let authority = base_url
            .strip_prefix("http://")
            .expect("the bench sandbox speaks plain HTTP")
            .trim_end_matches('/');
        let stream = TcpStream::connect(authority).unwrap();
        stream.set_nodelay(true).unwrap();
        let request = format!(
            "GET /v1/customers/{ID} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {key}\r\nAccept: application/json\r\n\r\n"
        )
        .into_bytes();
        Raw {
            stream,
            request,
            buffer: vec![0; 64 * 1024],
        }
    }

    /// One round trip: the length of the response.
    fn get(&mut self) -> usize {
        self.stream.write_all(&self.request).unwrap();
        let mut filled = 0;
        loop {
            let n = self.stream.read(&mut self.buffer[filled..]).unwrap();
            assert!(n > 0, "the sandbox closed the connection");
            filled += n;
            let data = &self.buffer[..filled];
            let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            assert!(head.starts_with("http/1.1 200"), "{head}");
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .expect("a content-length")
                .trim()
                .parse()
                .unwrap();
            if filled >= end + 4 + length {
                return filled;
            }
        }
    }
}

fn main() {
    // `cargo test` runs bench targets once without `--bench`: a quick smoke run then.
    let quick = std::env::args().any(|a| a == "--quick")
        || !std::env::args().any(|a| a == "--bench")
        || std::env::var_os("VIVAMO_BENCH_QUICK").is_some();
    let (rounds, per_round) = if quick { (3, 200) } else { (15, 2_000) };

    // `cargo xtask bench` passes its shared, pinned sandbox; alone, the bench starts one on
    // its own runtime and thread, as a remote API would be.
    let (base_url, key) = match (
        std::env::var("VIVAMO_BASE_URL"),
        std::env::var("VIVAMO_API_KEY"),
    ) {
        (Ok(url), Ok(key)) => (url, key),
        _ => {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    let sandbox = vivamo_sandbox::Sandbox::builder().spawn().await.unwrap();
                    tx.send((sandbox.base_url(), sandbox.api_key().to_string()))
                        .unwrap();
                    std::future::pending::<()>().await;
                    drop(sandbox);
                });
            });
            rx.recv().unwrap()
        }
    };

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let client = Client::builder()
            .api_key(&key)
            .environment(Environment::Sandbox)
            .base_url(&base_url)
            .build()
            .unwrap();
        // The harness has created it already; alone, create it (a duplicate is fine).
        let _ = client
            .customers()
            .create(NewCustomer::new(ID, "bench@example.com").phone("4155552671"))
            .await;
        let bare = reqwest::Client::builder().build().unwrap();
        let url = format!("{base_url}/v1/customers/{ID}");

        let sdk_round = || async {
            let start = Instant::now();
            for _ in 0..per_round {
                let c = client.customers().get(ID).await.unwrap();
                std::hint::black_box(c);
            }
            start.elapsed()
        };
        let bare_round = || async {
            let start = Instant::now();
            for _ in 0..per_round {
                let response = bare.get(&url).bearer_auth(&key).send().await.unwrap();
                let value: serde_json::Value = response.json().await.unwrap();
                std::hint::black_box(value);
            }
            start.elapsed()
        };

        let mut raw = Raw::connect(&base_url, &key);
        let mut raw_round = || {
            let start = Instant::now();
            for _ in 0..per_round {
                std::hint::black_box(raw.get());
            }
            start.elapsed()
        };

        // Warm-up: connections, allocator, caches.
        sdk_round().await;
        bare_round().await;
        raw_round();

        let per_op = |d: Duration| d.as_secs_f64() * 1e6 / per_round as f64;
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            a.push(per_op(sdk_round().await));
            b.push(per_op(bare_round().await));
            c.push(per_op(raw_round()));
        }
        let (sdk, bare, raw) = (stats(&a), stats(&b), stats(&c));
        let us = |s: &serde_json::Value| s["median"].as_f64().unwrap_or(f64::NAN);
        println!("vivamo get: {sdk} µs over {rounds} rounds of {per_round}");
        println!("reqwest GET: {bare} µs");
        println!("raw TcpStream round trip: {raw} µs");
        println!(
            "ratio vivamo / reqwest: {:.3}; vivamo / raw: {:.2}",
            us(&sdk) / us(&bare),
            us(&sdk) / us(&raw)
        );
        println!(
            "{}",
            serde_json::json!({
                "unit": "µs/op", "lower_is_better": true,
                "reqwest": {"a": sdk, "b": bare},
                "raw": {"a": sdk, "b": raw},
                "rounds": rounds, "per_round": per_round,
            })
        );
    });
}
