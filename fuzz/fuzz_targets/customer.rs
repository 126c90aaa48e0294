//! Whole-customer validation from arbitrary JSON: a body that is a create request validates
//! in both environments without panicking; the normalized payload is a fixed point (it
//! normalizes to itself, with the same findings); and nothing the user gave is dropped
//! (a field is removed only when blank).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vivamo_rules::{validate_create, validate_update, CustomerData, CustomerInput, Environment};

fn fields(d: &CustomerData) -> [&Option<String>; 10] {
    [
        &d.email,
        &d.phone,
        &d.first_name,
        &d.last_name,
        &d.street,
        &d.street2,
        &d.state,
        &d.city,
        &d.zip,
        &d.country,
    ]
}

fuzz_target!(
    // The phone metadata (libphonenumber's, parsed on first use) loads before the clock of
    // the first input starts: instrumented and on a busy machine it takes longer than
    // libFuzzer's per-input timeout, once.
    init: {
        vivamo_rules::check_phone("+14155552671", Environment::Sandbox);
    },
    |data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<CustomerInput>(data) else {
        return;
    };
    for env in [Environment::Sandbox, Environment::Production] {
        let report = validate_create(&input, env);
        let again = validate_create(&report.normalized, env);
        assert_eq!(again.normalized, report.normalized, "{input:?}");
        assert_eq!(again.errors, report.errors, "{input:?}");
        assert_eq!(again.warnings, report.warnings, "{input:?}");
        for (given, kept) in fields(&input.data)
            .into_iter()
            .zip(fields(&report.normalized.data))
        {
            let blank = given
                .as_deref()
                .is_none_or(|s| s.chars().all(|c| c.is_whitespace() || is_invisible(c)));
            assert_eq!(kept.is_some(), !blank, "{given:?} → {kept:?}");
        }
        // The same data as an update: never panics, and its normalized payload is also a
        // fixed point.
        let update = validate_update(&input.data, env);
        let again = validate_update(&update.normalized.data, env);
        assert_eq!(again.normalized, update.normalized, "{input:?}");
    }
});

/// What the rules trim besides whitespace, as their docs list it: zero-width space and
/// joiners, word joiner, byte-order mark, left-to-right and right-to-left marks.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}
