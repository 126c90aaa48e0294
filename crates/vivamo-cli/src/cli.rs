//! Command-line definitions (clap) and the client every online command builds.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use vivamo::{Client, Environment};

use crate::error::CliError;

/// The Vivamo Customers API from the command line: create and inspect customers, validate
/// and import files of them (resumable), export them, and run a local sandbox.
#[derive(Debug, Parser)]
#[command(
    name = "vivamo",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit status: 0 ok, 1 failure (API error, invalid or failed rows), \
                        2 usage error, 130 import interrupted by Ctrl-C."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after any subcommand.
#[derive(Debug, Args)]
pub struct GlobalOpts {
    /// Your secret API key [env: VIVAMO_API_KEY]. For `vivamo sandbox`: a key the sandbox
    /// accepts (repeatable, one operator each), as `vivamo-sandbox --api-key`.
    // Not `env = …`: the sandbox must not take the environment's (possibly real) key.
    #[arg(long, global = true, value_name = "KEY", action = clap::ArgAction::Append)]
    pub api_key: Vec<String>,
    /// Which Vivamo environment (and rule set) to use [default: production].
    #[arg(long, global = true, env = "VIVAMO_ENVIRONMENT", value_enum)]
    pub environment: Option<EnvArg>,
    /// Talk to this URL instead of the environment's (https, or http to loopback).
    #[arg(long, global = true, env = "VIVAMO_BASE_URL")]
    pub base_url: Option<String>,
    /// Output format of results on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Output::Table)]
    pub output: Output,
    /// Print the SDK's logs on stderr: -v one line per request attempt, -vv also the bodies
    /// (email and phone masked). Without it, VIVAMO_LOG=debug|info|warn|error|off does the same.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// `--environment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvArg {
    /// https://api.vivamo.co, every rule enforced.
    Production,
    /// https://api.test.vivamo.co, production-only rules only warn.
    #[value(alias = "test")]
    Sandbox,
}

impl From<EnvArg> for Environment {
    fn from(e: EnvArg) -> Self {
        match e {
            EnvArg::Production => Environment::Production,
            EnvArg::Sandbox => Environment::Sandbox,
        }
    }
}

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Human-readable.
    Table,
    /// JSON (the API's shapes).
    Json,
}

/// Input file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// Comma-separated with a header row.
    Csv,
    /// One JSON create request per line.
    Jsonl,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, get, update or list customers.
    #[command(subcommand)]
    Customers(CustomersCmd),
    /// Check every row of a CSV/JSONL file offline (no key needed), duplicates included.
    Validate(ValidateArgs),
    /// Create every customer of a CSV/JSONL file, with a report and a resumable journal.
    Import(ImportArgs),
    /// Write every customer as CSV (importable) or JSONL.
    Export(ExportArgs),
    /// A customer's KYC verification, the review queue and manual decisions.
    #[command(subcommand)]
    Kyc(KycCmd),
    /// Sign or verify a webhook body, for testing a receiver (offline, no key needed).
    #[command(subcommand)]
    Webhooks(WebhooksCmd),
    /// Run the local sandbox of the API in the foreground.
    Sandbox(SandboxArgs),
    /// Walk through create, get, update, KYC, list and import against an embedded sandbox.
    Demo,
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomersCmd {
    /// Create a customer.
    Create(CreateArgs),
    /// Fetch a customer by your identifier.
    Get {
        /// The externalCustomerId.
        id: String,
    },
    /// Change fields of a customer.
    Update(UpdateArgs),
    /// List customers, one page or all of them.
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum KycCmd {
    /// Show a customer's verification, starting one (pending, with a widget secret) if none.
    Info {
        /// The externalCustomerId.
        id: String,
    },
    /// List the customers whose KYC submission awaits your decision.
    Review,
    /// Approve a verification under review.
    Approve(KycDecisionArgs),
    /// Reject a verification under review.
    Reject(KycDecisionArgs),
}

#[derive(Debug, Args)]
pub struct KycDecisionArgs {
    /// The externalCustomerId.
    pub id: String,
    /// The verification type.
    #[arg(long = "type", value_name = "TYPE", default_value = "proof_of_id")]
    pub kind: String,
}

#[derive(Debug, Subcommand)]
pub enum WebhooksCmd {
    /// Register a webhook; prints its id and its secret key (shown this once).
    Create {
        /// Where Vivamo POSTs events (https; http for a local receiver).
        url: String,
        /// A custom header sent with every delivery, `NAME=VALUE`; repeatable.
        #[arg(long = "header", value_name = "NAME=VALUE", value_parser = parse_header)]
        headers: Vec<(String, String)>,
    },
    /// List your webhooks.
    List,
    /// Change a webhook's URL, status, event types or headers (the secret never changes).
    Update {
        /// The webhook's id.
        id: String,
        /// The new URL.
        #[arg(long)]
        url: Option<String>,
        /// `active` or `inactive` (pauses deliveries).
        #[arg(long, value_parser = ["active", "inactive"])]
        status: Option<String>,
        /// An event type to deliver (transaction, kyc_verification, customer_w9_required,
        /// customer_w9_completed); repeatable; replaces the current list.
        #[arg(long = "event-type", value_name = "TYPE")]
        event_types: Vec<String>,
        /// Deliver every event type again.
        #[arg(long, conflicts_with = "event_types")]
        all_events: bool,
        /// Replace the custom headers with these, `NAME=VALUE`; repeatable.
        #[arg(long = "header", value_name = "NAME=VALUE", value_parser = parse_header)]
        headers: Vec<(String, String)>,
    },
    /// Delete a webhook.
    Delete {
        /// The webhook's id.
        id: String,
    },
    /// Print the signature Vivamo would send for a body (hex HMAC-SHA512).
    Sign {
        /// The webhook's secret key.
        #[arg(long, env = "VIVAMO_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// The raw body, or `-` for stdin.
        #[arg(value_name = "FILE|-", default_value = "-")]
        file: PathBuf,
    },
    /// Check a body against its `signature` header: exit 0 if it matches, 1 if not.
    Verify {
        /// The webhook's secret key.
        #[arg(long, env = "VIVAMO_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// The `signature` header as received.
        #[arg(long, value_name = "HEX")]
        signature: String,
        /// The raw body, or `-` for stdin.
        #[arg(value_name = "FILE|-", default_value = "-")]
        file: PathBuf,
    },
}

fn parse_header(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .filter(|(k, _)| !k.trim().is_empty())
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))
}

impl WebhooksCmd {
    /// Whether the subcommand works offline (sign, verify).
    pub fn is_offline(&self) -> bool {
        matches!(self, WebhooksCmd::Sign { .. } | WebhooksCmd::Verify { .. })
    }
}

/// The profile fields, as flags: generated from openapi.yaml.
pub use crate::generated::FieldArgs;

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The externalCustomerId (your identifier); required unless given in --json.
    #[arg(required_unless_present = "json")]
    pub id: Option<String>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Ask Vivamo to start KYC verification and return the links.
    #[arg(long)]
    pub verify_after_creation: bool,
    /// Read the create request (`{"externalCustomerId", "data": {...}}`) from FILE, or `-`
    /// for stdin; flags given as well override its fields.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The externalCustomerId.
    pub id: String,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Read the update (`{"data": {...}}`) from FILE, or `-` for stdin; flags override it.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Page number, from 1.
    #[arg(long, default_value_t = 1, conflicts_with = "all")]
    pub page: u64,
    /// Page size (at most 100).
    #[arg(long, default_value_t = 10)]
    pub size: u64,
    /// Every customer, page after page.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The CSV or JSONL file.
    pub file: PathBuf,
    /// Write the per-row report (CSV) here instead of stdout.
    #[arg(long, value_name = "REPORT.csv")]
    pub report: Option<PathBuf>,
    /// The file's format (default: from the extension).
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV or JSONL file.
    pub file: PathBuf,
    /// The most rows in flight at once; the import paces itself below it while the API
    /// answers 429 (halving on each burst, honouring Retry-After, climbing back after).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// Validate only: no network, outcomes `valid`/`invalid`.
    #[arg(long)]
    pub dry_run: bool,
    /// Per-row report (CSV) [default: FILE.report.csv]; the journal is REPORT.journal.
    #[arg(long, value_name = "REPORT.csv")]
    pub report: Option<PathBuf>,
    /// Continue an earlier run from its journal: skip the rows it settled for good, send the
    /// others again (never settled, or failed for a transient reason: connection, timeout,
    /// rate limit, server error).
    #[arg(long, conflicts_with = "retry_failed")]
    pub resume: bool,
    /// Send again only the rows the earlier run's journal (next to its report) marks
    /// `failed`, whatever the reason; every other row keeps its outcome.
    #[arg(long)]
    pub retry_failed: bool,
    /// Seconds each row's transient failures (connection, timeout, 429, 5xx) are retried
    /// before it is reported `failed`; retries back off from 0.1 s to 5 s, or wait what
    /// `Retry-After` asks.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub row_deadline: u64,
    /// The file's format (default: from the extension).
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FileFormat::Csv)]
    pub format: FileFormat,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Page size used to walk the list.
    #[arg(long, default_value_t = 100, hide = true)]
    pub page_size: u64,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to bind; 0 picks a free one.
    #[arg(long, default_value_t = 4010)]
    pub port: u16,
    /// `test` (production-only rules warn) or `production` (they are refused).
    #[arg(long, default_value = "test")]
    pub mode: String,
    /// Largest accepted page size.
    #[arg(long, default_value_t = 100)]
    pub max_page_size: u32,
    /// Seed of the fault-injection RNG.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Probability (0..=1) of a 500 before anything is done.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Probability (0..=1) that a write is applied and its response lost.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub lost_response_rate: f64,
    /// Milliseconds added to every request.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// Requests per second allowed per key (0 = unlimited).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rate_limit: u32,
    /// What "a minute" of the webhook retry schedule is, in milliseconds (the n-th retry
    /// comes n units after the previous attempt).
    #[arg(long, value_name = "N", default_value_t = 60_000)]
    pub webhook_retry_unit_ms: u64,
    /// Milliseconds a webhook receiver has to answer an attempt.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub webhook_timeout_ms: u64,
    /// Probability (0..=1) that an event is delivered twice.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub webhook_duplicate_rate: f64,
    /// Deliver webhooks to any host (by default loopback addresses only).
    #[arg(long)]
    pub webhook_allow_any_host: bool,
}

impl GlobalOpts {
    /// The environment: `--environment`, else production.
    pub fn env(&self) -> Environment {
        self.environment.map(Into::into).unwrap_or_default()
    }

    /// A client from the global options; a missing key is one sentence (exit 2).
    pub fn client(
        &self,
        tune: impl FnOnce(vivamo::ClientBuilder) -> vivamo::ClientBuilder,
    ) -> Result<Client, CliError> {
        let from_env = std::env::var("VIVAMO_API_KEY").ok();
        let key = match (self.api_key.as_slice(), from_env.as_deref().map(str::trim)) {
            ([one], _) if !one.trim().is_empty() => one.trim().to_string(),
            ([_, _, ..], _) => {
                return Err(CliError::Usage(
                    "--api-key given more than once: only `vivamo sandbox` accepts several".into(),
                ))
            }
            ([], Some(k)) if !k.is_empty() => k.to_string(),
            _ => {
                return Err(CliError::Usage(
                    "no API key: pass --api-key or set the VIVAMO_API_KEY environment variable"
                        .into(),
                ))
            }
        };
        let mut builder = Client::builder()
            .api_key(key)
            .environment(self.env())
            .user_agent(format!("vivamo-cli/{}", vivamo::VERSION));
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.clone());
        }
        let level = match self.verbose {
            0 => vivamo::LogLevel::from_env()?,
            1 => Some(vivamo::LogLevel::Info),
            _ => Some(vivamo::LogLevel::Debug),
        };
        if let Some(level) = level {
            builder = builder
                .log_level(level)
                .log_sink(|record: &vivamo::LogRecord| {
                    eprintln!("vivamo {}: {}", record.level, record.message)
                });
        }
        Ok(tune(builder).build()?)
    }
}

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "vivamo", &mut std::io::stdout());
}
