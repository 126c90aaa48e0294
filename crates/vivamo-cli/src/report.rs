//! The per-row report (CSV) shared by `validate` and `import` (whose journal, in
//! `journal.rs`, holds the same records).
//!
//! Report columns: `row,externalCustomerId,outcome,errorKind,message,requestId`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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
    /// Rejected for its content: unreadable, a rule, or refused by Vivamo for it.
    Invalid,
    /// Repeats the id, email or phone of an earlier row of the file (the message names it).
    Duplicate,
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
            Outcome::Duplicate => "duplicate",
            Outcome::Failed => "failed",
        }
    }

    /// The outcome a report names.
    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "created" => Outcome::Created,
            "already_exists" => Outcome::AlreadyExists,
            "valid" => Outcome::Valid,
            "invalid" => Outcome::Invalid,
            "duplicate" => Outcome::Duplicate,
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
    /// `duplicate`.
    pub duplicate: u64,
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
            Outcome::Duplicate => self.duplicate += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    /// Whether every row succeeded.
    pub fn all_ok(&self) -> bool {
        self.invalid == 0 && self.duplicate == 0 && self.failed == 0
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
