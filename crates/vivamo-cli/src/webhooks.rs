//! `vivamo webhooks sign|verify`: for testing a webhook receiver, offline (the endpoint
//! subcommands are `webhook_endpoints`).

use std::io::Read;
use std::path::Path;

use crate::cli::WebhooksCmd;
use crate::error::CliError;

/// Runs a `webhooks` subcommand: `sign` prints the signature; `verify` prints one sentence
/// and exits 0 when the signature matches, 1 when it does not.
pub fn command(cmd: WebhooksCmd) -> Result<u8, CliError> {
    match cmd {
        WebhooksCmd::Sign { secret, file } => {
            if secret.is_empty() {
                return Err(CliError::Usage(
                    "--secret is empty: pass the webhook's secret key".into(),
                ));
            }
            let body = read_body(&file)?;
            println!("{}", vivamo::webhooks::sign(&body, &secret));
            Ok(0)
        }
        WebhooksCmd::Verify {
            secret,
            signature,
            file,
        } => {
            let body = read_body(&file)?;
            match vivamo::webhooks::verify(&body, &signature, &secret) {
                Ok(()) => {
                    println!("valid: the signature matches this body and secret");
                    Ok(0)
                }
                Err(e) if e.kind() == vivamo::ErrorKind::WebhookSignature => {
                    println!("invalid: {}", e.message());
                    Ok(1)
                }
                Err(e) => Err(CliError::Usage(e.message().to_string())),
            }
        }
        _ => Err(CliError::Usage(
            "create, list, update and delete need the API: run them through `vivamo webhooks`"
                .into(),
        )),
    }
}

/// The raw bytes of FILE, or of stdin for `-`, exactly as they are.
fn read_body(path: &Path) -> Result<Vec<u8>, CliError> {
    if path == Path::new("-") {
        let mut body = Vec::new();
        std::io::stdin()
            .read_to_end(&mut body)
            .map_err(|e| CliError::Failure(format!("cannot read stdin: {e}")))?;
        Ok(body)
    } else {
        std::fs::read(path).map_err(|e| CliError::io("read", path, e))
    }
}
