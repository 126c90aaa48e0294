//! `vivamo::webhooks` over any delivery: `verify(sign(b))` holds for every body and secret
//! (either case of hex, surrounding whitespace); a signature that verifies is the body's;
//! a body changed by one byte is refused; `parse` never panics and agrees with `verify`.
//!
//! Input: `secret 0x00 signature 0x00 body` (the body may hold 0x00 bytes itself).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vivamo::webhooks::{parse, sign, verify};
use vivamo::ErrorKind;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let secret = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let signature = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();

    let expected = sign(body, &secret);
    assert_eq!(expected.len(), 128);
    if secret.is_empty() {
        let e = verify(body, &expected, &secret).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
    } else {
        verify(body, &expected, &secret).expect("verify(sign(b)) holds");
        verify(body, &format!(" {}\n", expected.to_uppercase()), &secret)
            .expect("upper-case hex with whitespace around verifies");
        if let Some((&first, rest)) = body.split_first() {
            let mut changed = vec![first ^ 0x01];
            changed.extend_from_slice(rest);
            let e = verify(&changed, &expected, &secret).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WebhookSignature);
        }
    }

    // The given signature: it verifies only if it is the body's, in some case.
    let given = verify(body, &signature, &secret);
    match &given {
        Ok(()) => assert_eq!(signature.trim().to_ascii_lowercase(), expected),
        Err(e) => assert!(matches!(
            e.kind(),
            ErrorKind::WebhookSignature | ErrorKind::Config
        )),
    }
    match parse(body, &signature, &secret) {
        Ok(_) => assert!(given.is_ok()),
        Err(e) if e.kind() == ErrorKind::Decode => {
            assert!(given.is_ok() && serde_json::from_slice::<serde_json::Value>(body).is_err())
        }
        Err(e) => assert_eq!(Some(e.kind()), given.err().map(|e| e.kind())),
    }
    // A signed delivery parses exactly when the body is JSON.
    if !secret.is_empty() {
        let parsed = parse(body, &expected, &secret);
        let is_json = serde_json::from_slice::<serde_json::Value>(body).is_ok();
        assert_eq!(parsed.is_ok(), is_json);
    }
});
