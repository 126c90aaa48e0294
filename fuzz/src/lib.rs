//! What the fuzz targets reach that the crates keep private: the CLI's row reader (the
//! `vivamo` command has no library) and the SDK's `Retry-After` reading, compiled here from
//! their own source files, unchanged.

#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, SystemTime};

/// The CLI's command-line types (`FileFormat` is what the row reader uses).
#[path = "../../crates/vivamo-cli/src/cli.rs"]
mod cli;
/// The CLI's field flags and file columns, generated from openapi.yaml.
#[path = "../../crates/vivamo-cli/src/generated.rs"]
mod generated;
/// The CLI's error type, which the row reader returns.
#[path = "../../crates/vivamo-cli/src/error.rs"]
mod error;
/// The CLI's CSV and JSONL row reader.
#[path = "../../crates/vivamo-cli/src/input.rs"]
pub mod input;
/// The SDK's `Retry-After` parser.
#[path = "../../crates/vivamo/src/retry_after.rs"]
mod retry_after;

pub use cli::FileFormat;

/// The longest wait a `Retry-After` can ask for.
pub const MAX_RETRY_AFTER: Duration = retry_after::MAX_RETRY_AFTER;

/// `vivamo`'s reading of a `Retry-After` value at `now`.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    retry_after::parse(value, now)
}

/// Every row of `bytes` read as `format`, or the error that stopped the file (an unusable
/// CSV header; I/O errors cannot happen in memory).
pub fn rows(bytes: Vec<u8>, format: FileFormat) -> Result<Vec<input::Row>, String> {
    let rows = input::Rows::new(Box::new(std::io::Cursor::new(bytes)), format)
        .map_err(|e| e.to_string())?;
    rows.map(|r| r.map_err(|e| e.to_string())).collect()
}
