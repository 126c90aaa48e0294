//! `check_phone` over any text: normalizing twice gives the same result, a normalized number
//! re-validates with the same findings, and a number that passes is E.164.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vivamo_rules::{check_phone, Environment};

fuzz_target!(
    // The phone metadata (libphonenumber's, parsed on first use) loads before the clock of
    // the first input starts: instrumented and on a busy machine it takes longer than
    // libFuzzer's per-input timeout, once.
    init: {
        check_phone("+14155552671", Environment::Sandbox);
    },
    |data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let sandbox = check_phone(raw, Environment::Sandbox);
    let production = check_phone(raw, Environment::Production);
    assert_eq!(sandbox.normalized, production.normalized);
    assert!(production.warnings.is_empty());
    assert_eq!(
        production.errors.len(),
        sandbox.errors.len() + sandbox.warnings.len()
    );
    let Some(normalized) = &sandbox.normalized else {
        assert!(
            !sandbox.errors.is_empty(),
            "{raw:?}: no number and no error"
        );
        return;
    };
    // E.164: `+`, then 8 to 15 digits (the shortest plan's numbers and the ITU maximum).
    let digits = normalized
        .strip_prefix('+')
        .unwrap_or_else(|| panic!("{raw:?} → {normalized:?}"));
    assert!(
        digits.bytes().all(|b| b.is_ascii_digit()),
        "{raw:?} → {normalized:?}"
    );
    assert!(digits.len() <= 15, "{raw:?} → {normalized:?}");
    let again = check_phone(normalized, Environment::Sandbox);
    assert_eq!(again.normalized.as_ref(), Some(normalized), "{raw:?}");
    assert_eq!(again.errors, sandbox.errors, "{raw:?}");
    assert_eq!(again.warnings, sandbox.warnings, "{raw:?}");
});
