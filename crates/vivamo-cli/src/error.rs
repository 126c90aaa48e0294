//! The command's errors and their exit codes.

use std::fmt;

/// Why a command stopped early.
#[derive(Debug)]
pub enum CliError {
    /// The user asked for something that cannot work (exit 2).
    Usage(String),
    /// An error from the SDK (exit 1, or 2 for a configuration error).
    Sdk(vivamo::Error),
    /// Anything else that failed (exit 1): I/O, a file that cannot be read.
    Failure(String),
}

impl CliError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Sdk(e) if e.kind() == vivamo::ErrorKind::Config => 2,
            CliError::Sdk(_) | CliError::Failure(_) => 1,
        }
    }

    /// An I/O error on `path`, as one sentence.
    pub fn io(action: &str, path: &std::path::Path, e: std::io::Error) -> Self {
        CliError::Failure(format!("cannot {action} {}: {e}", path.display()))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Failure(m) => f.write_str(m),
            // The SDK's Display is one sentence with the HTTP status, kind and request id.
            CliError::Sdk(e) => write!(f, "{e}"),
        }
    }
}

impl From<vivamo::Error> for CliError {
    fn from(e: vivamo::Error) -> Self {
        CliError::Sdk(e)
    }
}
