//! Walks every customer with `list_all` and reports the count and the process's peak RSS, so
//! that `cargo xtask bench` can show memory does not grow with the number of customers.
//!
//! Reads `VIVAMO_BASE_URL` and `VIVAMO_API_KEY`; the last stdout line is JSON. Without them
//! (as under `cargo test`, which runs bench targets once) it walks 250 customers of an
//! in-process sandbox and checks the count.

use futures::TryStreamExt;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let configured = std::env::var_os("VIVAMO_BASE_URL").is_some();
        let local = if configured {
            None
        } else {
            let sandbox = vivamo_sandbox::Sandbox::builder().spawn().await.unwrap();
            let seeded = reqwest::Client::new()
                .post(format!("{}/__sandbox/seed", sandbox.base_url()))
                .bearer_auth(sandbox.api_key())
                .json(&serde_json::json!({"count": 250}))
                .send()
                .await
                .unwrap();
            assert!(seeded.status().is_success());
            Some(sandbox)
        };
        let mut builder = vivamo::Client::builder()
            .from_env()
            .unwrap()
            .environment(vivamo::Environment::Sandbox);
        if let Some(sandbox) = &local {
            builder = builder
                .base_url(sandbox.base_url())
                .api_key(sandbox.api_key());
        }
        let client = builder
            .build()
            .expect("VIVAMO_BASE_URL and VIVAMO_API_KEY must point at a sandbox");
        let mut stream = std::pin::pin!(client.customers().list_all().size(100).stream());
        let mut count = 0u64;
        while let Some(customer) = stream.try_next().await.unwrap() {
            std::hint::black_box(customer);
            count += 1;
        }
        if local.is_some() {
            assert_eq!(count, 250);
        }
        println!(
            "{}",
            serde_json::json!({"count": count, "peak_rss_kib": peak_rss_kib()})
        );
    });
}
