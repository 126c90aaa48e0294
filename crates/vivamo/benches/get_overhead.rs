//! Sequential `get` latency: the SDK against a bare reqwest GET of the same URL, both on the
//! same in-process sandbox (which runs on its own runtime thread), alternating A B A B.
//!
//! `cargo bench -p vivamo --bench get_overhead [-- --quick]`. The last line on stdout is one
//! JSON object that `cargo xtask bench` reads.

use std::time::{Duration, Instant};

use vivamo::{Client, Environment, NewCustomer};

const ID: &str = "bench_user";

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
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

        // Warm-up: connections, allocator, caches.
        sdk_round().await;
        bare_round().await;

        let per_op = |d: Duration| d.as_secs_f64() * 1e6 / per_round as f64;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            a.push(per_op(sdk_round().await));
            b.push(per_op(bare_round().await));
        }
        let (a_min, a_max) = (a.iter().cloned().fold(f64::MAX, f64::min), a.iter().cloned().fold(0.0, f64::max));
        let (b_min, b_max) = (b.iter().cloned().fold(f64::MAX, f64::min), b.iter().cloned().fold(0.0, f64::max));
        let (a_med, b_med) = (median(&mut a), median(&mut b));
        println!("vivamo get: median {a_med:.1} µs (min {a_min:.1}, max {a_max:.1}) over {rounds} rounds of {per_round}");
        println!("reqwest GET: median {b_med:.1} µs (min {b_min:.1}, max {b_max:.1})");
        println!("ratio vivamo / reqwest: {:.3}", a_med / b_med);
        println!(
            "{}",
            serde_json::json!({
                "unit": "µs/op", "lower_is_better": true,
                "a": {"median": a_med, "min": a_min, "max": a_max},
                "b": {"median": b_med, "min": b_min, "max": b_max},
                "rounds": rounds, "per_round": per_round,
            })
        );
    });
}
