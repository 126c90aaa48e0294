//! Import's journal: `REPORT.journal`, one line per settled row in the order rows settle,
//! each written with one `write` so a killed process loses at most the rows in flight; what
//! an earlier run's journal says (`--resume`, `--retry-failed`); and the final report, built
//! from it in file order.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::report::{encode, Line, Outcome, Summary, HEADER};

/// The journal of an import: `REPORT.journal`.
pub struct Journal {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
}

/// Which rows of an earlier run an import sends again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rerun {
    /// `--resume`: every row not settled, and the rows that failed for a transient reason
    /// (connection, timeout, rate limit, server error).
    Resume,
    /// `--retry-failed`: only the rows whose last outcome is `failed`, whatever the reason.
    RetryFailed,
}

/// What an earlier run's journal says.
pub struct Resumed {
    /// The rows not to send again.
    pub skip: RowSet,
    /// Counts of those rows.
    pub summary: Summary,
    /// How many of the journal's rows are sent again.
    pub resent: u64,
    /// `--retry-failed`: the rows to send; every other row is skipped.
    pub only: Option<RowSet>,
}

/// The error kinds of a failure worth sending again on `--resume`.
const TRANSIENT: [&str; 4] = ["connection", "timeout", "rate_limited", "server"];

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

/// The last outcome of each row of a journal, one byte a row.
#[derive(Default)]
struct LastOutcomes(Vec<u8>);

impl LastOutcomes {
    const TRANSIENT_FAILURE: u8 = 200;

    fn set(&mut self, row: u64, outcome: Outcome, error_kind: &str) {
        let code = if outcome == Outcome::Failed && TRANSIENT.contains(&error_kind) {
            Self::TRANSIENT_FAILURE
        } else {
            outcome as u8 + 1
        };
        let i = row as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] = code;
    }

    fn into_resumed(self, rerun: Rerun) -> Resumed {
        let mut resumed = Resumed {
            skip: RowSet::default(),
            summary: Summary::default(),
            resent: 0,
            only: (rerun == Rerun::RetryFailed).then(RowSet::default),
        };
        for (row, &code) in self.0.iter().enumerate() {
            if code == 0 {
                continue;
            }
            let outcome = if code == Self::TRANSIENT_FAILURE {
                Outcome::Failed
            } else {
                OUTCOMES[usize::from(code - 1)]
            };
            let again = match rerun {
                Rerun::Resume => code == Self::TRANSIENT_FAILURE,
                Rerun::RetryFailed => outcome == Outcome::Failed,
            };
            if again {
                resumed.resent += 1;
                if let Some(only) = &mut resumed.only {
                    only.insert(row as u64);
                }
            } else {
                resumed.skip.insert(row as u64);
                resumed.summary.add(outcome);
            }
        }
        resumed
    }
}

/// Every outcome, in declaration order (`outcome as u8` indexes it).
const OUTCOMES: [Outcome; 6] = [
    Outcome::Created,
    Outcome::AlreadyExists,
    Outcome::Valid,
    Outcome::Invalid,
    Outcome::Duplicate,
    Outcome::Failed,
];

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

    /// Opens an existing journal to run again: reads each row's last outcome, drops a torn
    /// last line, and positions for appending. A missing journal holds nothing.
    pub fn resume(path: PathBuf, rerun: Rerun) -> Result<(Journal, Resumed), CliError> {
        let mut last = LastOutcomes::default();
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
                    Some((row, outcome, record.get(3).unwrap_or_default()))
                });
                let Some((row, outcome, error_kind)) = parsed else {
                    return Err(CliError::Failure(format!(
                        "the journal {} is damaged after byte {good_end}: delete it (and its report) to start over",
                        path.display()
                    )));
                };
                last.set(row, outcome, error_kind);
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
            last.into_resumed(rerun),
        ))
    }

    /// Appends one settled row with a single write (it survives a kill of this process).
    pub fn append(&mut self, line: &Line) -> Result<(), CliError> {
        encode(line, &mut self.buf);
        self.file
            .write_all(&self.buf)
            .map_err(|e| CliError::io("write", &self.path, e))
    }

    /// Syncs the journal to disk and writes the report: the header, then each row's last
    /// journal line, in file order (the journal itself stays in the order rows settled).
    pub fn finish(self, report: &Path) -> Result<(), CliError> {
        self.file
            .sync_data()
            .map_err(|e| CliError::io("sync", &self.path, e))?;
        drop(self.file);
        let path = &self.path;
        let read_err = |e| CliError::io("read", path, e);
        // Where each row's last line is: (offset, length), 12 bytes a row.
        let mut index: Vec<(u64, u32)> = Vec::new();
        {
            let file = File::open(path).map_err(|e| CliError::io("open", path, e))?;
            let mut reader = BufReader::with_capacity(1 << 16, file);
            let mut line = Vec::new();
            let mut offset = 0u64;
            loop {
                line.clear();
                let n = reader.read_until(b'\n', &mut line).map_err(read_err)?;
                if n == 0 {
                    break;
                }
                if let Some(row) = leading_number(&line) {
                    let i = row as usize;
                    if index.len() <= i {
                        index.resize(i + 1, (0, 0));
                    }
                    index[i] = (offset, n as u32);
                }
                offset += n as u64;
            }
        }
        let tmp = {
            let mut s = report.as_os_str().to_owned();
            s.push(".tmp");
            PathBuf::from(s)
        };
        let write_err = |e| CliError::io("write", &tmp, e);
        let out = File::create(&tmp).map_err(|e| CliError::io("create", &tmp, e))?;
        let mut out = BufWriter::with_capacity(1 << 16, out);
        writeln!(out, "{}", HEADER.join(",")).map_err(write_err)?;
        let file = File::open(path).map_err(|e| CliError::io("open", path, e))?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut position = 0u64;
        let mut line = Vec::new();
        for &(offset, len) in index.iter().filter(|(_, len)| *len > 0) {
            // Rows settle nearly in file order: most of these moves stay within the buffer.
            reader
                .seek_relative(offset as i64 - position as i64)
                .map_err(read_err)?;
            line.resize(len as usize, 0);
            reader.read_exact(&mut line).map_err(read_err)?;
            position = offset + u64::from(len);
            out.write_all(&line).map_err(write_err)?;
        }
        out.flush().map_err(write_err)?;
        drop(out);
        std::fs::rename(&tmp, report).map_err(|e| CliError::io("write", report, e))
    }
}

/// The row number a journal line starts with.
fn leading_number(line: &[u8]) -> Option<u64> {
    let end = line.iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(&line[..end]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(row: u64, outcome: Outcome, error_kind: &str) -> Line {
        Line {
            row,
            external_id: format!("u{row}"),
            outcome,
            error_kind: error_kind.into(),
            message: String::new(),
            request_id: String::new(),
        }
    }

    #[test]
    fn resume_sends_transient_failures_again_and_retry_failed_every_failure() {
        let dir = std::env::temp_dir().join(format!("vivamo-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.csv.journal");
        let mut journal = Journal::create(path.clone()).unwrap();
        for l in [
            line(2, Outcome::Failed, "server"),
            line(1, Outcome::Created, ""),
            line(3, Outcome::Failed, "email_already_in_use"),
            line(4, Outcome::Duplicate, "duplicate"),
            line(5, Outcome::Failed, "connection"),
            line(5, Outcome::AlreadyExists, ""),
        ] {
            journal.append(&l).unwrap();
        }
        drop(journal);

        let (_, resumed) = Journal::resume(path.clone(), Rerun::Resume).unwrap();
        assert_eq!(resumed.resent, 1);
        assert!(!resumed.skip.contains(2), "a server failure is sent again");
        for row in [1, 3, 4, 5] {
            assert!(resumed.skip.contains(row), "{row}");
        }
        assert_eq!(resumed.summary.failed, 1);
        assert_eq!(resumed.summary.rows, 4);
        assert!(resumed.only.is_none());

        let (journal, retry) = Journal::resume(path.clone(), Rerun::RetryFailed).unwrap();
        let only = retry.only.unwrap();
        assert!(only.contains(2) && only.contains(3));
        assert!(!only.contains(1) && !only.contains(5) && !only.contains(6));
        assert_eq!(retry.summary.rows, 3);

        let report = dir.join("r.csv");
        journal.finish(&report).unwrap();
        let text = std::fs::read_to_string(&report).unwrap();
        let rows: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(
            rows,
            ["1", "2", "3", "4", "5"],
            "file order, last line per row"
        );
        assert!(text.contains("5,u5,already_exists"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
