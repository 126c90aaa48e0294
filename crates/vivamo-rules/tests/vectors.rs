//! Runs every case of `testdata/validation.json`, the vectors the Rust, Node and Python
//! SDKs all run, and reports every failing case by name.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use vivamo_rules::{
    validate_create, validate_update, CustomerData, CustomerInput, Environment, Violation,
};

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
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    normalized: Value,
    #[serde(default)]
    errors: Vec<ExpectedViolation>,
    #[serde(default)]
    warnings: Vec<ExpectedViolation>,
}

#[derive(Deserialize)]
struct ExpectedViolation {
    field: String,
    code: String,
    message: Option<String>,
}

/// Compares violations as multisets of (field, code); checks messages where given.
fn compare(kind: &str, expected: &[ExpectedViolation], actual: &[Violation]) -> Vec<String> {
    let mut problems = Vec::new();
    let count = |pairs: Vec<(String, String)>| {
        let mut m = BTreeMap::new();
        for p in pairs {
            *m.entry(p).or_insert(0) += 1;
        }
        m
    };
    let want = count(
        expected
            .iter()
            .map(|v| (v.field.clone(), v.code.clone()))
            .collect(),
    );
    let got = count(
        actual
            .iter()
            .map(|v| (v.field.clone(), v.code.as_str().to_owned()))
            .collect(),
    );
    if want != got {
        problems.push(format!(
            "{kind}: expected {want:?}, got {:?}",
            actual.iter().map(|v| v.to_string()).collect::<Vec<_>>()
        ));
    }
    for e in expected {
        if let Some(msg) = &e.message {
            let found = actual
                .iter()
                .any(|v| v.field == e.field && v.code.as_str() == e.code && &v.message == msg);
            if !found {
                problems.push(format!(
                    "{kind}: no {}/{} with message {msg:?}",
                    e.field, e.code
                ));
            }
        }
    }
    problems
}

#[test]
fn validation_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/validation.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let file: File = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"));
    assert!(!file.description.is_empty());
    assert!(file.cases.len() >= 80, "only {} cases", file.cases.len());

    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in &file.cases {
        assert!(
            names.insert(&case.name),
            "duplicate case name {:?}",
            case.name
        );
        let report = match case.operation.as_str() {
            "create" => {
                let input: CustomerInput = serde_json::from_value(case.input.clone())
                    .unwrap_or_else(|e| panic!("{}: bad create input: {e}", case.name));
                validate_create(&input, case.environment)
            }
            "update" => {
                let data = case.input.get("data").cloned().unwrap_or(Value::Null);
                let data: CustomerData = if data.is_null() {
                    CustomerData::default()
                } else {
                    serde_json::from_value(data)
                        .unwrap_or_else(|e| panic!("{}: bad update input: {e}", case.name))
                };
                validate_update(&data, case.environment)
            }
            other => panic!("{}: unknown operation {other:?}", case.name),
        };
        let mut problems = Vec::new();
        let normalized = serde_json::to_value(&report.normalized).unwrap();
        if normalized != case.expected.normalized {
            problems.push(format!(
                "normalized: expected {}, got {normalized}",
                case.expected.normalized
            ));
        }
        problems.extend(compare("errors", &case.expected.errors, &report.errors));
        problems.extend(compare(
            "warnings",
            &case.expected.warnings,
            &report.warnings,
        ));
        if !problems.is_empty() {
            failures.push(format!(
                "[{}] ({} {}):\n    {}",
                case.name,
                case.environment,
                case.operation,
                problems.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        file.cases.len(),
        failures.join("\n")
    );
    println!("{} validation vectors passed", file.cases.len());
}
