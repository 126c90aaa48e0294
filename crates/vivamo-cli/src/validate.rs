//! `vivamo validate`: every row checked offline with Vivamo's rules, plus duplicates within
//! the file.
//!
//! Duplicates (same `externalCustomerId`, same email case-insensitively, same normalized
//! phone) are found in constant memory per row: a first pass puts a 128-bit digest of every
//! key into a Bloom filter (about 12 bits per key) and keeps only the digests seen twice —
//! the candidates. The second pass validates each row and maps candidate digests to the
//! first valid row that holds them. No key string is retained; memory grows only with the
//! number of duplicated keys. Reading stdin (`-`) allows one pass only: every digest is then
//! kept (16 bytes + row number per key).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use siphasher::sip128::{Hasher128, SipHasher13};
use vivamo::rules::{self, CustomerInput, Environment, Violation};

use crate::cli::{FileFormat, GlobalOpts, ValidateArgs};
use crate::error::CliError;
use crate::input::{self, Parsed, Row};
use crate::report::{Line, Outcome, ReportWriter, Summary};

/// The kinds of key duplicates are looked for on.
const KINDS: [&str; 3] = ["externalCustomerId", "email", "phone"];

/// `vivamo validate FILE [--report R]`.
pub fn command(global: &GlobalOpts, args: &ValidateArgs) -> Result<u8, CliError> {
    let format = input::detect(&args.file, args.format)?;
    let mut report = ReportWriter::create(args.report.as_deref())?;
    let summary = validate_file(&args.file, format, global.env(), |line| report.write(line))?;
    report.finish()?;
    eprintln!(
        "validated {} rows for {}: {} valid, {} invalid, {} duplicate",
        summary.rows,
        global.env(),
        summary.valid,
        summary.invalid,
        summary.duplicate
    );
    Ok(if summary.all_ok() { 0 } else { 1 })
}

/// Validates every row of `path`, calling `sink` with each row's report line in file order.
pub fn validate_file(
    path: &Path,
    format: FileFormat,
    env: Environment,
    mut sink: impl FnMut(&Line) -> Result<(), CliError>,
) -> Result<Summary, CliError> {
    let mut checker = Checker::for_file(path, format, env)?;
    let mut summary = Summary::default();
    for row in input::rows(path, format)? {
        let line = match checker.check(row?) {
            Verdict::Settled(line) => line,
            Verdict::Valid(valid) => Line {
                row: valid.row,
                external_id: valid.external_id,
                outcome: Outcome::Valid,
                error_kind: String::new(),
                message: warnings(&valid.report.warnings),
                request_id: String::new(),
            },
        };
        summary.add(line.outcome);
        sink(&line)?;
    }
    Ok(summary)
}

/// The offline verdict on every row of a file, in file order: Vivamo's rules, then
/// duplicates within the file. `validate` and `import` share it, so both judge a file alike.
pub struct Checker {
    env: Environment,
    dedup: Dedup,
}

/// What [`Checker::check`] says of a row.
pub enum Verdict {
    /// Unreadable, invalid or a duplicate of an earlier row: its report line.
    Settled(Line),
    /// Passes every offline check (boxed: the normalized customer is large).
    Valid(Box<Valid>),
}

/// A row that passes every offline check.
pub struct Valid {
    /// Row number.
    pub row: u64,
    /// Its externalCustomerId as given.
    pub external_id: String,
    /// `verifyAfterCreation`.
    pub verify: bool,
    /// The rules' report: the normalized customer and its warnings.
    pub report: rules::Report,
}

impl Checker {
    /// A checker for the rows of `path`. For a file, a first pass finds the keys that may
    /// repeat (see the module's documentation); stdin (`-`) is read once, so every key is kept.
    pub fn for_file(path: &Path, format: FileFormat, env: Environment) -> Result<Self, CliError> {
        let dedup = if path.as_os_str() == "-" {
            return Ok(Checker::single_pass(env));
        } else {
            let lines = input::count_lines(path)?;
            let mut bloom = Bloom::new(lines.saturating_mul(3));
            let mut candidates = HashSet::new();
            for row in input::rows(path, format)? {
                if let Ok(Parsed { input, .. }) = row?.parsed {
                    for key in keys(&input).into_iter().flatten() {
                        if !bloom.insert(key) {
                            candidates.insert(key);
                        }
                    }
                }
            }
            drop(bloom);
            Dedup::with_candidates(candidates)
        };
        Ok(Checker { env, dedup })
    }

    /// A checker reading rows once (a stream): every key is kept, 16 bytes + a row number each.
    pub fn single_pass(env: Environment) -> Self {
        Checker {
            env,
            dedup: Dedup::single_pass(),
        }
    }

    /// The verdict on the next row; rows must come in file order (the first row wins).
    pub fn check(&mut self, row: Row) -> Verdict {
        let parsed = match row.parsed {
            Ok(p) => p,
            Err(m) => return Verdict::Settled(malformed(row.number, m)),
        };
        let report = rules::validate_create(&parsed.input, self.env);
        let external_id = parsed
            .input
            .external_customer_id
            .clone()
            .unwrap_or_default();
        if !report.errors.is_empty() {
            return Verdict::Settled(Line {
                row: row.number,
                external_id,
                outcome: Outcome::Invalid,
                error_kind: "validation".into(),
                message: violations(&report.errors),
                request_id: String::new(),
            });
        }
        if let Some((kind, first)) = self.dedup.check(row.number, keys(&parsed.input)) {
            return Verdict::Settled(Line {
                row: row.number,
                external_id,
                outcome: Outcome::Duplicate,
                error_kind: "duplicate".into(),
                message: format!("duplicate of row {first} (same {})", KINDS[kind]),
                request_id: String::new(),
            });
        }
        Verdict::Valid(Box::new(Valid {
            row: row.number,
            external_id,
            verify: parsed.verify,
            report,
        }))
    }
}

/// The report line of an unreadable row.
pub fn malformed(row: u64, m: input::Malformed) -> Line {
    Line {
        row,
        external_id: m.external_id,
        outcome: Outcome::Invalid,
        error_kind: "malformed".into(),
        message: m.message,
        request_id: String::new(),
    }
}

/// `field: message; field: message`.
pub fn violations(v: &[Violation]) -> String {
    v.iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Warnings as a message (empty when none).
pub fn warnings(v: &[Violation]) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!("warning: {}", violations(v))
    }
}

/// The digests of a row's keys: id (trimmed), email (trimmed, lowercased), phone (E.164).
/// Computed from the row as given, identically in both passes.
fn keys(input: &CustomerInput) -> [Option<u128>; 3] {
    let id = input
        .external_customer_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| digest(0, s));
    let email = input
        .data
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| digest(1, &s.to_lowercase()));
    let phone = input
        .data
        .phone
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| rules::normalize_phone(s).ok())
        .map(|s| digest(2, &s));
    [id, email, phone]
}

fn digest(kind: u8, value: &str) -> u128 {
    let mut h = SipHasher13::new_with_keys(0x7669_7661_6d6f_0001, 0x6465_6475_7065_0002);
    std::hash::Hasher::write(&mut h, &[kind]);
    std::hash::Hasher::write(&mut h, value.as_bytes());
    h.finish128().as_u128()
}

/// Finds, for each valid row, the first earlier valid row sharing a key.
struct Dedup {
    /// Digests that may repeat; `None` = every digest (single pass).
    candidates: Option<HashSet<u128>>,
    first: HashMap<u128, u64>,
}

impl Dedup {
    fn single_pass() -> Self {
        Dedup {
            candidates: None,
            first: HashMap::new(),
        }
    }

    fn with_candidates(candidates: HashSet<u128>) -> Self {
        Dedup {
            candidates: Some(candidates),
            first: HashMap::new(),
        }
    }

    /// `Some((kind, first_row))` when the row repeats a key; otherwise claims its keys.
    fn check(&mut self, row: u64, keys: [Option<u128>; 3]) -> Option<(usize, u64)> {
        let tracked = |k: &u128| self.candidates.as_ref().is_none_or(|c| c.contains(k));
        let keys: Vec<(usize, u128)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.filter(tracked).map(|k| (i, k)))
            .collect();
        for &(kind, k) in &keys {
            if let Some(&first) = self.first.get(&k) {
                return Some((kind, first));
            }
        }
        for (_, k) in keys {
            self.first.insert(k, row);
        }
        None
    }
}

/// A Bloom filter over 128-bit digests: ~12 bits and 7 probes per key (under 1 % false
/// positives), so the first pass keeps no per-key data.
struct Bloom {
    bits: Vec<u64>,
    len: u64,
}

impl Bloom {
    fn new(keys: u64) -> Self {
        let len = keys.saturating_mul(12).max(1024);
        Bloom {
            bits: vec![0; len.div_ceil(64) as usize],
            len,
        }
    }

    /// Inserts `key`; `false` when it was (probably) there already.
    fn insert(&mut self, key: u128) -> bool {
        let (h1, h2) = (key as u64, (key >> 64) as u64 | 1);
        let mut fresh = false;
        for i in 0..7u64 {
            let bit = h1.wrapping_add(i.wrapping_mul(h2)) % self.len;
            let (w, m) = ((bit / 64) as usize, 1u64 << (bit % 64));
            fresh |= self.bits[w] & m == 0;
            self.bits[w] |= m;
        }
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bloom_reports_repeats() {
        let mut b = Bloom::new(100);
        assert!(b.insert(digest(1, "a@example.com")));
        assert!(b.insert(digest(1, "b@example.com")));
        assert!(!b.insert(digest(1, "a@example.com")));
    }

    #[test]
    fn dedup_first_valid_row_stands() {
        let mut d = Dedup::single_pass();
        let a = [Some(digest(0, "1")), Some(digest(1, "a@x.co")), None];
        let b = [Some(digest(0, "2")), Some(digest(1, "a@x.co")), None];
        assert_eq!(d.check(1, a), None);
        assert_eq!(d.check(2, b), Some((1, 1)));
        // Row 2 claimed nothing: its id is still free.
        assert_eq!(d.check(3, [Some(digest(0, "2")), None, None]), None);
    }

    #[test]
    fn email_and_phone_keys_are_normalized() {
        let input = |id: &str, email: &str, phone: &str| CustomerInput {
            external_customer_id: Some(id.into()),
            data: rules::CustomerData {
                email: Some(email.into()),
                phone: Some(phone.into()),
                ..Default::default()
            },
        };
        let a = keys(&input("1", "Jane@Example.com", "(415) 555-2671"));
        let b = keys(&input(" 1 ", "jane@example.com ", "+1 415 555 2671"));
        assert_eq!(a, b);
    }
}
