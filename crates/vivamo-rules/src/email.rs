//! The email rules: required, syntax, no `+` suffix, no disposable domain.

use crate::disposable::is_disposable_domain;
use crate::text::clean;
use crate::violation::{field, Findings};
use crate::{Code, Environment, Violation};

/// Vivamo's exact message for a disposable email domain (code [`Code::DisposableEmail`]).
pub const DISPOSABLE_EMAIL_MESSAGE: &str = "Sorry, this email domain is not supported";

/// The longest address SMTP can carry (RFC 5321 path limit minus the angle brackets).
const MAX_EMAIL_LEN: usize = 254;
/// The longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;
/// The longest domain name (RFC 1035).
const MAX_DOMAIN_LEN: usize = 253;
/// The longest DNS label (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

/// The outcome of [`check_email`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmailCheck {
    /// The address trimmed of surrounding whitespace and invisible characters, with the
    /// domain lower-cased when the syntax is valid (the local part is kept as given).
    /// `None` only when nothing is left after trimming.
    pub normalized: Option<String>,
    /// Findings that block the request in this environment.
    pub errors: Vec<Violation>,
    /// Findings the sandbox accepts but warns about (payments will likely fail).
    pub warnings: Vec<Violation>,
}

/// Checks one email address for `env`.
///
/// * blank → [`Code::MissingField`] (the email is required wherever it is given);
/// * not a valid address → [`Code::InvalidEmail`] (error everywhere);
/// * `+` in the local part → [`Code::PlusSuffixEmail`] (production: error; sandbox: warning);
/// * disposable domain → [`Code::DisposableEmail`] with [`DISPOSABLE_EMAIL_MESSAGE`]
///   (production: error; sandbox: warning).
///
/// Valid syntax here is the dot-atom form of RFC 5322 that mail providers hand out:
/// one `@`; a local part of at most 64 ASCII letters, digits and
/// ``!#$%&'*+-/=?^_`{|}~`` with dots only between other characters; a domain of at
/// most 253 characters, at least two dot-separated labels of 1–63 letters, digits and
/// hyphens that neither start nor end with a hyphen, and a top-level domain of at least two
/// letters (or an `xn--` IDN label); at most 254 characters in all. Quoted local parts, IP
/// literals and non-ASCII characters are rejected: payment gateways do not accept them, so
/// an internationalized domain must be written in its `xn--` (punycode) form.
///
/// ```
/// use vivamo_rules::{check_email, Code, Environment};
///
/// let ok = check_email(" demo@Vivamo.CO ", Environment::Production);
/// assert_eq!(ok.normalized.as_deref(), Some("demo@vivamo.co"));
/// assert!(ok.errors.is_empty() && ok.warnings.is_empty());
///
/// let plus = check_email("user+test@example.com", Environment::Sandbox);
/// assert!(plus.errors.is_empty());
/// assert_eq!(plus.warnings[0].code, Code::PlusSuffixEmail);
/// ```
pub fn check_email(raw: &str, env: Environment) -> EmailCheck {
    let mut findings = Findings::default();
    let trimmed = clean(raw);
    if trimmed.is_empty() {
        findings.push(
            env,
            Violation::new(
                field::EMAIL,
                Code::MissingField,
                "data.email is required: provide the customer's email address, like name@example.com",
            ),
        );
        return EmailCheck {
            normalized: None,
            errors: findings.errors,
            warnings: findings.warnings,
        };
    }

    let normalized = match parse(trimmed) {
        Err(reason) => {
            findings.push(
                env,
                Violation::new(
                    field::EMAIL,
                    Code::InvalidEmail,
                    format!(
                        "data.email must be a valid email address like name@example.com: {reason}"
                    ),
                ),
            );
            trimmed.to_owned()
        }
        Ok((local, domain)) => {
            let domain = domain.to_ascii_lowercase();
            if local.contains('+') {
                findings.push(env, plus_suffix_violation(local, &domain));
            }
            if is_disposable_domain(&domain) {
                findings.push(
                    env,
                    Violation::new(
                        field::EMAIL,
                        Code::DisposableEmail,
                        DISPOSABLE_EMAIL_MESSAGE,
                    ),
                );
            }
            format!("{local}@{domain}")
        }
    };
    EmailCheck {
        normalized: Some(normalized),
        errors: findings.errors,
        warnings: findings.warnings,
    }
}

fn plus_suffix_violation(local: &str, domain: &str) -> Violation {
    // Suggest the address without the tag when one is left (`user+tag` → `user`).
    let base = local.split('+').next().unwrap_or("");
    let hint = if base.is_empty() || base.ends_with('.') {
        String::from("remove the + and everything after it in the part before the @")
    } else {
        format!("use {base}@{domain} instead")
    };
    Violation::new(
        field::EMAIL,
        Code::PlusSuffixEmail,
        format!(
            "Email addresses with a + suffix are not supported (payments to them will likely fail): {hint}"
        ),
    )
}

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

/// Splits a trimmed address into local part and domain, or says what is wrong.
fn parse(s: &str) -> Result<(&str, &str), &'static str> {
    if !s.is_ascii() {
        return Err(if s.chars().any(char::is_whitespace) {
            "it must not contain spaces"
        } else {
            "only ASCII characters are supported; write an internationalized domain in its xn-- form"
        });
    }
    if s.bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err("it must not contain spaces or control characters");
    }
    let (local, domain) = match s.split_once('@') {
        None => return Err("it has no @"),
        Some((_, d)) if d.contains('@') => return Err("it must contain exactly one @"),
        Some(parts) => parts,
    };
    if s.len() > MAX_EMAIL_LEN {
        return Err("it is longer than 254 characters");
    }
    check_local(local)?;
    check_domain(domain)?;
    Ok((local, domain))
}

fn check_local(local: &str) -> Result<(), &'static str> {
    if local.is_empty() {
        return Err("the part before the @ is empty");
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err("the part before the @ is longer than 64 characters");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("dots in the part before the @ must sit between other characters");
    }
    if !local.bytes().all(|b| b == b'.' || is_local_char(b)) {
        return Err(
            "the part before the @ may only hold letters, digits, dots and !#$%&'*+-/=?^_`{|}~",
        );
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), &'static str> {
    if domain.is_empty() {
        return Err("the domain after the @ is missing");
    }
    if domain.len() > MAX_DOMAIN_LEN {
        return Err("the domain is longer than 253 characters");
    }
    if !domain.contains('.') {
        return Err("the domain must contain a dot, like example.com");
    }
    let mut labels = domain.split('.').peekable();
    while let Some(label) = labels.next() {
        if label.is_empty() {
            return Err("the domain has an empty part (a leading, trailing or double dot)");
        }
        if label.len() > MAX_LABEL_LEN {
            return Err("a part of the domain is longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("the domain may only hold letters, digits, hyphens and dots");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a part of the domain starts or ends with a hyphen");
        }
        if labels.peek().is_none() {
            let idn = label.len() > 4 && label[..4].eq_ignore_ascii_case("xn--");
            if !idn && (label.len() < 2 || !label.bytes().all(|b| b.is_ascii_alphabetic())) {
                return Err("the top-level domain must be at least two letters, like .com");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: &EmailCheck) -> (Vec<Code>, Vec<Code>) {
        (
            c.errors.iter().map(|v| v.code).collect(),
            c.warnings.iter().map(|v| v.code).collect(),
        )
    }

    #[test]
    fn valid_addresses() {
        for e in [
            "demo@vivamo.co",
            "user@example.com",
            "first.last@sub.example.co.uk",
            "o'brien@example.ie",
            "x_y-z@a-b.example.museum",
            "a@b.xn--p1ai",
            "user@xn--bcher-kva.example",
            "1234567890@example.com",
            "!#$%&'*/=?^_`{|}~-@example.org",
        ] {
            let c = check_email(e, Environment::Production);
            assert!(c.errors.is_empty(), "{e}: {:?}", c.errors);
        }
    }

    #[test]
    fn invalid_addresses() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_label = format!("a@{}.com", "b".repeat(64));
        let long_total = format!("{}@{}.com", "a".repeat(64), "b.".repeat(95));
        for e in [
            "plainaddress",
            "@example.com",
            "user@",
            "user@@example.com",
            "a@b@example.com",
            "user@localhost",
            "user@example",
            "user@example.c",
            "user@example.123",
            "user@-example.com",
            "user@example-.com",
            "user@exa_mple.com",
            "user@example..com",
            "user@.example.com",
            "user@example.com.",
            ".user@example.com",
            "user.@example.com",
            "us..er@example.com",
            "us er@example.com",
            "user@exam ple.com",
            "\"quoted\"@example.com",
            "user@[127.0.0.1]",
            "josé@example.com",
            "user@exämple.com",
            "user@example.com\u{0}",
            "us,er@example.com",
            long_local.as_str(),
            long_label.as_str(),
            long_total.as_str(),
        ] {
            let c = check_email(e, Environment::Sandbox);
            assert_eq!(codes(&c).0, vec![Code::InvalidEmail], "{e:?}");
            assert!(c.errors[0]
                .message
                .starts_with("data.email must be a valid email"));
        }
    }

    #[test]
    fn normalizes_domain_case_only() {
        let c = check_email("\u{00A0}John.Doe@Example.COM\t", Environment::Production);
        assert_eq!(c.normalized.as_deref(), Some("John.Doe@example.com"));
        let bad = check_email("  not an email ", Environment::Production);
        assert_eq!(bad.normalized.as_deref(), Some("not an email"));
        let blank = check_email(" \u{200B} ", Environment::Production);
        assert_eq!(blank.normalized, None);
        assert_eq!(codes(&blank).0, vec![Code::MissingField]);
    }

    #[test]
    fn plus_and_disposable_depend_on_environment() {
        let p = check_email("user+test@mailinator.com", Environment::Production);
        assert_eq!(
            codes(&p),
            (vec![Code::PlusSuffixEmail, Code::DisposableEmail], vec![])
        );
        assert_eq!(p.errors[1].message, DISPOSABLE_EMAIL_MESSAGE);
        assert!(p.errors[0]
            .message
            .contains("use user@mailinator.com instead"));
        let s = check_email("user+test@mailinator.com", Environment::Sandbox);
        assert_eq!(
            codes(&s),
            (vec![], vec![Code::PlusSuffixEmail, Code::DisposableEmail])
        );
        let lead = check_email("+tag@example.com", Environment::Production);
        assert!(lead.errors[0].message.contains("remove the +"));
    }
}
