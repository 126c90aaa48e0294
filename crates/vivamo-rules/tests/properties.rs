//! Property tests: no input panics, normalization is idempotent, accepted phones are E.164,
//! accepted countries are two upper-case letters. Each runs `CASES` cases (more with
//! `PROPTEST_CASES`).

use proptest::prelude::*;
use vivamo_rules::{
    check_email, check_phone, is_country_code, normalize_phone, validate_create, validate_update,
    CustomerData, CustomerInput, Environment, Report,
};

/// Cases per property: enough to reach the rules' corners on every CI run.
const CASES: u32 = 2048;

fn env() -> impl Strategy<Value = Environment> {
    prop_oneof![Just(Environment::Production), Just(Environment::Sandbox)]
}

/// Any string, or one shaped like the field so the deeper rules are reached.
fn field(shaped: &'static str) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        any::<String>(),
        prop::string::string_regex(shaped).unwrap(),
        Just(String::new()),
        Just(" \u{00A0}\t".to_owned()),
    ])
}

fn phone_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::string::string_regex(r"[+]?[0-9]{0,16}").unwrap(),
        prop::string::string_regex(r"[ +(]{0,2}[0-9 ().\-\u{00A0}\u{2013}\u{FF10}-\u{FF19}]{0,22}")
            .unwrap(),
        prop::string::string_regex(r"\+(1|44|49|33|86|91|61|7|39|55|234|971)[1-9][0-9]{6,11}")
            .unwrap(),
        prop::string::string_regex(r"1?[2-9][0-9]{2}[2-9][0-9]{6}").unwrap(),
    ]
}

prop_compose! {
    /// Every field of the table (a field added to the spec included); those with rules get
    /// values shaped like them as well.
    fn data()(
        email in field(r"[ ]?[A-Za-z0-9.+_\-]{0,12}@[A-Za-z0-9.\-]{0,16}[ ]?"),
        phone in prop::option::of(phone_like()),
        state in field(r"[ ]?[A-Za-z]{1,3}"),
        zip in field(r"[0-9]{4,6}(-[0-9]{3,5})?"),
        country in field(r"[ ]?(us|US|uS|[A-Za-z]{1,3})"),
        others in prop::collection::vec(field(r"[\PC]{0,20}"), CustomerData::FIELDS.len()),
    ) -> CustomerData {
        let mut data = with_fields(others);
        data.email = email;
        data.phone = phone;
        data.state = state;
        data.zip = zip;
        data.country = country;
        data
    }
}

/// A `CustomerData` with `values` in the order of `CustomerData::FIELDS`.
fn with_fields(values: Vec<Option<String>>) -> CustomerData {
    let mut data = CustomerData::default();
    for ((wire, _), value) in CustomerData::FIELDS.iter().zip(values) {
        if let Some(slot) = data.field_mut(wire) {
            *slot = value;
        }
    }
    data
}

prop_compose! {
    fn input()(id in field(r"[ ]?[a-z_0-9]{0,10}[ ]?"), data in data()) -> CustomerInput {
        CustomerInput { external_customer_id: id, data }
    }
}

fn is_e164(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 9
        && b.len() <= 16
        && b[0] == b'+'
        && (b'1'..=b'9').contains(&b[1])
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn pairs(vs: &[vivamo_rules::Violation]) -> Vec<(String, String)> {
    let mut v: Vec<_> = vs
        .iter()
        .map(|v| (v.field.clone(), v.code.to_string()))
        .collect();
    v.sort();
    v
}

fn assert_idempotent(first: &Report, second: &Report) -> Result<(), TestCaseError> {
    prop_assert_eq!(&second.normalized, &first.normalized);
    prop_assert_eq!(pairs(&second.errors), pairs(&first.errors));
    prop_assert_eq!(pairs(&second.warnings), pairs(&first.warnings));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn create_is_total_and_idempotent(input in input(), env in env()) {
        let first = validate_create(&input, env);
        let second = validate_create(&first.normalized, env);
        assert_idempotent(&first, &second)?;
        if let Some(phone) = &first.normalized.data.phone {
            if !first.errors.iter().any(|v| v.field == "data.phone") {
                prop_assert!(is_e164(phone), "accepted phone {phone:?}");
            }
        }
    }

    #[test]
    fn update_is_total_and_idempotent(data in data(), env in env()) {
        let first = validate_update(&data, env);
        prop_assert_eq!(first.normalized.external_customer_id.as_ref(), None);
        let second = validate_update(&first.normalized.data, env);
        assert_idempotent(&first, &second)?;
    }

    #[test]
    fn accepted_phones_are_e164(raw in phone_like(), env in env()) {
        let check = check_phone(&raw, env);
        match &check.normalized {
            Some(n) => prop_assert!(is_e164(n), "{raw:?} -> {n:?}"),
            None => prop_assert!(!check.errors.is_empty()),
        }
        if let Ok(n) = normalize_phone(&raw) {
            prop_assert!(is_e164(&n), "{raw:?} -> {n:?}");
            prop_assert_eq!(normalize_phone(&n).unwrap(), n.clone());
            // Re-checking the normalized number gives the same verdict.
            let again = check_phone(check.normalized.as_deref().unwrap(), env);
            prop_assert_eq!(&again.normalized, &check.normalized);
            prop_assert_eq!(pairs(&again.errors), pairs(&check.errors));
            prop_assert_eq!(pairs(&again.warnings), pairs(&check.warnings));
        }
    }

    #[test]
    fn email_check_is_total_and_idempotent(raw in any::<String>(), env in env()) {
        let first = check_email(&raw, env);
        if let Some(n) = &first.normalized {
            let second = check_email(n, env);
            prop_assert_eq!(&second.normalized, &first.normalized);
            prop_assert_eq!(pairs(&second.errors), pairs(&first.errors));
        }
    }

    #[test]
    fn email_check_over_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..96), env in env()) {
        let raw = String::from_utf8_lossy(&bytes);
        let check = check_email(&raw, env);
        if let Some(n) = &check.normalized {
            prop_assert_eq!(n.trim(), n.as_str(), "normalized emails are trimmed");
        }
    }

    #[test]
    fn phone_check_over_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..48), env in env()) {
        let raw = String::from_utf8_lossy(&bytes);
        if let Some(n) = &check_phone(&raw, env).normalized {
            prop_assert!(is_e164(n), "{raw:?} -> {n:?}");
        }
    }

    #[test]
    fn country_codes_are_two_letters_and_case_blind(
        raw in prop_oneof![any::<String>(), prop::string::string_regex(r"[ ]?[A-Za-z\u{130}\u{131}]{1,3}[ ]?").unwrap()],
        env in env(),
    ) {
        let accepted = is_country_code(&raw);
        if accepted {
            prop_assert_eq!(raw.len(), 2);
            prop_assert!(raw.bytes().all(|b| b.is_ascii_alphabetic()));
        }
        prop_assert_eq!(is_country_code(&raw.to_ascii_lowercase()), is_country_code(&raw.to_ascii_uppercase()));
        // Through the whole customer: an accepted country is stored upper-cased, any other
        // is a warning on data.country (never an error: the format is documented, a refusal
        // is not).
        let data = CustomerData { email: Some("a@example.com".into()), country: Some(raw.clone()), ..Default::default() };
        let report = validate_update(&data, env);
        prop_assert!(report.errors.iter().all(|v| v.field != "data.country"));
        let flagged = report.warnings.iter().any(|v| v.field == "data.country");
        let trimmed = report.normalized.data.country.clone();
        if let Some(country) = &trimmed {
            if !flagged {
                prop_assert!(is_country_code(country));
                prop_assert_eq!(country.to_ascii_uppercase(), country.clone());
            }
        }
    }

    #[test]
    fn whole_customer_over_arbitrary_strings(
        id in any::<String>(),
        fields in prop::collection::vec(prop::option::of(any::<String>()), CustomerData::FIELDS.len()),
        env in env(),
    ) {
        let input = CustomerInput {
            external_customer_id: Some(id),
            data: with_fields(fields),
        };
        let first = validate_create(&input, env);
        let second = validate_create(&first.normalized, env);
        assert_idempotent(&first, &second)?;
        for v in first.errors.iter().chain(&first.warnings) {
            prop_assert!(!v.message.is_empty());
            prop_assert!(v.field == "externalCustomerId" || v.field.starts_with("data"), "{}", v.field);
        }
    }
}
