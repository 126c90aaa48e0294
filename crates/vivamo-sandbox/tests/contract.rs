//! The sandbox against Vivamo's documentation: every fact of `testdata/contract.json` (a
//! page, the sentence that states it, a request and the answer it must get), and every
//! example of `openapi.yaml` against the rules it sits under.

mod common;

use common::{call, client, Resp};
use reqwest::Method;
use serde_json::Value;
use vivamo_sandbox::{Mode, Sandbox, SandboxHandle};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load_json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

async fn send(c: &reqwest::Client, sb: &SandboxHandle, request: &Value) -> Resp {
    let method = Method::from_bytes(request["method"].as_str().unwrap().as_bytes()).unwrap();
    let key = request["key"].as_str().unwrap_or(sb.api_key());
    let path = request["path"].as_str().unwrap();
    call(c, sb, Some(key), method, path, request.get("body").cloned()).await
}

/// The keys of a constraint-keyed `errors` array, or why it is not one.
fn constraint_keys(errors: &Value) -> Result<Vec<String>, String> {
    let entries = errors
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| format!("errors is not a non-empty array: {errors}"))?;
    let mut keys = Vec::new();
    for entry in entries {
        let object = entry
            .as_object()
            .filter(|o| o.len() == 1)
            .ok_or_else(|| format!("entry is not a one-key object: {entry}"))?;
        let (key, description) = object.iter().next().unwrap();
        let camel = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && key.chars().all(|c| c.is_ascii_alphanumeric());
        if !camel {
            return Err(format!("{key:?} is not a constraint name (camelCase)"));
        }
        if description.as_str().is_none_or(str::is_empty) {
            return Err(format!(
                "{key}: the description is not a string: {description}"
            ));
        }
        keys.push(key.clone());
    }
    Ok(keys)
}

/// What is wrong with `r` for the fact's `expect`, if anything.
fn mismatch(expect: &Value, r: &Resp) -> Option<String> {
    if r.status != expect["status"].as_u64().unwrap() as u16 {
        return Some(format!("status {}: {}", r.status, r.body));
    }
    if !r.body.is_array() && r.status >= 400 && r.message().is_empty() {
        return Some(format!("an error without a message: {}", r.body));
    }
    if let Some(message) = expect["message"].as_str() {
        if r.message() != message {
            return Some(format!("message {:?}", r.message()));
        }
    }
    match expect["errors"].as_str() {
        Some("absent") if r.body.get("errors").is_some() => {
            return Some(format!("errors on a business refusal: {}", r.body));
        }
        Some("constraints") => match constraint_keys(&r.body["errors"]) {
            Err(e) => return Some(e),
            Ok(keys) => {
                if let Some(want) = expect.get("constraints") {
                    let want: Vec<String> = serde_json::from_value(want.clone()).unwrap();
                    if keys != want {
                        return Some(format!("constraints {keys:?}, expected {want:?}"));
                    }
                }
            }
        },
        _ => {}
    }
    let warning = r.body.get("warning").and_then(Value::as_str);
    match expect["warning"].as_str() {
        Some("present") if warning.is_none() => return Some("no warning".into()),
        Some("absent") if warning.is_some() => return Some(format!("warning {warning:?}")),
        _ => {}
    }
    for mention in expect["warningMentions"].as_array().into_iter().flatten() {
        let mention = mention.as_str().unwrap();
        if !warning.is_some_and(|w| w.contains(mention)) {
            return Some(format!("the warning {warning:?} does not name {mention}"));
        }
    }
    for (pointer, want) in expect["fields"].as_object().into_iter().flatten() {
        if r.body.pointer(pointer) != Some(want) {
            return Some(format!(
                "{pointer:?} is {:?}, expected {want}",
                r.body.pointer(pointer)
            ));
        }
    }
    for (pointer, prefix) in expect["prefixes"].as_object().into_iter().flatten() {
        let got = r.body.pointer(pointer).and_then(Value::as_str);
        if !got.is_some_and(|g| g.starts_with(prefix.as_str().unwrap())) {
            return Some(format!(
                "{pointer:?} is {got:?}, expected the prefix {prefix}"
            ));
        }
    }
    None
}

#[tokio::test]
async fn every_documented_fact_holds() {
    let file = load_json("testdata/contract.json");
    let facts = file["facts"].as_array().unwrap();
    assert!(facts.len() >= 15, "only {} facts", facts.len());
    let production = Sandbox::builder()
        .mode(Mode::Production)
        .spawn()
        .await
        .unwrap();
    let test_mode = Sandbox::builder().mode(Mode::Test).spawn().await.unwrap();
    let c = client();
    let mut failures = Vec::new();
    for fact in facts {
        let name = fact["name"].as_str().unwrap();
        assert!(
            fact["page"]
                .as_str()
                .is_some_and(|p| p.starts_with("https://docs.vivamo.co/")),
            "{name}: every fact names the Vivamo page it comes from"
        );
        assert!(
            fact["quote"].as_str().is_some_and(|q| !q.is_empty()),
            "{name}"
        );
        let sb = match fact["mode"].as_str().unwrap() {
            "production" => &production,
            "test" => &test_mode,
            other => panic!("{name}: unknown mode {other}"),
        };
        sb.state().reset();
        for setup in fact["setup"].as_array().into_iter().flatten() {
            let r = send(&c, sb, setup).await;
            assert_eq!(r.status, 200, "{name}: setup {setup}: {}", r.body);
        }
        let r = send(&c, sb, &fact["request"]).await;
        if let Some(problem) = mismatch(&fact["expect"], &r) {
            failures.push(format!("{name} ({}): {problem}", fact["page"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documented facts fail:\n{}",
        failures.len(),
        facts.len(),
        failures.join("\n")
    );
}

/// `openapi.yaml`, as JSON values.
fn spec() -> Value {
    let text = std::fs::read_to_string(root().join("openapi.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[tokio::test]
async fn every_spec_example_passes_the_rules_it_sits_under() {
    let spec = spec();
    // The property examples of the customer fields, as one customer.
    for schema in ["CustomerData", "CustomerDataUpdate"] {
        let properties = spec["components"]["schemas"][schema]["properties"]
            .as_object()
            .unwrap();
        let mut data = serde_json::Map::new();
        for (name, property) in properties {
            let example = property
                .get("example")
                .unwrap_or_else(|| panic!("{schema}.{name} has no example"));
            data.insert(name.clone(), example.clone());
        }
        let data: vivamo_rules::CustomerData = serde_json::from_value(Value::Object(data)).unwrap();
        let report =
            vivamo_rules::validate_create_data(&data, vivamo_rules::Environment::Production);
        assert!(
            report.errors.is_empty() && report.warnings.is_empty(),
            "{schema} examples: {:?} {:?}",
            report.errors,
            report.warnings
        );
    }

    // The request examples, sent to the sandbox in production mode.
    let sb = Sandbox::builder()
        .mode(Mode::Production)
        .spawn()
        .await
        .unwrap();
    let c = client();
    let customers = &spec["paths"]["/v1/customers"]["post"]["requestBody"]["content"]
        ["application/json"]["example"];
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::POST,
        "/v1/customers",
        Some(customers.clone()),
    )
    .await;
    assert_eq!(r.status, 200, "the createCustomer example: {}", r.body);
    assert!(r.body.get("warning").is_none(), "{}", r.body);
    let id = customers["externalCustomerId"].as_str().unwrap();
    let update = &spec["paths"]["/v1/customers/{externalCustomerId}"]["patch"]["requestBody"]
        ["content"]["application/json"]["example"];
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        &format!("/v1/customers/{id}"),
        Some(update.clone()),
    )
    .await;
    assert_eq!(r.status, 200, "the updateCustomer example: {}", r.body);
    let list = &spec["paths"]["/v1/customers"]["get"]["parameters"];
    let query: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}={}", p["name"].as_str().unwrap(), p["example"]))
        .collect();
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::GET,
        &format!("/v1/customers?{}", query.join("&")),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "the listCustomers examples: {}", r.body);
    let verify = &spec["paths"]["/v1/customers/{externalCustomerId}/kyc-verify/{type}"]["post"]
        ["requestBody"]["content"]["application/json"]["example"];
    assert!(verify["verify"].is_boolean());

    // The documented error examples have Vivamo's shape: a message, and constraint-keyed
    // errors when present.
    for (name, response) in spec["components"]["responses"].as_object().unwrap() {
        let content = &response["content"]["application/json"];
        let mut examples: Vec<&Value> = content.get("example").into_iter().collect();
        examples.extend(
            content["examples"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, e)| &e["value"]),
        );
        assert!(!examples.is_empty(), "{name} has no example");
        for example in examples {
            assert!(example["message"].is_string(), "{name}: {example}");
            if let Some(errors) = example.get("errors") {
                constraint_keys(errors).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }
}
