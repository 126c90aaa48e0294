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
    /// What would be sent: trimmed, phone in E.164, country and US state upper-cased. The
    /// same shape as the input (a create body, or the data object alone).
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
/// `input` is either a whole request body (`{ externalCustomerId, data }`: an object with a
/// `data` or an `externalCustomerId` key, or an empty object) or the data object alone
/// (`{ email, phone, … }`). For a create, the `externalCustomerId` requirement applies only
/// to a whole body: a data object alone has no id to check. `normalized` has the shape of
/// the input.
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
        let Some(object) = input.as_object() else {
            return Err(Failure::new(
                "validation",
                "validateCustomer expects an object: { email, phone, … } or { externalCustomerId, data }",
            )
            .into());
        };
        let whole_body = object.is_empty()
            || object.contains_key("data")
            || object.contains_key("externalCustomerId");
        let parsed: Result<vivamo::rules::CustomerInput, _> = if whole_body {
            serde_json::from_value(input)
        } else {
            serde_json::from_value(input).map(|data| vivamo::rules::CustomerInput {
                external_customer_id: None,
                data,
            })
        };
        let parsed = parsed.map_err(|e| {
            Failure::new(
                "validation",
                format!("validateCustomer: every field must be a string or absent ({e})"),
            )
        })?;
        let report = match options.operation.as_deref().unwrap_or("create") {
            "create" if whole_body => vivamo::rules::validate_create(&parsed, environment),
            // A data object alone carries no id to check.
            "create" => vivamo::rules::validate_create_data(&parsed.data, environment),
            "update" => vivamo::rules::validate_update(&parsed.data, environment),
            other => {
                return Err(Failure::config(format!(
                    "operation {other:?} is not an operation: use \"create\" or \"update\""
                ))
                .into())
            }
        };
        let normalized = if whole_body {
            serde_json::to_value(&report.normalized)
        } else {
            serde_json::to_value(&report.normalized.data)
        }
        .map_err(|e| Failure::new("internal", format!("could not encode the result: {e}")))?;
        Ok(ValidationReport {
            normalized,
            errors: report.errors.into_iter().map(Into::into).collect(),
            warnings: report.warnings.into_iter().map(Into::into).collect(),
        })
    })
}
