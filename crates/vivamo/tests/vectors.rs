//! The shared `testdata/validation.json` vectors, through `create` and `update` against the
//! sandbox in the matching mode: the same verdicts as the rules crate, end to end.

mod common;

use std::collections::BTreeSet;

use common::{client_builder, reset, sandbox};
use serde_json::Value;
use vivamo::{CustomerUpdate, ErrorKind, NewCustomer, Validation};
use vivamo_sandbox::{Mode, SandboxHandle};

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/validation.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    file["cases"].as_array().unwrap().clone()
}

fn pairs(list: &Value) -> BTreeSet<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["field"].as_str().unwrap().to_string(),
                v["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn data_of(input: &Value) -> vivamo::rules::CustomerData {
    serde_json::from_value(input["data"].clone()).unwrap_or_default()
}

/// Runs one case; returns a description of the mismatch, if any.
async fn run(case: &Value, sb: &SandboxHandle) -> Option<String> {
    reset(sb).await;
    let client = client_builder(sb)
        .validation(Validation::Strict)
        .build()
        .unwrap();
    let expected = &case["expected"];
    let want_errors = pairs(&expected["errors"]);
    let input = &case["input"];
    let (result, id) = match case["operation"].as_str().unwrap() {
        "create" => {
            let id = input["externalCustomerId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let new = NewCustomer {
                external_customer_id: id.clone(),
                verify_after_creation: false,
                data: data_of(input),
            };
            let result = client
                .customers()
                .create(new)
                .await
                .map(|c| (c.customer, c.warnings));
            (result, id.trim().to_string())
        }
        _ => {
            client
                .customers()
                .create(NewCustomer::new("vector_base", "vector-base@example.com"))
                .await
                .unwrap();
            let update = CustomerUpdate {
                data: data_of(input),
            };
            // `update` returns the record alone (its warnings go to the logs).
            let result = client
                .customers()
                .update("vector_base", update)
                .await
                .map(|c| (c, Vec::new()));
            (result, "vector_base".to_string())
        }
    };
    match result {
        Err(e) if e.kind() == ErrorKind::Validation => {
            let got: BTreeSet<_> = e
                .violations()
                .iter()
                .map(|v| (v.field.clone(), v.code.as_str().to_string()))
                .collect();
            (got != want_errors).then(|| format!("errors {got:?}, expected {want_errors:?}"))
        }
        Err(e) => Some(format!("unexpected error {e}")),
        Ok(_) if !want_errors.is_empty() => Some(format!("accepted, expected {want_errors:?}")),
        Ok((customer, warnings)) => {
            if customer.external_customer_id != id {
                return Some(format!("stored id {}", customer.external_customer_id));
            }
            let stored = serde_json::to_value(&customer.data).unwrap();
            let normalized = &expected["normalized"]["data"];
            for (field, value) in normalized.as_object().unwrap() {
                if stored.get(field) != Some(value) {
                    return Some(format!(
                        "{field}: stored {:?}, expected {value}",
                        stored.get(field)
                    ));
                }
            }
            let checks_warnings = case["operation"] == "create";
            for (field, _) in pairs(&expected["warnings"])
                .into_iter()
                .filter(|_| checks_warnings)
            {
                if !warnings.iter().any(|w| w.starts_with(&format!("{field}:"))) {
                    return Some(format!("no warning for {field} in {warnings:?}"));
                }
            }
            None
        }
    }
}

#[tokio::test]
async fn every_vector_through_the_sdk_and_the_sandbox() {
    let production = sandbox(Mode::Production).await;
    let test_mode = sandbox(Mode::Test).await;
    let cases = cases();
    assert!(cases.len() >= 80, "only {} vectors", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let sb = match case["environment"].as_str().unwrap() {
            "production" => &production,
            _ => &test_mode,
        };
        if let Some(problem) = run(case, sb).await {
            failures.push(format!("{}: {problem}", case["name"].as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
