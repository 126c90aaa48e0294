//! The per-row report (CSV) shared by `validate` and `import`, and import's journal.
//!
//! Report columns: `row,externalCustomerId,outcome,errorKind,message,requestId`. The journal
//! holds the same records without the header, one line per settled row, written with one
//! `write` each so a killed process loses at most the rows in flight.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// The report's header.
pub const HEADER: [&str; 6] = [
    "row",
    "externalCustomerId",
    "outcome",
    "errorKind",
    "message",
    "requestId",
];

/// How a row ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Created by this run.
    Created,
    /// Already there with the same email.
    AlreadyExists,
    /// Passes every check (validate, dry run).
    Valid,
    /// Rejected for its content: unreadable, a rule, a duplicate, or refused by Vivamo for it.
    Invalid,
    /// Could not be created for another reason (conflict, server, network).
    Failed,
}

impl Outcome {
    /// The report's name of the outcome.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::AlreadyExists => "already_exists",
            Outcome::Valid => "valid",
            Outcome::Invalid => "invalid",
            Outcome::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "created" => Outcome::Created,
            "already_exists" => Outcome::AlreadyExists,
            "valid" => Outcome::Valid,
            "invalid" => Outcome::Invalid,
            "failed" => Outcome::Failed,
            _ => return None,
        })
    }
}

/// One settled row.
#[derive(Debug, Clone)]
pub struct Line {
    /// Row number.
    pub row: u64,
    /// Its externalCustomerId (possibly empty).
    pub external_id: String,
    /// The outcome.
    pub outcome: Outcome,
    /// `validation`, `duplicate`, `malformed` or the SDK's error kind; empty on success.
    pub error_kind: String,
    /// One line of detail (errors, warnings).
    pub message: String,
    /// The request id of the failing request, when known.
    pub request_id: String,
}

/// Counts per outcome.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Rows settled.
    pub rows: u64,
    /// `created`.
    pub created: u64,
    /// `already_exists`.
    pub already_exists: u64,
    /// `valid`.
    pub valid: u64,
    /// `invalid`.
    pub invalid: u64,
    /// `failed`.
    pub failed: u64,
}

impl Summary {
    /// Counts one row.
    pub fn add(&mut self, outcome: Outcome) {
        self.rows += 1;
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::AlreadyExists => self.already_exists += 1,
            Outcome::Valid => self.valid += 1,
            Outcome::Invalid => self.invalid += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    /// Whether every row succeeded.
    pub fn all_ok(&self) -> bool {
        self.invalid == 0 && self.failed == 0
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// Encodes `line` as one CSV record (with its newline) into `buf`.
pub fn encode(line: &Line, buf: &mut Vec<u8>) {
    buf.clear();
    let mut w = csv::WriterBuilder::new().from_writer(&mut *buf);
    let row = line.row.to_string();
    let _ = w.write_record([
        row.as_str(),
        &one_line(&line.external_id),
        line.outcome.as_str(),
        &line.error_kind,
        &one_line(&line.message),
        &line.request_id,
    ]);
    let _ = w.flush();
}

/// A buffered report writer (validate, dry run).
pub struct ReportWriter {
    out: BufWriter<Box<dyn Write>>,
    buf: Vec<u8>,
}

impl ReportWriter {
    /// Writes the header to `out`.
    pub fn new(out: Box<dyn Write>) -> Result<Self, CliError> {
        let mut out = BufWriter::with_capacity(1 << 16, out);
        writeln!(out, "{}", HEADER.join(",")).map_err(write_err)?;
        Ok(ReportWriter {
            out,
            buf: Vec::with_capacity(256),
        })
    }

    /// Creates `path` (or stdout when `None`).
    pub fn create(path: Option<&Path>) -> Result<Self, CliError> {
        let out: Box<dyn Write> = match path {
            Some(p) => Box::new(File::create(p).map_err(|e| CliError::io("create", p, e))?),
            None => Box::new(std::io::stdout()),
        };
        Self::new(out)
    }

    /// Appends one row.
    pub fn write(&mut self, line: &Line) -> Result<(), CliError> {
        encode(line, &mut self.buf);
        self.out.write_all(&self.buf).map_err(write_err)
    }

    /// Flushes everything.
    pub fn finish(mut self) -> Result<(), CliError> {
        self.out.flush().map_err(write_err)
    }
}

fn write_err(e: std::io::Error) -> CliError {
    CliError::Failure(format!("cannot write the report: {e}"))
}

/// The journal of an import: `REPORT.journal`.
pub struct Journal {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
}

/// What an earlier run's journal says.
pub struct Resumed {
    /// Bit `n` set = row `n` settled.
    pub settled: RowSet,
    /// Counts of the settled rows.
    pub summary: Summary,
}

/// A compact set of row numbers (one bit per row).
#[derive(Default)]
pub struct RowSet(Vec<u64>);

impl RowSet {
    /// Adds `row`.
    pub fn insert(&mut self, row: u64) -> bool {
        let (i, bit) = ((row / 64) as usize, 1u64 << (row % 64));
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        let fresh = self.0[i] & bit == 0;
        self.0[i] |= bit;
        fresh
    }

    /// Whether `row` is in the set.
    pub fn contains(&self, row: u64) -> bool {
        self.0
            .get((row / 64) as usize)
            .is_some_and(|w| w & (1u64 << (row % 64)) != 0)
    }
}

/// The journal's path for a report path.
pub fn journal_path(report: &Path) -> PathBuf {
    let mut s = report.as_os_str().to_owned();
    s.push(".journal");
    PathBuf::from(s)
}

impl Journal {
    /// Starts a fresh journal (truncating an old one).
    pub fn create(path: PathBuf) -> Result<Journal, CliError> {
        let file = File::create(&path).map_err(|e| CliError::io("create", &path, e))?;
        Ok(Journal {
            path,
            file,
            buf: Vec::with_capacity(256),
        })
    }

    /// Opens an existing journal to resume: reads the settled rows, drops a torn last line,
    /// and positions for appending. A missing journal resumes nothing.
    pub fn resume(path: PathBuf) -> Result<(Journal, Resumed), CliError> {
        let mut resumed = Resumed {
            settled: RowSet::default(),
            summary: Summary::default(),
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| CliError::io("open", &path, e))?;
        let mut good_end = 0u64;
        {
            let mut reader = BufReader::with_capacity(1 << 16, &mut file);
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = reader
                    .read_until(b'\n', &mut line)
                    .map_err(|e| CliError::io("read", &path, e))?;
                if n == 0 || line.last() != Some(&b'\n') {
                    break; // the end, or a line torn by a kill
                }
                let mut rec = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(line.as_slice());
                let mut record = csv::StringRecord::new();
                let parsed = rec.read_record(&mut record).ok().and_then(|_| {
                    let row = record.get(0)?.parse::<u64>().ok()?;
                    let outcome = Outcome::parse(record.get(2)?)?;
                    Some((row, outcome))
                });
                let Some((row, outcome)) = parsed else {
                    return Err(CliError::Failure(format!(
                        "the journal {} is damaged after byte {good_end}: delete it (and its report) to start over",
                        path.display()
                    )));
                };
                if resumed.settled.insert(row) {
                    resumed.summary.add(outcome);
                }
                good_end += n as u64;
            }
        }
        file.set_len(good_end)
            .and_then(|()| file.seek(SeekFrom::End(0)).map(drop))
            .map_err(|e| CliError::io("repair", &path, e))?;
        Ok((
            Journal {
                path,
                file,
                buf: Vec::with_capacity(256),
            },
            resumed,
        ))
    }

    /// Appends one settled row with a single write (it survives a kill of this process).
    pub fn append(&mut self, line: &Line) -> Result<(), CliError> {
        encode(line, &mut self.buf);
        self.file
            .write_all(&self.buf)
            .map_err(|e| CliError::io("write", &self.path, e))
    }

    /// Syncs the journal to disk and writes the report: the header then every journal line.
    pub fn finish(self, report: &Path) -> Result<(), CliError> {
        self.file
            .sync_data()
            .map_err(|e| CliError::io("sync", &self.path, e))?;
        drop(self.file);
        let mut input = File::open(&self.path).map_err(|e| CliError::io("open", &self.path, e))?;
        let tmp = {
            let mut s = report.as_os_str().to_owned();
            s.push(".tmp");
            PathBuf::from(s)
        };
        let out = File::create(&tmp).map_err(|e| CliError::io("create", &tmp, e))?;
        let mut out = BufWriter::with_capacity(1 << 16, out);
        writeln!(out, "{}", HEADER.join(","))
            .and_then(|()| std::io::copy(&mut input, &mut out).map(drop))
            .and_then(|()| out.flush())
            .map_err(|e| CliError::io("write", &tmp, e))?;
        drop(out);
        std::fs::rename(&tmp, report).map_err(|e| CliError::io("write", report, e))
    }
}
