//! The wire vocabulary of a failed validation: Vivamo's error-handling guide answers a body,
//! query or path parameter that fails validation with `errors`, "an array of objects where
//! the key is the validation constraint name and the value is a description". This module is
//! the one place that names the constraints (in the style the guide's example shows:
//! `isEmail`, `isNotEmpty`, `isString`, …) and words their descriptions, each naming the
//! field once (`data.email must be an email`).

use vivamo_rules as vr;

/// A validation constraint, as it appears as the key of an `errors` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Constraint {
    /// A required value is absent, `null` or blank.
    IsNotEmpty,
    /// The value is not a JSON string.
    IsString,
    /// The value is not a JSON boolean.
    IsBoolean,
    /// The value is not a JSON object.
    IsObject,
    /// The value is not an email address.
    IsEmail,
    /// The value cannot be read as a phone number.
    IsPhoneNumber,
    /// The value is not an integer.
    IsInt,
    /// The value is below this minimum.
    Min(u64),
    /// The value is above this maximum.
    Max(u64),
    /// The value is none of these.
    IsEnum(&'static [&'static str]),
}

impl Constraint {
    /// The constraint name: the key of the `errors` entry.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Constraint::IsNotEmpty => "isNotEmpty",
            Constraint::IsString => "isString",
            Constraint::IsBoolean => "isBoolean",
            Constraint::IsObject => "isObject",
            Constraint::IsEmail => "isEmail",
            Constraint::IsPhoneNumber => "isPhoneNumber",
            Constraint::IsInt => "isInt",
            Constraint::Min(_) => "min",
            Constraint::Max(_) => "max",
            Constraint::IsEnum(_) => "isEnum",
        }
    }

    /// What the constraint says about `field`, naming it once.
    fn describe(self, field: &str) -> String {
        match self {
            Constraint::IsNotEmpty => format!("{field} should not be empty"),
            Constraint::IsString => format!("{field} must be a string"),
            Constraint::IsBoolean => format!("{field} must be a boolean value"),
            Constraint::IsObject => format!("{field} must be an object"),
            Constraint::IsEmail => format!("{field} must be an email"),
            Constraint::IsPhoneNumber => {
                format!("{field} must be a phone number in international format, like +14155552671")
            }
            Constraint::IsInt => format!("{field} must be an integer number"),
            Constraint::Min(n) => format!("{field} must not be less than {n}"),
            Constraint::Max(n) => format!("{field} must not be greater than {n}"),
            Constraint::IsEnum(values) => format!(
                "{field} must be one of the following values: {}",
                values.join(", ")
            ),
        }
    }
}

/// One failed constraint on one field: one `errors` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    name: &'static str,
    description: String,
}

impl Failure {
    pub(crate) fn new(constraint: Constraint, field: impl Into<String>) -> Failure {
        Failure {
            name: constraint.name(),
            description: constraint.describe(&field.into()),
        }
    }

    /// A failure of a constraint outside [`Constraint`] (the webhook endpoints' `isUrl`,
    /// `isArray`, `isIn`, …), with its own description naming the field.
    pub(crate) fn described(name: &'static str, description: impl Into<String>) -> Failure {
        Failure {
            name,
            description: description.into(),
        }
    }

    /// The failure a rule violation is on the wire, or `None` for a violation that is not a
    /// validation failure (the production-only rules, answered with Vivamo's own message
    /// alone, and the warning-only address checks, which never refuse).
    pub(crate) fn from_violation(v: &vr::Violation) -> Option<Failure> {
        let constraint = match v.code {
            vr::Code::MissingField => Constraint::IsNotEmpty,
            vr::Code::InvalidEmail => Constraint::IsEmail,
            vr::Code::InvalidPhone => Constraint::IsPhoneNumber,
            vr::Code::InvalidType => Constraint::IsString,
            vr::Code::UnknownField
            | vr::Code::PlusSuffixEmail
            | vr::Code::DisposableEmail
            | vr::Code::NonMobilePhone
            | vr::Code::InvalidCountry
            | vr::Code::InvalidState
            | vr::Code::InvalidZip => return None,
        };
        Some(Failure::new(constraint, v.field.clone()))
    }

    /// The `errors` entry: `(constraint name, description)`.
    pub(crate) fn entry(&self) -> (&'static str, String) {
        (self.name, self.description.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_the_field_once() {
        let cases = [
            (
                Constraint::IsNotEmpty,
                "isNotEmpty",
                "data.email should not be empty",
            ),
            (
                Constraint::IsEmail,
                "isEmail",
                "data.email must be an email",
            ),
            (
                Constraint::Max(100),
                "max",
                "data.email must not be greater than 100",
            ),
            (
                Constraint::IsEnum(&["proof_of_id"]),
                "isEnum",
                "data.email must be one of the following values: proof_of_id",
            ),
        ];
        for (constraint, name, description) in cases {
            let (k, v) = Failure::new(constraint, "data.email").entry();
            assert_eq!((k, v.as_str()), (name, description));
            assert_eq!(v.matches("data.email").count(), 1);
        }
    }

    #[test]
    fn only_validation_codes_become_failures() {
        for code in vr::Code::ALL {
            let v = vr::Violation::new("data.x", code, "m");
            let failure = Failure::from_violation(&v);
            let business = code.is_production_only() || code.is_warning_only();
            assert_eq!(
                failure.is_none(),
                business || code == vr::Code::UnknownField,
                "{code}"
            );
        }
    }
}
