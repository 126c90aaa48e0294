//! Runs every case of `testdata/validate_customer.json` through `validate_value`, the reading
//! of `validateCustomer` input that the Node and Python suites check with the same file.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use vivamo_rules::{validate_value, Environment, Operation, Violation};

#[derive(Deserialize)]
struct File {
    description: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    environment: Environment,
    operation: String,
    input: Value,
    expected: Option<Expected>,
    rejected: Option<Vec<Pair>>,
}

#[derive(Deserialize)]
struct Expected {
    normalized: Value,
    errors: Vec<Pair>,
    warnings: Vec<Pair>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Pair {
    field: String,
    code: String,
}

fn counts(pairs: impl IntoIterator<Item = (String, String)>) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for pair in pairs {
        *out.entry(pair).or_insert(0) += 1;
    }
    out
}

fn expected(pairs: &[Pair]) -> BTreeMap<(String, String), usize> {
    counts(pairs.iter().map(|p| (p.field.clone(), p.code.clone())))
}

fn actual(violations: &[Violation]) -> BTreeMap<(String, String), usize> {
    counts(
        violations
            .iter()
            .map(|v| (v.field.clone(), v.code.as_str().to_owned())),
    )
}

#[test]
fn validate_customer_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/validate_customer.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let file: File = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"));
    assert!(!file.description.is_empty());
    assert!(file.cases.len() >= 20, "only {} cases", file.cases.len());
    for case in &file.cases {
        let operation: Operation = case.operation.parse().expect("operation");
        let result = validate_value(&case.input, operation, case.environment, None);
        match (&case.expected, &case.rejected, result) {
            (Some(want), None, Ok(report)) => {
                let normalized = serde_json::to_value(&report.normalized).expect("encode");
                assert_eq!(normalized, want.normalized, "{}: normalized", case.name);
                assert_eq!(
                    actual(&report.errors),
                    expected(&want.errors),
                    "{}: errors",
                    case.name
                );
                assert_eq!(
                    actual(&report.warnings),
                    expected(&want.warnings),
                    "{}: warnings",
                    case.name
                );
            }
            (None, Some(want), Err(violations)) => {
                assert_eq!(actual(&violations), expected(want), "{}", case.name);
                assert!(
                    violations
                        .iter()
                        .all(|v| v.message.contains(&v.field.replace("data.", ""))),
                    "{}: every message names its field: {violations:?}",
                    case.name
                );
            }
            (_, _, result) => panic!("{}: unexpected outcome {result:?}", case.name),
        }
    }
}

#[test]
fn external_customer_id_argument_makes_a_whole_body() {
    let report = validate_value(
        &serde_json::json!({"email": "jane@example.com"}),
        Operation::Create,
        Environment::Production,
        Some("u1"),
    )
    .expect("valid");
    assert_eq!(
        report.normalized.external_customer_id.as_deref(),
        Some("u1")
    );
    assert!(report.is_valid());
    let missing = validate_value(
        &serde_json::json!({"email": "jane@example.com"}),
        Operation::Create,
        Environment::Production,
        Some("  "),
    )
    .expect("report");
    assert_eq!(missing.errors[0].field, "externalCustomerId");
}
