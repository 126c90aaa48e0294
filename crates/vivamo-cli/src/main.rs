//! `vivamo`: the command line of the Vivamo Customers SDK.
//!
//! Create, fetch, update and list customers; read and decide their KYC verification; sign
//! and verify webhook bodies; validate a file offline; import thousands of
//! customers with a per-row report and a journal that makes an interrupted run resumable;
//! export every customer; run the local sandbox; and a no-key, no-network demo.
//!
//! Exit status: 0 success, 1 failure (an API error, invalid or failed rows), 2 usage error
//! (bad flag, missing API key, unreadable header), 130 interrupted import (Ctrl-C).

#![forbid(unsafe_code)]

mod cli;
mod customers;
mod demo;
mod error;
// Written by `cargo xtask codegen` from openapi.yaml: the field flags and CSV columns.
#[rustfmt::skip]
mod generated;
mod import;
mod input;
mod journal;
mod kyc;
mod pace;
mod progress;
mod report;
mod sandbox_cmd;
mod validate;
mod webhook_endpoints;
mod webhooks;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::error::CliError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs the parsed command; `Ok(code)` is the exit status of a command that ran to its end.
fn run(cli: Cli) -> Result<u8, CliError> {
    let global = cli.global;
    match cli.command {
        // Offline commands need no runtime.
        Command::Validate(args) => validate::command(&global, &args),
        Command::Webhooks(cmd) if cmd.is_offline() => webhooks::command(cmd),
        Command::Completions { shell } => {
            cli::completions(shell);
            Ok(0)
        }
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| CliError::Failure(format!("cannot start the async runtime: {e}")))?;
            runtime.block_on(async move {
                match command {
                    Command::Customers(cmd) => customers::command(&global, cmd).await,
                    Command::Kyc(cmd) => kyc::command(&global, cmd).await,
                    Command::Webhooks(cmd) => webhook_endpoints::command(&global, cmd).await,
                    Command::Import(args) => import::command(&global, &args).await,
                    Command::Export(args) => customers::export(&global, &args).await,
                    Command::Sandbox(args) => sandbox_cmd::command(&global, &args).await,
                    Command::Demo => demo::command().await,
                    Command::Validate(_) | Command::Completions { .. } => {
                        unreachable!()
                    }
                }
            })
        }
    }
}
