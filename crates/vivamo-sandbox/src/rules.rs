//! The module that runs `vivamo-rules`: turns raw request fields into normalized data, a
//! [`Rejection`], or a warning (how a rejection is answered over HTTP is `api::error`'s).

use vivamo_rules as vr;

use crate::store::DataPatch;
use crate::Mode;

/// A customer the rules refuse: every violation found (never empty).
#[derive(Debug)]
pub(crate) struct Rejection(pub Vec<vr::Violation>);

/// Raw profile fields from a request body (`None` = absent or null).
pub(crate) type RawData = vr::CustomerData;

/// The result of a successful check: normalized values and, when something was found, a
/// warning.
pub(crate) struct Accepted {
    pub external_id: Option<String>,
    pub data: DataPatch,
    pub warning: Option<String>,
}

fn environment(mode: Mode) -> vr::Environment {
    match mode {
        Mode::Production => vr::Environment::Production,
        Mode::Test => vr::Environment::Sandbox,
    }
}

/// Checks a Create Customer request.
pub(crate) fn check_create(
    external_id: Option<String>,
    data: RawData,
    mode: Mode,
) -> Result<Accepted, Rejection> {
    let input = vr::CustomerInput {
        external_customer_id: external_id,
        data,
    };
    let report = vr::validate_create(&input, environment(mode));
    accept(report)
}

/// Checks the `data` of an Update Customer request (only the fields present).
pub(crate) fn check_update(data: RawData, mode: Mode) -> Result<Accepted, Rejection> {
    let report = vr::validate_update(&data, environment(mode));
    accept(report)
}

fn accept(report: vr::Report) -> Result<Accepted, Rejection> {
    if !report.errors.is_empty() {
        return Err(Rejection(report.errors));
    }
    // In production `warnings` holds only the warning-only address findings; in test mode
    // also the production-only rules.
    Ok(Accepted {
        external_id: report.normalized.external_customer_id,
        data: report.normalized.data,
        warning: warning_sentence(&report.warnings),
    })
}

/// One sentence per kind of finding, or `None` without warnings: why payments will likely
/// fail (the production-only rules, test mode), and which fields do not follow the format
/// Vivamo documents (the warning-only address checks, every mode), each field named.
pub(crate) fn warning_sentence(warnings: &[vr::Violation]) -> Option<String> {
    let mut reasons: Vec<String> = Vec::new();
    let mut formats: Vec<String> = Vec::new();
    for w in warnings {
        let (list, text) = match w.code {
            vr::Code::DisposableEmail => (
                &mut reasons,
                "the email address uses a disposable domain".to_string(),
            ),
            vr::Code::PlusSuffixEmail => (
                &mut reasons,
                "the email address has a `+` suffix".to_string(),
            ),
            vr::Code::NonMobilePhone => (
                &mut reasons,
                "the phone number is not a mobile number".to_string(),
            ),
            vr::Code::InvalidCountry => (
                &mut formats,
                format!(
                    "{} is not an ISO 3166-1 alpha-2 country code like US",
                    w.field
                ),
            ),
            vr::Code::InvalidState => (
                &mut formats,
                format!("{} is not a USPS state code like NY", w.field),
            ),
            vr::Code::InvalidZip => (
                &mut formats,
                format!("{} is not a US ZIP code like 12345 or 12345-6789", w.field),
            ),
            _ => (&mut formats, w.to_string()),
        };
        if !list.contains(&text) {
            list.push(text);
        }
    }
    let mut sentences = Vec::new();
    if !reasons.is_empty() {
        sentences.push(format!(
            "Payments are likely to fail for this customer because {}, which would be rejected in production.",
            reasons.join(" and ")
        ));
    }
    if !formats.is_empty() {
        sentences.push(format!(
            "Stored as given, but {}: the format Vivamo documents.",
            formats.join(" and ")
        ));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}
