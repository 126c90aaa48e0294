//! `vivamo sandbox`: the local sandbox in the foreground.

use std::io::Write;
use std::time::Duration;

use vivamo_sandbox::{serve_with_shutdown, AppState, Config, Mode, DEFAULT_API_KEY};

use crate::cli::{GlobalOpts, SandboxArgs};
use crate::error::CliError;

/// Serves until Ctrl-C. The accepted keys are the global `--api-key`s (repeatable, as
/// `vivamo-sandbox --api-key`), else the sandbox's default key.
pub async fn command(global: &GlobalOpts, args: &SandboxArgs) -> Result<u8, CliError> {
    let mode = args
        .mode
        .parse::<Mode>()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let config = Config {
        mode,
        api_keys: global.api_key.clone(),
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
    let state = AppState::new(config).map_err(|e| CliError::Usage(e.to_string()))?;
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| CliError::Failure(format!("cannot bind {}:{}: {e}", args.host, args.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::Failure(e.to_string()))?;
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = writeln!(out, "inspector: http://{addr}/__sandbox/");
        let _ = out.flush();
    }
    let key = global
        .api_key
        .first()
        .map_or(DEFAULT_API_KEY, String::as_str);
    eprintln!(
        "sandbox ({mode} mode): VIVAMO_BASE_URL=http://{addr} VIVAMO_API_KEY={key} VIVAMO_ENVIRONMENT=sandbox; Ctrl-C stops it"
    );
    serve_with_shutdown(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| CliError::Failure(format!("sandbox stopped: {e}")))?;
    Ok(0)
}
