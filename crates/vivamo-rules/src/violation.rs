//! Violations: what a rule found, where, and what the user should do about it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Environment;

/// The stable machine-readable code of a [`Violation`].
///
/// Serialized in `snake_case` (`"missing_field"`, `"invalid_email"`, …), the same strings
/// [`Code::as_str`] and [`Display`](fmt::Display) produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A required field (`externalCustomerId`, `data.email` on create) is absent or blank.
    MissingField,
    /// The email address is not syntactically valid.
    InvalidEmail,
    /// The email's local part contains `+` (production only; a warning in the sandbox).
    PlusSuffixEmail,
    /// The email's domain is a disposable provider (production only; a warning in the sandbox).
    DisposableEmail,
    /// The phone number cannot be brought into E.164 shape.
    InvalidPhone,
    /// The phone number is not a valid mobile number (production only; a warning in the sandbox).
    NonMobilePhone,
    /// The country is not an ISO 3166-1 alpha-2 code (a warning in every environment:
    /// Vivamo documents the format but not a refusal).
    InvalidCountry,
    /// The country is `US` and the state is not a USPS code (a warning in every environment).
    InvalidState,
    /// The country is `US` and the ZIP is not `12345` or `12345-6789` (a warning in every
    /// environment).
    InvalidZip,
    /// A key that is not a customer field (see [`validate_value`](crate::validate_value)).
    UnknownField,
    /// A field's value is not a string (or absent/`null`).
    InvalidType,
}

impl Code {
    /// Every code, in declaration order.
    pub const ALL: [Code; 11] = [
        Code::MissingField,
        Code::InvalidEmail,
        Code::PlusSuffixEmail,
        Code::DisposableEmail,
        Code::InvalidPhone,
        Code::NonMobilePhone,
        Code::InvalidCountry,
        Code::InvalidState,
        Code::InvalidZip,
        Code::UnknownField,
        Code::InvalidType,
    ];

    /// The stable `snake_case` name of the code, e.g. `"missing_field"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Code::MissingField => "missing_field",
            Code::InvalidEmail => "invalid_email",
            Code::PlusSuffixEmail => "plus_suffix_email",
            Code::DisposableEmail => "disposable_email",
            Code::InvalidPhone => "invalid_phone",
            Code::NonMobilePhone => "non_mobile_phone",
            Code::InvalidCountry => "invalid_country",
            Code::InvalidState => "invalid_state",
            Code::InvalidZip => "invalid_zip",
            Code::UnknownField => "unknown_field",
            Code::InvalidType => "invalid_type",
        }
    }

    /// `true` for the rules Vivamo enforces in production only (sandbox: warning):
    /// [`Code::PlusSuffixEmail`], [`Code::DisposableEmail`] and [`Code::NonMobilePhone`].
    pub const fn is_production_only(&self) -> bool {
        matches!(
            self,
            Code::PlusSuffixEmail | Code::DisposableEmail | Code::NonMobilePhone
        )
    }

    /// `true` for the checks of a format Vivamo documents but is not documented to enforce:
    /// [`Code::InvalidCountry`], [`Code::InvalidState`] and [`Code::InvalidZip`]. They are
    /// warnings in every environment (a wrong refusal would block onboarding a real person;
    /// a wrong acceptance costs at most a 400 from Vivamo), and the value is still
    /// normalized when it can be.
    ///
    /// ```
    /// use vivamo_rules::Code;
    /// assert!(Code::InvalidZip.is_warning_only());
    /// assert!(!Code::DisposableEmail.is_warning_only());
    /// ```
    pub const fn is_warning_only(&self) -> bool {
        matches!(
            self,
            Code::InvalidCountry | Code::InvalidState | Code::InvalidZip
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of a rule: the field path, a stable code and a message for people.
///
/// Displays as `"<field>: <message>"`, e.g.
/// `data.zip: data.zip must be a US ZIP code like 12345 or 12345-6789`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// The JSON path of the offending field in the request body, e.g. `"data.phone"` or
    /// `"externalCustomerId"`.
    pub field: String,
    /// The stable code.
    pub code: Code,
    /// What is wrong and what to do about it. For the disposable-email and non-mobile-phone
    /// rules it is Vivamo's own text ([`crate::DISPOSABLE_EMAIL_MESSAGE`],
    /// [`crate::NON_MOBILE_PHONE_MESSAGE`]).
    pub message: String,
}

impl Violation {
    /// Builds a violation.
    pub fn new(field: impl Into<String>, code: Code, message: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Violation {}

/// Field paths used in violations.
pub(crate) mod field {
    pub const EXTERNAL_CUSTOMER_ID: &str = "externalCustomerId";
    pub const EMAIL: &str = "data.email";
    pub const PHONE: &str = "data.phone";
    pub const COUNTRY: &str = "data.country";
    pub const STATE: &str = "data.state";
    pub const ZIP: &str = "data.zip";
}

/// Collects errors and warnings: warning-only findings always go to warnings, production-only
/// findings go to warnings in the sandbox.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub errors: Vec<Violation>,
    pub warnings: Vec<Violation>,
}

impl Findings {
    /// Records `v` as an error, or as a warning when it is warning-only, or production-only
    /// and `env` is the sandbox.
    pub fn push(&mut self, env: Environment, v: Violation) {
        if v.code.is_warning_only() || (v.code.is_production_only() && !env.is_production()) {
            self.warnings.push(v);
        } else {
            self.errors.push(v);
        }
    }

    pub fn extend(&mut self, errors: Vec<Violation>, warnings: Vec<Violation>) {
        self.errors.extend(errors);
        self.warnings.extend(warnings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_match_serde() {
        for code in Code::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(code.to_string(), code.as_str());
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
        }
    }

    #[test]
    fn violation_display() {
        let v = Violation::new("data.phone", Code::InvalidPhone, "bad");
        assert_eq!(v.to_string(), "data.phone: bad");
    }

    #[test]
    fn findings_route_by_environment() {
        let mut f = Findings::default();
        f.push(
            Environment::Sandbox,
            Violation::new("data.email", Code::PlusSuffixEmail, "m"),
        );
        f.push(
            Environment::Sandbox,
            Violation::new("data.email", Code::InvalidEmail, "m"),
        );
        assert_eq!(f.warnings.len(), 1);
        assert_eq!(f.errors.len(), 1);
        f.push(
            Environment::Production,
            Violation::new("data.email", Code::DisposableEmail, "m"),
        );
        assert_eq!(f.errors.len(), 2);
        f.push(
            Environment::Production,
            Violation::new("data.zip", Code::InvalidZip, "m"),
        );
        assert_eq!((f.errors.len(), f.warnings.len()), (2, 2));
    }
}
