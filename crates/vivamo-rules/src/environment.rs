//! The Vivamo environment a payload is validated for.

use std::fmt;
use std::str::FromStr;

/// The Vivamo environment a payload is validated for; it decides how strict the rules are.
///
/// In [`Environment::Production`] the disposable-domain, `+`-suffix and mobile-only checks
/// are errors, as the production API rejects such customers. In [`Environment::Sandbox`]
/// (Vivamo's `test` mode) the same findings are reported as warnings, because the sandbox
/// API accepts them and only warns that payments will likely fail. Syntax, phone shape and
/// missing-field findings are errors in both; country, US state and US ZIP findings are
/// warnings in both (Vivamo documents those formats, not a refusal).
///
/// ```
/// use vivamo_rules::Environment;
///
/// let env: Environment = "Sandbox".parse().unwrap();
/// assert_eq!(env, Environment::Sandbox);
/// assert_eq!("test".parse::<Environment>().unwrap(), Environment::Sandbox);
/// assert_eq!(Environment::default().to_string(), "production");
/// assert!("staging".parse::<Environment>().is_err());
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// The live API (`https://api.vivamo.co`): every rule is enforced.
    #[default]
    Production,
    /// The test API (`https://api.test.vivamo.co`): production-only rules only warn.
    Sandbox,
}

impl Environment {
    /// The lower-case name: `"production"` or `"sandbox"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
        }
    }

    /// `true` for [`Environment::Production`], where production-only rules are errors.
    pub const fn is_production(&self) -> bool {
        matches!(self, Environment::Production)
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no [`Environment`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseEnvironmentError {
    input: String,
}

impl ParseEnvironmentError {
    /// The string that could not be parsed.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ParseEnvironmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Vivamo environment {:?}: expected \"production\" or \"sandbox\" (\"test\" is accepted as sandbox)",
            self.input
        )
    }
}

impl std::error::Error for ParseEnvironmentError {}

impl FromStr for Environment {
    type Err = ParseEnvironmentError;

    /// Parses `production` or `sandbox` (also `test`, Vivamo's name for the sandbox),
    /// ignoring ASCII case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("production") {
            Ok(Environment::Production)
        } else if t.eq_ignore_ascii_case("sandbox") || t.eq_ignore_ascii_case("test") {
            Ok(Environment::Sandbox)
        } else {
            Err(ParseEnvironmentError {
                input: s.to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively() {
        for s in ["production", "PRODUCTION", " Production "] {
            assert_eq!(s.parse::<Environment>().unwrap(), Environment::Production);
        }
        for s in ["sandbox", "SandBox", "test", "TEST"] {
            assert_eq!(s.parse::<Environment>().unwrap(), Environment::Sandbox);
        }
    }

    #[test]
    fn error_names_the_input_and_the_choices() {
        let err = "prod".parse::<Environment>().unwrap_err();
        assert_eq!(err.input(), "prod");
        let msg = err.to_string();
        assert!(msg.contains("\"prod\"") && msg.contains("production") && msg.contains("sandbox"));
    }

    #[test]
    fn display_and_serde_round_trip() {
        for env in [Environment::Production, Environment::Sandbox] {
            assert_eq!(env.to_string().parse::<Environment>().unwrap(), env);
            let json = serde_json::to_string(&env).unwrap();
            assert_eq!(json, format!("\"{env}\""));
            assert_eq!(serde_json::from_str::<Environment>(&json).unwrap(), env);
        }
        assert_eq!(Environment::default(), Environment::Production);
    }
}
