//! `vivamo demo`: the SDK end to end against an embedded sandbox; no key, no network.

use std::path::PathBuf;

use vivamo::{Client, CustomerUpdate, Environment, KycType, NewCustomer, Validation};
use vivamo_sandbox::{Mode, Sandbox};

use crate::cli::FileFormat;
use crate::customers::print_customer;
use crate::error::CliError;
use crate::import::{self, Job};
use crate::input;
use crate::pace::Pace;
use crate::progress::Progress;
use crate::report::Summary;
use crate::validate::Checker;

/// The bundled sample: ten rows, a few of which Vivamo would reject.
pub const SAMPLE: &str = include_str!("sample.csv");

fn step(n: u32, title: &str) {
    println!("\n== {n}. {title}");
}

/// Runs the walkthrough.
pub async fn command() -> Result<u8, CliError> {
    let sandbox = Sandbox::builder()
        .mode(Mode::Production)
        .spawn()
        .await
        .map_err(|e| CliError::Failure(format!("cannot start the embedded sandbox: {e}")))?;
    println!(
        "vivamo {} demo: an embedded sandbox emulating production is listening on {}",
        vivamo::VERSION,
        sandbox.base_url()
    );
    let client = Client::builder()
        .api_key(sandbox.api_key())
        .environment(Environment::Production)
        .base_url(sandbox.base_url())
        .build()?;
    let customers = client.customers();

    step(
        1,
        "create a customer (the phone is normalized to E.164 before sending)",
    );
    println!("   create demo_jane  email=jane@example.com  phone=\"(415) 555-2671\"");
    let created = customers
        .create(
            NewCustomer::new("demo_jane", "jane@example.com")
                .phone("(415) 555-2671")
                .first_name("Jane")
                .last_name("Doe")
                .country("us"),
        )
        .await?;
    print_customer(&created.customer);

    step(
        2,
        "a customer Vivamo would reject is caught before it is sent",
    );
    match customers
        .create(NewCustomer::new("demo_temp", "temp@mailinator.com").phone("555-0100"))
        .await
    {
        Ok(_) => println!("   unexpectedly created"),
        Err(e) => {
            println!("   refused ({}), nothing sent:", e.kind());
            for v in e.violations() {
                println!("   - {}: {}", v.field, v.message);
            }
        }
    }

    step(3, "get it back");
    let jane = customers.get("demo_jane").await?;
    print_customer(&jane);

    step(4, "update: she moved to Boston");
    let moved = customers
        .update(
            "demo_jane",
            CustomerUpdate::new().city("Boston").state("MA"),
        )
        .await?;
    print_customer(&moved);

    step(5, "get an unknown customer: one typed error");
    if let Err(e) = customers.get("nobody").await {
        println!("   {} -> {}", e.kind(), e.message());
    }

    step(
        6,
        "KYC: kyc-info starts a verification, the customer submits documents, you approve",
    );
    let info = customers.kyc_info("demo_jane").await?;
    crate::kyc::print_info(&info);
    // In the sandbox, the control route plays the customer submitting documents for review.
    submit_for_review(&sandbox, "demo_jane").await?;
    let queue = customers.kyc_for_review().await?;
    println!(
        "   awaiting review: {}",
        queue
            .iter()
            .map(|c| c.external_customer_id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let message = customers
        .approve_kyc("demo_jane", KycType::ProofOfId)
        .await?;
    println!("   approve demo_jane -> {message}");
    let info = customers.kyc_info("demo_jane").await?;
    crate::kyc::print_info(&info);

    step(
        7,
        "import the bundled sample (10 rows) with a report and a journal",
    );
    let dir = std::env::temp_dir().join(format!("vivamo-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::io("create", &dir, e))?;
    let report: PathBuf = dir.join("sample.csv.report.csv");
    let rows = input::Rows::new(Box::new(std::io::Cursor::new(SAMPLE)), FileFormat::Csv)?;
    let import_client = Client::builder()
        .api_key(sandbox.api_key())
        .environment(Environment::Production)
        .base_url(sandbox.base_url())
        .validation(Validation::Off)
        .build()?;
    let done = import::run(Job {
        client: import_client,
        checker: Checker::single_pass(Environment::Production),
        rows,
        report: report.clone(),
        rerun: None,
        pace: std::sync::Arc::new(Pace::new(1)),
        progress: Progress::Quiet,
    })
    .await?;
    print_report(&report)?;
    print_counts(&done.summary);

    step(8, "list everyone");
    let page = customers.list().page(1).size(20).send().await?;
    for c in &page.customers {
        println!(
            "   {:<10} {:<22} {}",
            c.external_customer_id,
            c.data.email,
            c.data.phone.as_deref().unwrap_or("-")
        );
    }
    println!("   {} customers", page.total);

    let _ = std::fs::remove_dir_all(&dir);
    sandbox.shutdown().await;
    println!("\nDone. Next: `vivamo sandbox` for a standing sandbox, `vivamo import --help`.");
    Ok(0)
}

/// Moves the customer's verification to `under_review` with the sandbox's control route, as
/// a customer submitting documents would.
async fn submit_for_review(
    sandbox: &vivamo_sandbox::SandboxHandle,
    id: &str,
) -> Result<(), CliError> {
    let url = format!("{}/__sandbox/customers/{id}/kyc", sandbox.base_url());
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(sandbox.api_key())
        .json(&serde_json::json!({ "status": "under_review" }))
        .send()
        .await
        .map_err(|e| CliError::Failure(format!("the embedded sandbox did not answer: {e}")))?;
    if !response.status().is_success() {
        return Err(CliError::Failure(format!(
            "the embedded sandbox refused the review submission: HTTP {}",
            response.status()
        )));
    }
    println!("   (the customer submits documents: {id} is now under review)");
    Ok(())
}

fn print_report(path: &std::path::Path) -> Result<(), CliError> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| CliError::Failure(format!("cannot read the report: {e}")))?;
    let mut lines: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    lines.sort_by_key(|r| r.get(0).and_then(|n| n.parse::<u64>().ok()));
    println!("   row  externalCustomerId  outcome         detail");
    for r in lines {
        let detail = match (r.get(3), r.get(4)) {
            (Some(""), Some(m)) => m.to_string(),
            (Some(k), Some(m)) => format!("[{k}] {m}"),
            _ => String::new(),
        };
        println!(
            "   {:>3}  {:<18}  {:<14}  {}",
            r.get(0).unwrap_or(""),
            r.get(1).unwrap_or(""),
            r.get(2).unwrap_or(""),
            detail
        );
    }
    Ok(())
}

fn print_counts(s: &Summary) {
    println!(
        "   {} rows: {} created, {} already there, {} invalid, {} duplicate, {} failed",
        s.rows, s.created, s.already_exists, s.invalid, s.duplicate, s.failed
    );
}
