//! `vivamo import`: creates every customer of a file, with `ensure` semantics, bounded
//! concurrency, a per-row report and a journal that makes an interrupted run resumable.
//!
//! Pipeline: a reader thread streams rows into a bounded channel (so memory is constant
//! whatever the file size); up to `--concurrency` rows are validated and sent at once; each
//! settled row is appended to `REPORT.journal` with one `write` (it survives a crash or a
//! kill of this process; the journal is fsync'd at the end). `--resume` skips the rows the
//! journal holds; rows in flight at a kill are simply sent again, which `ensure` makes safe.
//! At the end (or after Ctrl-C) the report is written: the header, then the journal's lines in
//! the order the rows settled.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::StreamExt;
use vivamo::rules::{self, Environment};
use vivamo::{Client, ErrorKind, NewCustomer, Validation};

use crate::cli::{retry_tuning, FileFormat, GlobalOpts, ImportArgs, Output};
use crate::error::CliError;
use crate::input::{self, Row, Rows};
use crate::progress::Progress;
use crate::report::{self, Journal, Line, Outcome, ReportWriter, RowSet, Summary};
use crate::validate;

/// Exit status after Ctrl-C.
pub const INTERRUPTED: u8 = 130;

/// `FILE.report.csv`, next to the input.
pub fn default_report(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".report.csv");
    PathBuf::from(s)
}

/// `vivamo import FILE ...`.
pub async fn command(global: &GlobalOpts, args: &ImportArgs) -> Result<u8, CliError> {
    let format = input::detect(&args.file, args.format)?;
    let is_stdin = args.file.as_os_str() == "-";
    let report_path = match (&args.report, is_stdin) {
        (Some(r), _) => r.clone(),
        (None, false) => default_report(&args.file),
        (None, true) => {
            return Err(CliError::Usage(
                "reading stdin: pass --report REPORT.csv to say where the report goes".into(),
            ))
        }
    };
    if args.dry_run {
        let mut report = ReportWriter::create(Some(&report_path))?;
        let summary =
            validate::validate_file(&args.file, format, global.env(), |l| report.write(l))?;
        report.finish()?;
        print_summary(global.output, &summary, &report_path, false, true);
        return Ok(if summary.all_ok() { 0 } else { 1 });
    }
    let client = global.client(|b| {
        // Each row is validated here first, and sent normalized.
        retry_tuning(args.max_retries, args.backoff_ms)(b).validation(Validation::Off)
    })?;
    if is_stdin && args.resume {
        return Err(CliError::Usage(
            "--resume needs a file: rows read from stdin cannot be matched to a journal".into(),
        ));
    }
    let total = if is_stdin {
        None
    } else {
        let lines = input::count_lines(&args.file)?;
        Some(match format {
            FileFormat::Csv => lines.saturating_sub(1),
            FileFormat::Jsonl => lines,
        })
    };
    let job = Job {
        client,
        environment: global.env(),
        rows: input::rows(&args.file, format)?,
        report: report_path.clone(),
        resume: args.resume,
        concurrency: args.concurrency as usize,
        progress: Progress::new(total),
    };
    let done = run(job).await?;
    print_summary(
        global.output,
        &done.summary,
        &report_path,
        done.interrupted,
        false,
    );
    Ok(if done.interrupted {
        INTERRUPTED
    } else if done.summary.all_ok() {
        0
    } else {
        1
    })
}

/// Everything an import needs.
pub struct Job {
    /// The client (validation `Off`: rows are validated by the job).
    pub client: Client,
    /// The rules to validate with.
    pub environment: Environment,
    /// The rows.
    pub rows: Rows,
    /// Where the report goes; the journal is next to it.
    pub report: PathBuf,
    /// Skip the rows the journal already holds.
    pub resume: bool,
    /// Creates in flight at most.
    pub concurrency: usize,
    /// Progress display.
    pub progress: Progress,
}

/// How an import ended.
pub struct Done {
    /// Counts, earlier runs' journal included.
    pub summary: Summary,
    /// Stopped by Ctrl-C.
    pub interrupted: bool,
}

/// Runs an import to its end (or to Ctrl-C) and writes the report.
pub async fn run(job: Job) -> Result<Done, CliError> {
    let Job {
        client,
        environment,
        rows,
        report: report_path,
        resume,
        concurrency,
        mut progress,
    } = job;
    let journal_path = report::journal_path(&report_path);
    let (mut journal, settled, mut summary) = if resume {
        let (j, r) = Journal::resume(journal_path)?;
        if r.summary.rows > 0 {
            eprintln!(
                "resuming: {} rows already settled by an earlier run",
                r.summary.rows
            );
        }
        (j, r.settled, r.summary)
    } else {
        (
            Journal::create(journal_path)?,
            RowSet::default(),
            Summary::default(),
        )
    };

    let stop = Arc::new(AtomicBool::new(false));
    let ctrl_c = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.store(true, Ordering::SeqCst);
                eprintln!("interrupted: finishing the rows in flight (Ctrl-C again to abort)");
                let _ = tokio::signal::ctrl_c().await;
                std::process::exit(i32::from(INTERRUPTED));
            }
        })
    };

    // The reader thread: streams rows not yet settled into a bounded channel.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Row, CliError>>(concurrency * 4);
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            for row in rows {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let fatal = row.is_err();
                if matches!(&row, Ok(r) if settled.contains(r.number)) {
                    continue;
                }
                if tx.blocking_send(row).is_err() || fatal {
                    break;
                }
            }
        })
    };

    let mut fatal: Option<CliError> = None;
    {
        let incoming = futures::stream::poll_fn(|cx| rx.poll_recv(cx));
        let stop_ref = &stop;
        let mut settled_rows = incoming
            .take_while(|_| futures::future::ready(!stop_ref.load(Ordering::SeqCst)))
            .map(|item| {
                let client = client.clone();
                async move {
                    match item {
                        Ok(row) => Ok(settle(&client, environment, row).await),
                        Err(e) => Err(e),
                    }
                }
            })
            .buffer_unordered(concurrency);
        while let Some(item) = settled_rows.next().await {
            match item {
                Ok(line) => {
                    journal.append(&line)?;
                    summary.add(line.outcome);
                    progress.inc();
                }
                Err(e) => {
                    stop.store(true, Ordering::SeqCst);
                    fatal = Some(e);
                }
            }
        }
    }
    drop(rx);
    progress.finish();
    ctrl_c.abort();
    let _ = reader.join();
    journal.finish(&report_path)?;
    if let Some(e) = fatal {
        return Err(e);
    }
    let interrupted = stop.load(Ordering::SeqCst);
    if interrupted {
        eprintln!(
            "stopped after {} rows: run the same command with --resume to continue",
            summary.rows
        );
    }
    Ok(Done {
        summary,
        interrupted,
    })
}

/// Validates and creates one row; never fails (the outcome says what happened).
async fn settle(client: &Client, environment: Environment, row: Row) -> Line {
    let parsed = match row.parsed {
        Ok(p) => p,
        Err(m) => return validate::malformed(row.number, m),
    };
    let external_id = parsed
        .input
        .external_customer_id
        .clone()
        .unwrap_or_default();
    let checked = rules::validate_create(&parsed.input, environment);
    if !checked.errors.is_empty() {
        return Line {
            row: row.number,
            external_id,
            outcome: Outcome::Invalid,
            error_kind: "validation".into(),
            message: validate::violations(&checked.errors),
            request_id: String::new(),
        };
    }
    let new = NewCustomer {
        external_customer_id: checked.normalized.external_customer_id.unwrap_or_default(),
        verify_after_creation: parsed.verify,
        data: checked.normalized.data,
    };
    match client.customers().ensure(new).await {
        Ok(ensured) => {
            let message = if checked.warnings.is_empty() {
                ensured.warnings.join("; ")
            } else {
                validate::warnings(&checked.warnings)
            };
            Line {
                row: row.number,
                external_id,
                outcome: if ensured.created {
                    Outcome::Created
                } else {
                    Outcome::AlreadyExists
                },
                error_kind: String::new(),
                message,
                request_id: String::new(),
            }
        }
        Err(e) => {
            let outcome = match e.kind() {
                ErrorKind::Validation
                | ErrorKind::EmailDomainNotSupported
                | ErrorKind::PhoneNotMobile
                | ErrorKind::BadRequest => Outcome::Invalid,
                _ => Outcome::Failed,
            };
            let mut message = e.message().to_string();
            for entry in e.errors() {
                for (k, v) in entry {
                    message.push_str(&format!("; {k}: {v}"));
                }
            }
            Line {
                row: row.number,
                external_id,
                outcome,
                error_kind: e.kind().as_str().to_string(),
                message,
                request_id: e.request_id().unwrap_or_default().to_string(),
            }
        }
    }
}

/// Prints the counts on stdout.
pub fn print_summary(output: Output, s: &Summary, report: &Path, interrupted: bool, dry_run: bool) {
    match output {
        Output::Json => {
            let mut v = serde_json::json!({
                "rows": s.rows,
                "invalid": s.invalid,
                "report": report.display().to_string(),
            });
            if dry_run {
                v["valid"] = s.valid.into();
            } else {
                v["created"] = s.created.into();
                v["alreadyExists"] = s.already_exists.into();
                v["failed"] = s.failed.into();
                v["interrupted"] = interrupted.into();
            }
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Output::Table => {
            let what = if dry_run { "checked" } else { "imported" };
            println!(
                "{what} {} rows{}",
                s.rows,
                if interrupted { " (interrupted)" } else { "" }
            );
            let counts: &[(&str, u64)] = if dry_run {
                &[("valid", s.valid), ("invalid", s.invalid)]
            } else {
                &[
                    ("created", s.created),
                    ("already_exists", s.already_exists),
                    ("invalid", s.invalid),
                    ("failed", s.failed),
                ]
            };
            for (name, n) in counts {
                println!("  {name:<16}{n:>8}");
            }
            println!("report: {}", report.display());
        }
    }
}
