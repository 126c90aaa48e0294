//! `vivamo-sandbox`: a local, stateful emulation of Vivamo's Customers API.
//!
//! Prints `listening on http://HOST:PORT` as its first line and
//! `inspector: http://HOST:PORT/__sandbox/` (the inspector page) as its second, then serves
//! until SIGINT or SIGTERM.

use std::io::Write;
use std::time::Duration;

use clap::Parser;
use vivamo_sandbox::{serve_with_shutdown, AppState, Config, Mode, DEFAULT_API_KEY};

/// A local, stateful emulation of Vivamo's Customers API.
#[derive(Debug, Parser)]
#[command(name = "vivamo-sandbox", version, about)]
struct Args {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to bind; 0 picks any free port (the chosen one is printed).
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// `test` (production-only rules give a warning) or `production` (they give a 400).
    #[arg(long, default_value = "test", value_parser = parse_mode)]
    mode: Mode,
    /// Accepted API key, one operator each; repeatable.
    #[arg(long = "api-key", value_name = "KEY", default_values_t = [DEFAULT_API_KEY.to_string()])]
    api_keys: Vec<String>,
    /// Largest accepted `size` on GET /v1/customers.
    #[arg(long, default_value_t = 100)]
    max_page_size: u32,
    /// Seed of the fault-injection RNG (random when absent).
    #[arg(long)]
    seed: Option<u64>,
    /// Probability (0..=1) of a 500 before anything is done, on /v1 routes.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    fail_rate: f64,
    /// Probability (0..=1) that a /v1 write is applied and its response lost.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    lost_response_rate: f64,
    /// Milliseconds added to every /v1 request.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Requests per second allowed per key on /v1 (0 = unlimited); excess gets 429.
    #[arg(long, value_name = "N", default_value_t = 0)]
    rate_limit: u32,
    /// What "a minute" of the webhook retry schedule is, in milliseconds (the n-th retry
    /// comes n units after the previous attempt).
    #[arg(long, value_name = "N", default_value_t = 60_000)]
    webhook_retry_unit_ms: u64,
    /// Milliseconds a webhook receiver has to answer an attempt.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    webhook_timeout_ms: u64,
    /// Probability (0..=1) that an event is delivered twice.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    webhook_duplicate_rate: f64,
    /// Deliver webhooks to any host (by default loopback addresses only).
    #[arg(long)]
    webhook_allow_any_host: bool,
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse::<Mode>().map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let config = Config {
        mode: args.mode,
        api_keys: args.api_keys,
        max_page_size: args.max_page_size,
        seed: args.seed,
        fail_rate: args.fail_rate,
        lost_response_rate: args.lost_response_rate,
        latency: Duration::from_millis(args.latency_ms),
        rate_limit: (args.rate_limit > 0).then_some(args.rate_limit),
        webhook_retry_unit: Duration::from_millis(args.webhook_retry_unit_ms),
        webhook_timeout: Duration::from_millis(args.webhook_timeout_ms),
        webhook_duplicate_rate: args.webhook_duplicate_rate,
        webhook_allow_any_host: args.webhook_allow_any_host,
    };
    let state = match AppState::new(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vivamo-sandbox: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "vivamo-sandbox: cannot bind {}:{}: {e}",
                args.host, args.port
            );
            return std::process::ExitCode::from(1);
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("vivamo-sandbox: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = writeln!(out, "inspector: http://{addr}/__sandbox/");
        let _ = out.flush();
    }
    match serve_with_shutdown(listener, state, shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vivamo-sandbox: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
