//! The shared webhook vectors (testdata/webhooks.json, computed with Python's hmac).

use serde::Deserialize;
use vivamo::webhooks::{self, WebhookEvent};
use vivamo::ErrorKind;

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    payload: String,
    signature: String,
    secret: String,
    valid: bool,
    event: Option<String>,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/webhooks.json");
    let text = std::fs::read_to_string(path).expect("testdata/webhooks.json");
    serde_json::from_str::<Vectors>(&text).unwrap().vectors
}

#[test]
fn every_vector_verifies_as_expected() {
    let all = vectors();
    assert!(all.len() >= 10);
    for v in all {
        let payload = v.payload.as_bytes();
        let verified = webhooks::verify(payload, &v.signature, &v.secret);
        match (v.valid, verified) {
            (true, Ok(())) => {
                let event = webhooks::parse(payload, &v.signature, &v.secret).unwrap();
                let kind = match event {
                    WebhookEvent::PaymentResult(p) => {
                        assert!(!p.amount.is_empty());
                        "payment_result"
                    }
                    WebhookEvent::Other(_) => "other",
                };
                assert_eq!(Some(kind), v.event.as_deref(), "{}", v.name);
                if v.signature.trim() == v.signature.trim().to_lowercase() {
                    assert_eq!(
                        webhooks::sign(payload, &v.secret),
                        v.signature.trim(),
                        "{}",
                        v.name
                    );
                }
            }
            (false, Err(e)) => {
                assert_eq!(e.kind(), ErrorKind::WebhookSignature, "{}: {e}", v.name);
                assert!(
                    !e.to_string().contains(&v.secret),
                    "{}: the secret leaks",
                    v.name
                );
                assert!(webhooks::parse(payload, &v.signature, &v.secret).is_err());
            }
            (valid, got) => panic!("{}: expected valid={valid}, got {got:?}", v.name),
        }
    }
}

#[test]
fn odd_inputs_are_errors_not_panics() {
    let sig = webhooks::sign(b"{}", "s");
    for bad in [
        "é".repeat(64),
        "\u{0}".repeat(128),
        " ".into(),
        "0".repeat(129),
    ] {
        let e = webhooks::verify(b"{}", &bad, "s").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WebhookSignature, "{bad:?}");
    }
    assert_eq!(
        webhooks::verify(b"{}", &sig, "").unwrap_err().kind(),
        ErrorKind::Config
    );
    let not_json = webhooks::sign(b"not json", "s");
    assert_eq!(
        webhooks::parse(b"not json", &not_json, "s")
            .unwrap_err()
            .kind(),
        ErrorKind::Decode
    );
}
