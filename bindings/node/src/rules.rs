//! The rules without a client: `normalizePhone` and `validateCustomer`.

use napi_derive::napi;
use serde_json::Value;

use crate::errors::{guard, Failure};
use crate::models::Violation;

/// Options of `validateCustomer`.
#[napi(object)]
#[derive(Default)]
pub struct ValidateOptions {
    /// `production` (the default) or `sandbox`.
    pub environment: Option<String>,
    /// `create` (the default) or `update`.
    pub operation: Option<String>,
}

/// The outcome of `validateCustomer`.
#[napi(object)]
pub struct ValidationReport {
    /// What would be sent, as a whole body (`{ externalCustomerId?, data }`): trimmed, phone
    /// in E.164, country and US state upper-cased.
    pub normalized: Value,
    /// Findings that block the request in this environment.
    pub errors: Vec<Violation>,
    /// Findings the sandbox accepts with a warning (always empty in production).
    pub warnings: Vec<Violation>,
}

/// Brings a phone number into E.164 (`(415) 555-2671` → `+14155552671`); throws a
/// `ValidationError` when it cannot.
#[napi]
pub fn normalize_phone(phone: String) -> napi::Result<String> {
    guard(|| {
        vivamo::rules::normalize_phone(&phone).map_err(|violation| {
            let mut failure = Failure::new("validation", format!("invalid phone: {violation}"));
            failure.set_violations(std::slice::from_ref(&violation));
            failure.into()
        })
    })
}

/// Runs Vivamo's rules for an environment without sending anything.
///
/// `input` is either a whole request body (`{ externalCustomerId, data }`) or the data object
/// alone (`{ email, phone, … }`); `vivamo_rules::validate_value` reads it (unknown keys and
/// non-string values throw a `ValidationError` naming them). `normalized` is always a whole
/// body.
#[napi]
pub fn validate_customer(
    input: Value,
    options: Option<ValidateOptions>,
) -> napi::Result<ValidationReport> {
    guard(|| {
        let options = options.unwrap_or_default();
        let environment = match options.environment.as_deref() {
            None => vivamo::Environment::Production,
            Some(name) => name.parse().map_err(|_| {
                Failure::config(format!(
                    "environment {name:?} is not an environment: use \"production\" or \"sandbox\""
                ))
            })?,
        };
        let operation: vivamo::rules::Operation = match options.operation.as_deref() {
            None => vivamo::rules::Operation::Create,
            Some(name) => name
                .parse()
                .map_err(|e| Failure::config(format!("operation {e}")))?,
        };
        let report = vivamo::rules::validate_value(&input, operation, environment, None).map_err(
            |violations| {
                napi::Error::from(Failure::from(vivamo::Error::from_violations(violations)))
            },
        )?;
        let normalized = serde_json::to_value(&report.normalized)
            .map_err(|e| Failure::new("internal", format!("could not encode the result: {e}")))?;
        Ok(ValidationReport {
            normalized,
            errors: report.errors.into_iter().map(Into::into).collect(),
            warnings: report.warnings.into_iter().map(Into::into).collect(),
        })
    })
}
