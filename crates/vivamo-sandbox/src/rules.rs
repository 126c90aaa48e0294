//! The only module that calls `vivamo-rules`: turns raw request fields into normalized data,
//! a production rejection, or a test-mode warning.

use vivamo_rules as vr;

use crate::api::ApiError;
use crate::store::DataPatch;
use crate::Mode;

/// Raw profile fields from a request body (`None` = absent or null).
pub(crate) type RawData = vr::CustomerData;

/// The result of a successful check: normalized values and, in test mode, a warning.
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
) -> Result<Accepted, ApiError> {
    let input = vr::CustomerInput {
        external_customer_id: external_id,
        data,
    };
    let report = vr::validate_create(&input, environment(mode));
    accept(report, mode)
}

/// Checks the `data` of an Update Customer request (only the fields present).
pub(crate) fn check_update(data: RawData, mode: Mode) -> Result<Accepted, ApiError> {
    let report = vr::validate_update(&data, environment(mode));
    accept(report, mode)
}

fn accept(report: vr::Report, mode: Mode) -> Result<Accepted, ApiError> {
    if !report.errors.is_empty() {
        return Err(rejection(&report.errors));
    }
    let warning = match mode {
        Mode::Test => warning_sentence(&report.warnings),
        Mode::Production => None,
    };
    Ok(Accepted {
        external_id: report.normalized.external_customer_id,
        data: report.normalized.data,
        warning,
    })
}

fn is_production_rule(code: &vr::Code) -> bool {
    matches!(
        code,
        vr::Code::DisposableEmail | vr::Code::PlusSuffixEmail | vr::Code::NonMobilePhone
    )
}

/// The 400 for a list of violations. When only production rules were broken, the message is
/// Vivamo's own (disposable email first, then non-mobile phone, then the `+` suffix rule's
/// message); otherwise "Validation failed". Every violation is listed in `errors` as
/// `{code: "field: message"}`.
fn rejection(errors: &[vr::Violation]) -> ApiError {
    let has = |code: vr::Code| errors.iter().any(|v| v.code == code);
    let message = if !errors.iter().all(|v| is_production_rule(&v.code)) {
        "Validation failed".to_string()
    } else if has(vr::Code::DisposableEmail) {
        vr::DISPOSABLE_EMAIL_MESSAGE.to_string()
    } else if has(vr::Code::NonMobilePhone) {
        vr::NON_MOBILE_PHONE_MESSAGE.to_string()
    } else {
        errors[0].message.clone()
    };
    ApiError::bad_request(message).with_errors(errors.iter().map(|v| {
        (
            v.code.as_str().to_string(),
            format!("{}: {}", v.field, v.message),
        )
    }))
}

/// One sentence naming why payments will likely fail, or `None` without warnings.
pub(crate) fn warning_sentence(warnings: &[vr::Violation]) -> Option<String> {
    let mut reasons: Vec<String> = Vec::new();
    for w in warnings {
        let reason = match w.code {
            vr::Code::DisposableEmail => "the email address uses a disposable domain".to_string(),
            vr::Code::PlusSuffixEmail => "the email address has a `+` suffix".to_string(),
            vr::Code::NonMobilePhone => "the phone number is not a mobile number".to_string(),
            _ => format!("{}: {}", w.field, w.message),
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    if reasons.is_empty() {
        return None;
    }
    Some(format!(
        "Payments are likely to fail for this customer because {}, which would be rejected in production.",
        reasons.join(" and ")
    ))
}
