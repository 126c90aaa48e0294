//! The SDK's logs: a level per client (`log_level`, else `VIVAMO_LOG`, else `warn`), each
//! record sent to `tracing` (target `vivamo`) and to the client's log sink, if it has one (the
//! Node and Python packages forward records to their `logger` and `logging`).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::error::{Error, Result};

/// Environment variable setting the log level when the client does not.
pub const ENV_LOG: &str = "VIVAMO_LOG";

/// How much the SDK logs. Ordered: `Off < Error < Warn < Info < Debug`.
///
/// - `warn`: failed attempts and `update`'s rule warnings;
/// - `info`: one line per attempt (method, path, status, attempt, elapsed ms, request id,
///   retry decision) — never the key, never a body;
/// - `debug`: also the request and response bodies, with `email` and `phone` masked.
///
/// ```
/// assert_eq!("info".parse::<vivamo::LogLevel>().unwrap(), vivamo::LogLevel::Info);
/// assert!(vivamo::LogLevel::Debug > vivamo::LogLevel::Warn);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Nothing.
    Off,
    /// Calls that failed for good.
    Error,
    /// Failed attempts and rule warnings (the default).
    Warn,
    /// One line per attempt.
    Info,
    /// Bodies too, personal fields masked.
    Debug,
}

impl LogLevel {
    /// The lower-case name: `off`, `error`, `warn`, `info` or `debug`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }

    /// `VIVAMO_LOG`, if set (an unknown value is a [`crate::ErrorKind::Config`] error).
    pub fn from_env() -> Result<Option<LogLevel>> {
        match std::env::var(ENV_LOG) {
            Ok(value) if !value.trim().is_empty() => value.parse().map(Some).map_err(|_| {
                Error::config(format!(
                    "{ENV_LOG}={value:?} is not a log level: use debug, info, warn, error or off"
                ))
            }),
            _ => Ok(None),
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogLevel {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => Ok(LogLevel::Off),
            "error" => Ok(LogLevel::Error),
            "warn" | "warning" => Ok(LogLevel::Warn),
            "info" => Ok(LogLevel::Info),
            "debug" | "trace" => Ok(LogLevel::Debug),
            _ => Err(Error::config(format!(
                "unknown log level {s:?}: use debug, info, warn, error or off"
            ))),
        }
    }
}

/// One log record, as given to a log sink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// Its level (never `Off`).
    pub level: LogLevel,
    /// One line, e.g. `GET /v1/customers/u1 -> 200 (attempt 1, 3 ms, request req_1): done`.
    pub message: String,
}

/// Receives the records a client logs at or above its level; see
/// [`crate::ClientBuilder::log_sink`].
pub type LogSink = Arc<dyn Fn(&LogRecord) + Send + Sync>;

/// A client's logger: its level and its sink.
#[derive(Clone)]
pub(crate) struct Logger {
    level: LogLevel,
    sink: Option<LogSink>,
}

impl Logger {
    pub(crate) fn new(level: LogLevel, sink: Option<LogSink>) -> Self {
        Logger { level, sink }
    }

    pub(crate) fn level(&self) -> LogLevel {
        self.level
    }

    pub(crate) fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::Off && level <= self.level
    }

    /// Logs `message` at `level` if the client's level lets it through.
    pub(crate) fn log(&self, level: LogLevel, message: impl FnOnce() -> String) {
        if !self.enabled(level) {
            return;
        }
        let message = message();
        match level {
            LogLevel::Off => {}
            LogLevel::Error => tracing::error!(target: "vivamo", "{message}"),
            LogLevel::Warn => tracing::warn!(target: "vivamo", "{message}"),
            LogLevel::Info => tracing::info!(target: "vivamo", "{message}"),
            LogLevel::Debug => tracing::debug!(target: "vivamo", "{message}"),
        }
        if let Some(sink) = &self.sink {
            sink(&LogRecord { level, message });
        }
    }
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("level", &self.level)
            .field("sink", &self.sink.is_some())
            .finish()
    }
}

/// A JSON body for a debug line: `email` and `phone` (at any depth) masked.
pub(crate) fn masked_body(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut value) => {
            mask(&mut value);
            value.to_string()
        }
        Err(_) => format!("<{} bytes, not JSON>", body.len()),
    }
}

/// A decoded value for a debug line, masked as [`masked_body`].
pub(crate) fn masked_value(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(mut value) => {
            mask(&mut value);
            value.to_string()
        }
        Err(_) => "<unprintable>".to_string(),
    }
}

fn mask(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if matches!(key.to_ascii_lowercase().as_str(), "email" | "phone")
                    && !field.is_null()
                {
                    *field = serde_json::Value::String("[masked]".into());
                } else {
                    mask(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn levels_gate_and_reach_the_sink() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = seen.clone();
        let logger = Logger::new(
            LogLevel::Info,
            Some(Arc::new(move |r: &LogRecord| {
                sink_seen.lock().unwrap().push(r.clone())
            })),
        );
        logger.log(LogLevel::Debug, || unreachable!("not formatted when off"));
        logger.log(LogLevel::Info, || "one".into());
        logger.log(LogLevel::Warn, || "two".into());
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].level, LogLevel::Info);
        assert!(!Logger::new(LogLevel::Off, None).enabled(LogLevel::Error));
        assert!("loud".parse::<LogLevel>().is_err());
    }

    #[test]
    fn bodies_are_masked_at_any_depth() {
        let body = br#"{"externalCustomerId":"u1","data":{"email":"jane@example.com","phone":"+14155552671","city":"Boston"}}"#;
        let shown = masked_body(body);
        assert!(
            !shown.contains("jane") && !shown.contains("4155552671"),
            "{shown}"
        );
        assert!(
            shown.contains("Boston") && shown.contains("[masked]"),
            "{shown}"
        );
        assert_eq!(masked_body(b"<html>"), "<6 bytes, not JSON>");
    }
}
