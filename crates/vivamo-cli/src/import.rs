//! `vivamo import`: creates every customer of a file, with `ensure` semantics, bounded
//! concurrency, a per-row report and a journal that makes an interrupted run resumable.
//!
//! Pipeline: a reader thread streams rows, judges each offline with `validate`'s
//! [`Checker`] (Vivamo's rules, then duplicates within the file: the first row wins), and
//! passes them into a bounded channel (so memory stays flat whatever the file size); up to
//! `--concurrency` valid rows are sent at once. Each row's transient failures (connection,
//! timeout, 429, 5xx) are retried by the SDK, with backoff and honouring `Retry-After`, until
//! the row's deadline (`--row-deadline`). Each settled row is appended to `REPORT.journal`
//! with one `write` (it survives a crash or a kill of this process; the journal is fsync'd at
//! the end). `--resume` skips the rows the journal settled for good and sends the rest again
//! (rows never settled, rows failed for a transient reason); `--retry-failed` sends only the
//! rows that failed. Rows in flight at a kill are simply sent again, which `ensure` makes safe.
//! At the end (or after Ctrl-C) the report is written: each row's last line, in file order.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use vivamo::{Client, ErrorKind, NewCustomer, Validation};

use crate::cli::{FileFormat, GlobalOpts, ImportArgs, Output};
use crate::error::CliError;
use crate::input::{self, Rows};
use crate::journal::{self, Journal, Rerun, RowSet};
use crate::pace::Pace;
use crate::progress::Progress;
use crate::report::{Line, Outcome, ReportWriter, Summary};
use crate::validate::{self, Checker, Valid, Verdict};

/// The first wait before a row is sent again after a transient failure, and the longest.
/// Bulk work keeps the first retries quick; `Retry-After` still wins when the API sends it.
pub const BACKOFF: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(5));

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
    let pace = Arc::new(Pace::new(args.concurrency as usize));
    let client = global.client(|b| {
        // Each row is validated here first, and sent normalized. The SDK retries its
        // transient failures until the row's deadline: bulk work has a larger budget than an
        // interactive call. Each 429 slows the whole import down.
        let on_429 = pace.clone();
        b.validation(Validation::Off)
            .deadline(Duration::from_secs(args.row_deadline))
            .max_retries(u32::MAX)
            .backoff(BACKOFF.0, BACKOFF.1)
            .on_retry(move |e| {
                if e.kind() == ErrorKind::RateLimited {
                    on_429.rate_limited(e.retry_after());
                }
            })
    })?;
    let rerun = match (args.resume, args.retry_failed) {
        (true, _) => Some(Rerun::Resume),
        (false, true) => Some(Rerun::RetryFailed),
        (false, false) => None,
    };
    if is_stdin && rerun.is_some() {
        return Err(CliError::Usage(
            "--resume and --retry-failed need a file: rows read from stdin cannot be matched to a journal".into(),
        ));
    }
    let journal = journal::journal_path(&report_path);
    if rerun == Some(Rerun::RetryFailed) && !journal.exists() {
        return Err(CliError::Usage(format!(
            "--retry-failed sends again the rows an earlier run left failed, but there is no journal at {}: pass the --report of that run",
            journal.display()
        )));
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
        checker: Checker::for_file(&args.file, format, global.env())?,
        rows: input::rows(&args.file, format)?,
        report: report_path.clone(),
        rerun,
        pace,
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
    /// The offline verdict on each row (rules and in-file duplicates), as `validate` gives it.
    pub checker: Checker,
    /// The rows.
    pub rows: Rows,
    /// Where the report goes; the journal is next to it.
    pub report: PathBuf,
    /// Which rows of an earlier run's journal to send again; `None` starts afresh.
    pub rerun: Option<Rerun>,
    /// Rows in flight: at most `--concurrency`, fewer while the API answers 429. The
    /// client's retries report their 429s to it.
    pub pace: Arc<Pace>,
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
        mut checker,
        rows,
        report: report_path,
        rerun,
        pace,
        mut progress,
    } = job;
    let concurrency = pace.max();
    let journal_path = journal::journal_path(&report_path);
    let (mut journal, skip, only, mut summary) = match rerun {
        Some(rerun) => {
            let (j, r) = Journal::resume(journal_path, rerun)?;
            if r.summary.rows > 0 || r.resent > 0 {
                eprintln!(
                    "resuming: {} rows already settled by an earlier run, {} failed rows sent again",
                    r.summary.rows, r.resent
                );
            }
            (j, r.skip, r.only, r.summary)
        }
        None => (
            Journal::create(journal_path)?,
            RowSet::default(),
            None,
            Summary::default(),
        ),
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

    // The reader thread: judges every row in file order (a duplicate is one of an earlier
    // row, settled or not), and streams the verdicts on rows to settle into a bounded channel.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Verdict, CliError>>(concurrency * 4);
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            for row in rows {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let row = match row {
                    Ok(row) => row,
                    Err(e) => {
                        let _ = tx.blocking_send(Err(e));
                        break;
                    }
                };
                let number = row.number;
                let verdict = checker.check(row);
                let wanted = match &only {
                    Some(only) => only.contains(number),
                    None => !skip.contains(number),
                };
                if wanted && tx.blocking_send(Ok(verdict)).is_err() {
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
                let pace = &pace;
                async move {
                    match item {
                        Ok(Verdict::Settled(line)) => Ok(line),
                        Ok(Verdict::Valid(valid)) => {
                            let _place = pace.acquire().await;
                            let line = settle(&client, *valid).await;
                            if line.error_kind != ErrorKind::RateLimited.as_str() {
                                pace.settled();
                            }
                            Ok(line)
                        }
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
                    progress.inc(pace.current());
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
    let rate_limited = pace.rate_limited_count();
    if rate_limited > 0 {
        eprintln!(
            "the API answered 429 (rate limited) {rate_limited} times: the import slowed down, ending at a pace of {} rows in flight",
            pace.current()
        );
    }
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

/// Creates one valid row; never fails (the outcome says what happened).
async fn settle(client: &Client, valid: Valid) -> Line {
    let Valid {
        row,
        external_id,
        verify,
        report: checked,
    } = valid;
    let new = NewCustomer {
        external_customer_id: checked.normalized.external_customer_id.unwrap_or_default(),
        verify_after_creation: verify,
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
                row,
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
                row,
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
                "duplicate": s.duplicate,
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
                &[
                    ("valid", s.valid),
                    ("invalid", s.invalid),
                    ("duplicate", s.duplicate),
                ]
            } else {
                &[
                    ("created", s.created),
                    ("already_exists", s.already_exists),
                    ("invalid", s.invalid),
                    ("duplicate", s.duplicate),
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
