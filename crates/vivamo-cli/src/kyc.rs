//! `vivamo kyc info|review|approve|reject`.

use std::io::Write;

use vivamo::{KycInfo, KycType};

use crate::cli::{GlobalOpts, KycCmd, Output};
use crate::customers::{print_json, stdout_err, table_header, table_row};
use crate::error::CliError;

/// Runs a `kyc` subcommand.
pub async fn command(global: &GlobalOpts, cmd: KycCmd) -> Result<u8, CliError> {
    let client = global.client(|b| b)?;
    let customers = client.customers();
    match cmd {
        KycCmd::Info { id } => {
            let info = customers.kyc_info(&id).await?;
            match global.output {
                Output::Json => print_json(&info)?,
                Output::Table => print_info(&info),
            }
        }
        KycCmd::Review => {
            let queue = customers.kyc_for_review().await?;
            match global.output {
                Output::Json => print_json(&queue)?,
                Output::Table => {
                    let mut out = std::io::stdout().lock();
                    table_header(&mut out)?;
                    for c in &queue {
                        table_row(&mut out, c)?;
                    }
                    writeln!(out, "{} awaiting review", queue.len()).map_err(stdout_err)?;
                }
            }
        }
        KycCmd::Approve(args) => {
            let message = customers
                .approve_kyc(&args.id, KycType::from(args.kind))
                .await?;
            print_message(global.output, &args.id, &message)?;
        }
        KycCmd::Reject(args) => {
            let message = customers
                .reject_kyc(&args.id, KycType::from(args.kind))
                .await?;
            print_message(global.output, &args.id, &message)?;
        }
    }
    Ok(0)
}

/// The verification as aligned lines; the widget secret is shown, since asking for it is
/// what this command is for.
pub fn print_info(info: &KycInfo) {
    println!("  {:<14}{}", "customer", info.external_customer_id);
    let Some(v) = &info.verification else {
        println!(
            "  {:<14}none (KYC is not enabled for this integration)",
            "verification"
        );
        return;
    };
    println!("  {:<14}{}", "type", v.kind);
    println!("  {:<14}{}", "status", v.status);
    println!("  {:<14}{}", "verified at", v.verified_at.to_rfc3339());
    if let Some(secret) = &v.client_secret_key {
        println!(
            "  {:<14}{}  (valid 24 h; for your frontend's widget)",
            "client secret",
            secret.expose()
        );
    }
    if let Some(url) = v.links.as_ref().and_then(|l| l.url.as_deref()) {
        println!("  {:<14}{url}  (legacy)", "link");
    }
}

fn print_message(output: Output, id: &str, message: &str) -> Result<(), CliError> {
    match output {
        Output::Json => {
            print_json(&serde_json::json!({ "externalCustomerId": id, "message": message }))
        }
        Output::Table => {
            println!("{id}: {message}");
            Ok(())
        }
    }
}
