//! `vivamo kyc …` and `vivamo webhooks …` end to end: goldens against an in-process sandbox,
//! and the shared webhook vectors through the binary.

mod common;

use common::*;

/// Moves a customer's verification with the sandbox's control route.
fn force(sb: &Sb, id: &str, body: serde_json::Value) {
    let url = format!("{}/__sandbox/customers/{id}/kyc", sb.handle.base_url());
    let key = sb.handle.api_key().to_string();
    let status = sb.rt.block_on(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert!(status.is_success());
}

#[test]
fn kyc_info_review_approve_reject() {
    let sb = Sb::start();
    for (id, email) in [("ann", "ann@example.com"), ("ben", "ben@example.com")] {
        let (code, _, err) = run(sb.cmd().args(["customers", "create", id, "--email", email]));
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, err) = run(sb.cmd().args(["kyc", "info", "ann"]));
    golden("kyc_info_pending.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args(["--output", "json", "kyc", "info", "ann"]));
    golden("kyc_info_pending_json.txt", &transcript(code, &out, &err));

    force(&sb, "ann", serde_json::json!({"status": "under_review"}));
    force(
        &sb,
        "ben",
        serde_json::json!({"status": "under_review", "attempted": false}),
    );
    let (code, out, err) = run(sb.cmd().args(["kyc", "review"]));
    golden("kyc_review.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args(["kyc", "review", "--output", "json"]));
    assert_eq!(code, 0);
    let queue: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(queue.as_array().unwrap().len(), 2, "{err}");

    let (code, out, err) = run(sb
        .cmd()
        .args(["kyc", "approve", "ann", "--type", "proof_of_id"]));
    golden("kyc_approve.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args(["kyc", "approve", "ben"]));
    golden(
        "kyc_approve_not_attempted.txt",
        &transcript(code, &out, &err),
    );
    assert_eq!(code, 1);
    let (code, out, err) = run(sb.cmd().args(["kyc", "reject", "ben", "--type", "selfie"]));
    golden("kyc_reject_unknown_type.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args(["kyc", "reject", "ben"]));
    golden("kyc_reject.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args(["kyc", "reject", "ben"]));
    golden(
        "kyc_reject_not_under_review.txt",
        &transcript(code, &out, &err),
    );
    let (code, out, err) = run(sb.cmd().args(["kyc", "info", "ann"]));
    golden("kyc_info_decided.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args(["kyc", "info", "nobody"]));
    golden("kyc_info_unknown.txt", &transcript(code, &out, &err));
}

#[test]
fn webhooks_sign_and_verify() {
    let dir = tmp();
    let body = r#"{"amount":"125.50","status":"success","transactionType":"payment","externalCustomerId":"user_123","externalPaymentIntentId":"order_987"}"#;
    let file = write(dir.path(), "event.json", body);
    let (code, out, err) = run(vivamo()
        .args(["webhooks", "sign", "--secret", "whsec_test"])
        .arg(&file));
    golden("webhooks_sign.txt", &transcript(code, &out, &err));
    let signature = out.trim().to_string();

    let (code, out, err) = run(vivamo()
        .args([
            "webhooks",
            "verify",
            "--secret",
            "whsec_test",
            "--signature",
            &signature,
            "-",
        ])
        .write_stdin(body));
    golden("webhooks_verify_ok.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(vivamo()
        .args([
            "webhooks",
            "verify",
            "--secret",
            "whsec_other",
            "--signature",
            &signature,
        ])
        .arg(&file));
    golden(
        "webhooks_verify_mismatch.txt",
        &transcript(code, &out, &err),
    );
    assert_eq!(code, 1);
    let (code, out, err) = run(vivamo()
        .args([
            "webhooks",
            "verify",
            "--secret",
            "whsec_test",
            "--signature",
            "xyz",
        ])
        .arg(&file));
    golden(
        "webhooks_verify_malformed.txt",
        &transcript(code, &out, &err),
    );
}

#[test]
fn webhooks_verify_runs_the_shared_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/webhooks.json");
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for v in vectors["vectors"].as_array().unwrap() {
        let s = |k: &str| v[k].as_str().unwrap().to_string();
        let (code, out, _) = run(vivamo()
            .args([
                "webhooks",
                "verify",
                "--secret",
                &s("secret"),
                "--signature",
                &s("signature"),
            ])
            .write_stdin(s("payload")));
        let expected = if v["valid"].as_bool().unwrap() { 0 } else { 1 };
        assert_eq!(code, expected, "{}: {out}", s("name"));
        assert_eq!(out.lines().count(), 1, "one sentence: {out}");
    }
}

#[test]
fn webhooks_create_list_update_delete() {
    let sb = Sb::start();
    let url = "http://127.0.0.1:9/hooks";
    let (code, out, err) = run(sb.cmd().args([
        "--output",
        "json",
        "webhooks",
        "create",
        url,
        "--header",
        "x-pre-shared-key=psk",
    ]));
    assert_eq!(code, 0, "{err}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = created["webhook"]["_id"].as_str().unwrap().to_string();
    assert!(created["secretKey"].as_str().unwrap().starts_with("whsec_"));

    let (code, _, err) = run(sb.cmd().args(["webhooks", "create", url]));
    assert_eq!(code, 1);
    assert!(
        err.contains("HTTP 409") && err.contains("conflict"),
        "{err}"
    );

    let (code, out, err) = run(sb.cmd().args([
        "webhooks",
        "update",
        &id,
        "--status",
        "inactive",
        "--event-type",
        "kyc_verification",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("inactive") && out.contains("kyc_verification"),
        "{out}"
    );
    assert!(!out.contains("psk"), "header values are not shown: {out}");

    let (code, out, _) = run(sb.cmd().args(["webhooks", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains(&id) && out.contains("1 webhook(s)"), "{out}");
    let (code, out, _) = run(sb.cmd().args(["webhooks", "delete", &id]));
    assert_eq!(
        (code, out.trim()),
        (0, format!("{id}: Webhook deleted").as_str())
    );
    let (code, _, err) = run(sb.cmd().args(["webhooks", "delete", &id]));
    assert_eq!(code, 1, "{err}");
}
