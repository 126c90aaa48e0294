//! `check_email` over any text: normalizing twice gives the same result, a normalized
//! address re-validates with the same findings, and the two environments agree on what is
//! broken (an error everywhere) and differ only in where policy findings go.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vivamo_rules::{check_email, Environment};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let sandbox = check_email(raw, Environment::Sandbox);
    let production = check_email(raw, Environment::Production);
    assert_eq!(sandbox.normalized, production.normalized);
    // Production turns every sandbox warning into an error and warns about nothing.
    assert!(production.warnings.is_empty());
    assert_eq!(
        production.errors.len(),
        sandbox.errors.len() + sandbox.warnings.len()
    );
    let Some(normalized) = &sandbox.normalized else {
        assert!(
            !sandbox.errors.is_empty(),
            "{raw:?}: no address and no error"
        );
        return;
    };
    let again = check_email(normalized, Environment::Sandbox);
    assert_eq!(again.normalized.as_ref(), Some(normalized), "{raw:?}");
    assert_eq!(again.errors, sandbox.errors, "{raw:?}");
    assert_eq!(again.warnings, sandbox.warnings, "{raw:?}");
    if sandbox.errors.is_empty() {
        // A valid address is already normalized: at most 254 ASCII characters, one `@`.
        assert!(normalized.is_ascii() && normalized.len() <= 254, "{raw:?}");
        assert_eq!(normalized.matches('@').count(), 1, "{raw:?}");
        assert_eq!(normalized.trim(), normalized, "{raw:?}");
    }
});
