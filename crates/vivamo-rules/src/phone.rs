//! The phone rules: E.164 normalization, and mobile-only in production.

use crate::phone_meta::{classify, Verdict};
use crate::text::{clean, is_invisible};
use crate::violation::{field, Findings};
use crate::{Code, Environment, Violation};

/// Vivamo's exact message for a phone number that is not a valid mobile number
/// (code [`Code::NonMobilePhone`]); Vivamo uses it for invalid and non-mobile numbers alike.
pub const NON_MOBILE_PHONE_MESSAGE: &str =
    "Sorry, this phone number cannot be used. Please use a valid mobile number.";

/// The outcome of [`check_phone`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneCheck {
    /// The number in E.164 form (`+14155552671`), `None` when the input cannot be brought
    /// into that shape (then `errors` holds an [`Code::InvalidPhone`]).
    pub normalized: Option<String>,
    /// Findings that block the request in this environment.
    pub errors: Vec<Violation>,
    /// Findings the sandbox accepts but warns about.
    pub warnings: Vec<Violation>,
}

/// What the user should send instead, appended to every `invalid_phone` message.
const PHONE_HINT: &str =
    "send it in international format with + and the country code, like +14155552671";

fn invalid(reason: &str) -> Violation {
    Violation::new(
        field::PHONE,
        Code::InvalidPhone,
        format!("data.phone {reason}: {PHONE_HINT}"),
    )
}

/// The ASCII digit for a decimal digit written in ASCII, full-width (`０`–`９`) or
/// Arabic-Indic (`٠`–`٩`, `۰`–`۹`) form.
fn digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => return Some(c),
        '\u{FF10}'..='\u{FF19}' => 0xFF10,
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        _ => return None,
    };
    char::from_digit(c as u32 - zero, 10)
}

/// Separators dropped by normalization: whitespace (any Unicode space, NBSP, tabs),
/// invisible format characters, dashes (ASCII, Unicode and full-width), dots and parentheses.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || is_invisible(c)
        || matches!(
            c,
            '-' | '.' | '(' | ')' | '\u{2010}'
                ..='\u{2015}'
                    | '\u{2212}'
                    | '\u{FE63}'
                    | '\u{FF0D}'
                    | '\u{FF0E}'
                    | '\u{FF08}'
                    | '\u{FF09}'
        )
}

/// Brings a phone number into E.164 shape, without consulting any numbering metadata.
///
/// 1. Spaces (any Unicode whitespace, NBSP included), invisible characters, dashes, dots and
///    parentheses are dropped; full-width and Arabic-Indic digits become ASCII digits.
/// 2. A number that starts with `+` keeps its country code.
/// 3. Without `+`, a number of at least 10 digits is read as a US number, as Vivamo
///    documents: `+1` is prepended, except that an 11-digit number starting with `1`
///    already carries it (`14155552671` → `+14155552671`, not `+114155552671`). Longer
///    numbers get `+1` too (Vivamo's rule is "at least 10 digits"); such a number is not a
///    valid US number, which [`check_phone`] then reports as not mobile, or, past 15 digits,
///    as [`Code::InvalidPhone`].
/// 4. The result must match `^\+[1-9][0-9]{7,14}$`.
///
/// Anything else (letters, extensions, `/`, a `+` after the start, fewer than 10 digits
/// without `+`, a blank string) is an [`Code::InvalidPhone`] violation on `data.phone`.
///
/// ```
/// use vivamo_rules::normalize_phone;
///
/// assert_eq!(normalize_phone("(415) 555-2671").unwrap(), "+14155552671");
/// assert_eq!(normalize_phone("1 415 555 2671").unwrap(), "+14155552671");
/// assert_eq!(normalize_phone("+44 7911 123456").unwrap(), "+447911123456");
/// assert!(normalize_phone("555-2671").is_err());
/// ```
pub fn normalize_phone(raw: &str) -> Result<String, Violation> {
    let t = clean(raw);
    if t.is_empty() {
        return Err(invalid("is empty"));
    }
    let mut out = String::with_capacity(t.len().min(20) + 2);
    out.push('+');
    let mut plus = false;
    let mut digits = 0usize;
    for c in t.chars() {
        if let Some(d) = digit(c) {
            digits += 1;
            if digits > 20 {
                return Err(invalid("has too many digits (at most 15 after the +)"));
            }
            out.push(d);
        } else if c == '+' || c == '\u{FF0B}' {
            if plus || digits > 0 {
                return Err(invalid("may contain + only at the start"));
            }
            plus = true;
        } else if !is_separator(c) {
            return Err(invalid(
                "may only contain digits, spaces, dashes, dots, parentheses and a leading +",
            ));
        }
    }
    if !plus {
        if digits < 10 {
            return Err(invalid(
                "needs a + and the country code (a number without + is read as a US number and needs at least 10 digits)",
            ));
        }
        if !(digits == 11 && out.as_bytes()[1] == b'1') {
            out.insert(1, '1');
            digits += 1;
        }
    }
    if digits == 0 {
        return Err(invalid("has no digits"));
    }
    if out.as_bytes()[1] == b'0' {
        return Err(invalid("has a country code starting with 0"));
    }
    if digits < 8 {
        return Err(invalid("is too short (at least 8 digits after the +)"));
    }
    if digits > 15 {
        return Err(invalid("is too long (at most 15 digits after the +)"));
    }
    Ok(out)
}

/// Checks one phone number for `env`.
///
/// * not normalizable to E.164 ([`normalize_phone`]) → [`Code::InvalidPhone`], an error
///   everywhere;
/// * E.164, but libphonenumber's metadata says it is not a valid number, or a valid number
///   that is not mobile (landline, VOIP, toll-free, premium-rate, shared-cost, personal,
///   pager, UAN, voicemail) → [`Code::NonMobilePhone`] with [`NON_MOBILE_PHONE_MESSAGE`]:
///   an error in production, a warning in the sandbox. Fixed-line-or-mobile numbers (where
///   the numbering plan cannot tell, as in the US) are accepted.
///
/// `normalized` is the E.164 form; when the metadata recognizes a mobile number it is the
/// canonical one (`+33 0 6 12 34 56 78` → `+33612345678`).
///
/// ```
/// use vivamo_rules::{check_phone, Code, Environment};
///
/// let fictional = check_phone("+15551234567", Environment::Sandbox);
/// assert!(fictional.errors.is_empty());
/// assert_eq!(fictional.warnings[0].code, Code::NonMobilePhone);
/// assert_eq!(check_phone("+15551234567", Environment::Production).errors.len(), 1);
///
/// let ok = check_phone("415.555.2671", Environment::Production);
/// assert_eq!(ok.normalized.as_deref(), Some("+14155552671"));
/// assert!(ok.errors.is_empty() && ok.warnings.is_empty());
/// ```
pub fn check_phone(raw: &str, env: Environment) -> PhoneCheck {
    let mut findings = Findings::default();
    let normalized = match normalize_phone(raw) {
        Err(v) => {
            findings.push(env, v);
            None
        }
        Ok(e164) => match classify(&e164) {
            // The metadata's canonical form drops a national trunk 0; it must still be a
            // number these rules accept (`+27(083099` would become `+2783099`, 7 digits:
            // found by the `phone` fuzz target). If not, no mobile reading is usable.
            Verdict::Mobile(canonical)
                if normalize_phone(&canonical).ok().as_deref() == Some(canonical.as_str()) =>
            {
                Some(canonical)
            }
            Verdict::Mobile(_) | Verdict::NotMobile(_) => {
                findings.push(
                    env,
                    Violation::new(field::PHONE, Code::NonMobilePhone, NON_MOBILE_PHONE_MESSAGE),
                );
                Some(e164)
            }
        },
    };
    PhoneCheck {
        normalized,
        errors: findings.errors,
        warnings: findings.warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `phone` fuzz target: the canonical form of the only mobile reading was
    /// shorter than the rules allow, so normalizing the normalized number gave nothing.
    #[test]
    fn a_canonical_form_the_rules_refuse_is_not_used() {
        let first = check_phone("+27(083099", Environment::Sandbox);
        assert_eq!(first.normalized.as_deref(), Some("+27083099"));
        assert!(first.errors.is_empty());
        assert_eq!(first.warnings.len(), 1);
        assert_eq!(first.warnings[0].code, Code::NonMobilePhone);
        let again = check_phone("+27083099", Environment::Sandbox);
        assert_eq!(again.normalized, first.normalized);
        assert_eq!(again.warnings, first.warnings);
    }

    #[test]
    fn us_rule() {
        let ok = |s: &str| normalize_phone(s).unwrap();
        assert_eq!(ok("4155552671"), "+14155552671");
        assert_eq!(ok("14155552671"), "+14155552671");
        assert_eq!(ok("1-415-555-2671"), "+14155552671");
        assert_eq!(ok("(415) 555-2671"), "+14155552671");
        assert_eq!(ok("415.555.2671"), "+14155552671");
        // 11 digits not starting with 1, and 12+ digits: +1 prepended, as documented.
        assert_eq!(ok("24155552671"), "+124155552671");
        assert_eq!(ok("441234567890"), "+1441234567890");
        assert_eq!(ok("11234567890123"), "+111234567890123");
        assert!(normalize_phone("123456789012345").is_err()); // 16 digits after +1
        assert!(normalize_phone("415555267").is_err()); // 9 digits
    }

    #[test]
    fn plus_numbers_and_unicode() {
        let ok = |s: &str| normalize_phone(s).unwrap();
        assert_eq!(ok("+44 (0)7911 123456"), "+4407911123456");
        assert_eq!(
            ok("\u{00A0}+1\u{00A0}415\u{2011}555\u{2013}2671\t"),
            "+14155552671"
        );
        assert_eq!(
            ok("\u{FF0B}\u{FF11}\u{FF14}\u{FF11}\u{FF15}5552671"),
            "+14155552671"
        );
        assert_eq!(ok("+\u{0669}\u{0667}\u{0661}501234567"), "+971501234567");
        assert_eq!(ok("\u{200E}+49 170 1234567\u{200F}"), "+491701234567");
        assert_eq!(ok("(+1) 415 555 2671"), "+14155552671");
    }

    #[test]
    fn shape_errors() {
        for s in [
            "",
            "   ",
            "+",
            "+0123456789",
            "+1234567",
            "+1234567890123456",
            "+1 415 555 2671 ext 5",
            "415-555-2671 x5",
            "1+4155552671",
            "++14155552671",
            "+1/415/555/2671",
            "tel:+14155552671",
            "phone",
            "\u{1F4DE}4155552671",
            "-----",
        ] {
            let v = normalize_phone(s).unwrap_err();
            assert_eq!(v.code, Code::InvalidPhone, "{s:?}");
            assert_eq!(v.field, "data.phone");
            assert!(v.message.contains("+14155552671"), "{}", v.message);
        }
    }

    #[test]
    fn mobile_rule_depends_on_environment() {
        for (n, env, errs, warns) in [
            ("+15551234567", Environment::Production, 1, 0),
            ("+15551234567", Environment::Sandbox, 0, 1),
            ("+18005550199", Environment::Production, 1, 0),
            ("+442079460123", Environment::Sandbox, 0, 1),
            ("+447911123456", Environment::Production, 0, 0),
            ("+14155552671", Environment::Production, 0, 0),
            ("abc", Environment::Sandbox, 1, 0),
        ] {
            let c = check_phone(n, env);
            assert_eq!(
                (c.errors.len(), c.warnings.len()),
                (errs, warns),
                "{n} {env}"
            );
            for v in c.errors.iter().chain(&c.warnings) {
                if v.code == Code::NonMobilePhone {
                    assert_eq!(v.message, NON_MOBILE_PHONE_MESSAGE);
                }
            }
        }
    }
}
