//! Whole payloads: the Create Customer and Update Customer bodies.

use serde::{Deserialize, Serialize};

use crate::address::{check_country, check_us_state, check_us_zip};
use crate::text::clean_opt;
use crate::violation::{field, Findings};
use crate::{check_email, check_phone, Code, CustomerData, Environment, Violation};

/// A Create Customer body (`externalCustomerId` + `data`); also the normalized payload of a
/// [`Report`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInput {
    /// Your system's identifier for the customer; required on create.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_customer_id: Option<String>,
    /// The profile fields.
    #[serde(default)]
    pub data: CustomerData,
}

/// The outcome of [`validate_create`] or [`validate_update`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The payload to send: every string trimmed (Unicode whitespace and invisible
    /// characters), blank optional fields removed, email domain lower-cased, phone in E.164,
    /// country (and a US state) upper-cased. A value that fails its rule is kept trimmed, as
    /// given, so nothing the user typed is lost.
    pub normalized: CustomerInput,
    /// Findings that block the request in this environment, every one found (the checks do
    /// not stop at the first).
    #[serde(default)]
    pub errors: Vec<Violation>,
    /// Findings that do not block the request: in the sandbox the production-only rules
    /// (payments for such a customer will likely fail), and in every environment the
    /// warning-only address checks ([`Code::is_warning_only`]: country, US state, US ZIP),
    /// formats Vivamo documents but is not documented to enforce.
    #[serde(default)]
    pub warnings: Vec<Violation>,
}

impl Report {
    /// `true` when there are no errors (warnings do not count).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Errors, then warnings.
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.errors.iter().chain(&self.warnings)
    }
}

/// Validates and normalizes a Create Customer body for `env`.
///
/// `externalCustomerId` and `data.email` are required (blank counts as absent:
/// [`Code::MissingField`]); every other field is optional and checked when present:
/// email ([`check_email`]), phone ([`check_phone`]), country (ISO 3166-1 alpha-2), and,
/// only when the country is `US`, state (USPS code) and ZIP (`12345` or `12345-6789`).
/// The three address checks only warn ([`Code::is_warning_only`]): Vivamo documents those
/// formats, not a refusal.
/// Without a country, state and ZIP are not checked: Vivamo documents them for US
/// addresses only and nothing says an address without a country is American.
///
/// ```
/// use vivamo_rules::{validate_create, CustomerData, CustomerInput, Environment};
///
/// let input = CustomerInput {
///     external_customer_id: Some(" user_123 ".into()),
///     data: CustomerData {
///         email: Some("demo@vivamo.co".into()),
///         phone: Some("(415) 555-2671".into()),
///         country: Some("us".into()),
///         state: Some("ny".into()),
///         zip: Some("10001".into()),
///         ..Default::default()
///     },
/// };
/// let report = validate_create(&input, Environment::Production);
/// assert!(report.is_valid());
/// assert_eq!(report.normalized.external_customer_id.as_deref(), Some("user_123"));
/// assert_eq!(report.normalized.data.phone.as_deref(), Some("+14155552671"));
/// assert_eq!(report.normalized.data.state.as_deref(), Some("NY"));
/// ```
pub fn validate_create(input: &CustomerInput, env: Environment) -> Report {
    let mut findings = Findings::default();
    let external_customer_id = clean_opt(input.external_customer_id.as_ref()).map(str::to_owned);
    if external_customer_id.is_none() {
        findings.push(
            env,
            Violation::new(
                field::EXTERNAL_CUSTOMER_ID,
                Code::MissingField,
                "externalCustomerId is required: pass your system's unique, non-empty identifier for this customer",
            ),
        );
    }
    let data = validate_data(&input.data, env, true, &mut findings);
    Report {
        normalized: CustomerInput {
            external_customer_id,
            data,
        },
        errors: findings.errors,
        warnings: findings.warnings,
    }
}

/// Validates the `data` of a create on its own, for forms and imports that check a profile
/// before an identifier exists: the create rules (email required) without the
/// `externalCustomerId` requirement. `normalized.external_customer_id` is `None`.
///
/// The Node and Python `validateCustomer` use it when given the data object alone.
///
/// ```
/// use vivamo_rules::{validate_create_data, Code, CustomerData, Environment};
///
/// let data = CustomerData { phone: Some("(415) 555-2671".into()), ..Default::default() };
/// let report = validate_create_data(&data, Environment::Production);
/// assert_eq!(report.errors.len(), 1);
/// assert_eq!((report.errors[0].field.as_str(), report.errors[0].code), ("data.email", Code::MissingField));
/// assert_eq!(report.normalized.data.phone.as_deref(), Some("+14155552671"));
/// ```
pub fn validate_create_data(data: &CustomerData, env: Environment) -> Report {
    let mut findings = Findings::default();
    let data = validate_data(data, env, true, &mut findings);
    Report {
        normalized: CustomerInput {
            external_customer_id: None,
            data,
        },
        errors: findings.errors,
        warnings: findings.warnings,
    }
}

/// Validates and normalizes an Update Customer body (`data` only) for `env`.
///
/// Every field is optional and the rules apply to the fields present, as on create (Vivamo:
/// "the same email restrictions apply when updating"). A blank field counts as absent, so it
/// is dropped from the normalized payload rather than reported. `normalized.external_customer_id`
/// is always `None`: the identifier travels in the URL.
///
/// ```
/// use vivamo_rules::{validate_update, Code, CustomerData, Environment};
///
/// let data = CustomerData { email: Some("user+test@example.com".into()), ..Default::default() };
/// let report = validate_update(&data, Environment::Production);
/// assert_eq!(report.errors[0].code, Code::PlusSuffixEmail);
/// assert!(validate_update(&data, Environment::Sandbox).is_valid());
/// ```
pub fn validate_update(data: &CustomerData, env: Environment) -> Report {
    let mut findings = Findings::default();
    let data = validate_data(data, env, false, &mut findings);
    Report {
        normalized: CustomerInput {
            external_customer_id: None,
            data,
        },
        errors: findings.errors,
        warnings: findings.warnings,
    }
}

fn validate_data(
    data: &CustomerData,
    env: Environment,
    email_required: bool,
    findings: &mut Findings,
) -> CustomerData {
    let email = match clean_opt(data.email.as_ref()) {
        Some(raw) => {
            let check = check_email(raw, env);
            findings.extend(check.errors, check.warnings);
            check.normalized
        }
        None => {
            if email_required {
                findings.push(
                    env,
                    Violation::new(
                        field::EMAIL,
                        Code::MissingField,
                        "data.email is required: provide the customer's email address, like name@example.com",
                    ),
                );
            }
            None
        }
    };

    let phone = clean_opt(data.phone.as_ref()).map(|raw| {
        let check = check_phone(raw, env);
        findings.extend(check.errors, check.warnings);
        check.normalized.unwrap_or_else(|| raw.to_owned())
    });

    let mut keep_or_report = |raw: &str, result: Result<String, Violation>| match result {
        Ok(value) => value,
        Err(v) => {
            findings.push(env, v);
            raw.to_owned()
        }
    };

    let country = clean_opt(data.country.as_ref()).map(|c| keep_or_report(c, check_country(c)));
    let is_us = country.as_deref() == Some("US");
    let state = clean_opt(data.state.as_ref()).map(|s| {
        if is_us {
            keep_or_report(s, check_us_state(s))
        } else {
            s.to_owned()
        }
    });
    let zip = clean_opt(data.zip.as_ref()).map(|z| {
        if is_us {
            keep_or_report(z, check_us_zip(z).map(|()| z.to_owned()))
        } else {
            z.to_owned()
        }
    });

    // Every field is trimmed, blank ones dropped; the fields with a rule take its result. A
    // field with no rule needs no code here.
    let mut out = CustomerData::default();
    for (key, _) in CustomerData::FIELDS {
        if let (Some(slot), Some(value)) = (out.field_mut(key), data.field(key)) {
            *slot = clean_opt(value.as_ref()).map(str::to_owned);
        }
    }
    CustomerData {
        email,
        phone,
        state,
        zip,
        country,
        ..out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(vs: &[Violation]) -> Vec<(&str, Code)> {
        vs.iter().map(|v| (v.field.as_str(), v.code)).collect()
    }

    #[test]
    fn create_reports_everything_at_once() {
        let input = CustomerInput {
            external_customer_id: Some("  ".into()),
            data: CustomerData {
                email: None,
                phone: Some("12".into()),
                country: Some("US".into()),
                state: Some("ZZ".into()),
                zip: Some("1234".into()),
                ..Default::default()
            },
        };
        let r = validate_create(&input, Environment::Production);
        assert_eq!(
            codes(&r.errors),
            vec![
                ("externalCustomerId", Code::MissingField),
                ("data.email", Code::MissingField),
                ("data.phone", Code::InvalidPhone),
            ]
        );
        // Address formats only warn, in production too.
        assert_eq!(
            codes(&r.warnings),
            vec![
                ("data.state", Code::InvalidState),
                ("data.zip", Code::InvalidZip)
            ]
        );
        assert!(!r.is_valid());
        assert_eq!(r.normalized.data.phone.as_deref(), Some("12"));
        assert_eq!(r.normalized.external_customer_id, None);
    }

    #[test]
    fn address_findings_warn_and_normalize_in_production() {
        let data = CustomerData {
            email: Some("jane@example.com".into()),
            country: Some("USA".into()),
            state: Some("Texas".into()),
            zip: Some("1234".into()),
            ..Default::default()
        };
        let r = validate_create_data(&data, Environment::Production);
        assert!(r.is_valid(), "{:?}", r.errors);
        assert_eq!(
            codes(&r.warnings),
            vec![("data.country", Code::InvalidCountry)]
        );
        assert_eq!(r.normalized.data.country.as_deref(), Some("USA"));
        let us = CustomerData {
            country: Some(" us ".into()),
            state: Some("Texas".into()),
            zip: Some("1234".into()),
            ..data
        };
        let r = validate_create_data(&us, Environment::Production);
        assert!(r.is_valid(), "{:?}", r.errors);
        assert_eq!(
            codes(&r.warnings),
            vec![
                ("data.state", Code::InvalidState),
                ("data.zip", Code::InvalidZip)
            ]
        );
        assert_eq!(r.normalized.data.country.as_deref(), Some("US"));
        assert_eq!(r.normalized.data.state.as_deref(), Some("Texas"));
    }

    #[test]
    fn state_and_zip_only_checked_for_us() {
        let data = CustomerData {
            country: Some("ca".into()),
            state: Some("on".into()),
            zip: Some("K1A 0B1".into()),
            ..Default::default()
        };
        let r = validate_update(&data, Environment::Production);
        assert!(r.is_valid(), "{:?}", r.errors);
        assert_eq!(r.normalized.data.country.as_deref(), Some("CA"));
        assert_eq!(r.normalized.data.state.as_deref(), Some("on"));
        let no_country = CustomerData {
            state: Some("Bavaria".into()),
            zip: Some("80331".into()),
            ..Default::default()
        };
        assert!(validate_update(&no_country, Environment::Production).is_valid());
    }

    #[test]
    fn json_shape() {
        let input: CustomerInput = serde_json::from_str(
            r#"{"externalCustomerId":"u1","data":{"email":"a@b.co","firstName":"Jo","street2":"x","unknown":1}}"#,
        )
        .unwrap();
        assert_eq!(input.data.first_name.as_deref(), Some("Jo"));
        let json = serde_json::to_string(&input).unwrap();
        assert_eq!(
            json,
            r#"{"externalCustomerId":"u1","data":{"email":"a@b.co","firstName":"Jo","street2":"x"}}"#
        );
        let empty: CustomerInput = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, CustomerInput::default());
        let report = validate_create(&input, Environment::Production);
        let back: Report = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn update_drops_blank_fields_and_never_sets_the_id() {
        let data = CustomerData {
            email: Some(" \t ".into()),
            first_name: Some(" Zo\u{00EB} \u{1F600} ".into()),
            city: Some("\u{00A0}".into()),
            ..Default::default()
        };
        let r = validate_update(&data, Environment::Production);
        assert!(r.is_valid());
        assert_eq!(r.normalized.external_customer_id, None);
        assert_eq!(r.normalized.data.email, None);
        assert_eq!(r.normalized.data.city, None);
        assert_eq!(
            r.normalized.data.first_name.as_deref(),
            Some("Zo\u{00EB} \u{1F600}")
        );
    }
}
