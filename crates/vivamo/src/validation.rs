//! How much the client checks a customer before sending it.

use std::fmt;
use std::str::FromStr;

use vivamo_rules::Environment;

use crate::error::{Error, Result};

/// How much the client checks a customer before sending it.
///
/// ```
/// assert_eq!("warn".parse::<vivamo::Validation>().unwrap(), vivamo::Validation::Warn);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Validation {
    /// Refuse, before sending, a customer the environment would reject (every violation listed).
    Strict,
    /// Send the normalized customer and report the violations as warnings.
    Warn,
    /// Send the customer as given (phones are still sent in E.164 when they can be).
    Off,
}

impl Validation {
    /// The default for an environment: `Strict` in production, `Warn` in the sandbox.
    pub fn default_for(environment: Environment) -> Self {
        match environment {
            Environment::Production => Validation::Strict,
            Environment::Sandbox => Validation::Warn,
        }
    }

    /// The lower-case name: `strict`, `warn` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Validation::Strict => "strict",
            Validation::Warn => "warn",
            Validation::Off => "off",
        }
    }
}

impl fmt::Display for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Validation {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "strict" => Ok(Validation::Strict),
            "warn" => Ok(Validation::Warn),
            "off" => Ok(Validation::Off),
            _ => Err(Error::config(format!(
                "unknown validation setting {s:?}: use \"strict\", \"warn\" or \"off\""
            ))),
        }
    }
}
