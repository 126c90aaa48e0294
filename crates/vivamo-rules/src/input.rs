//! What `validateCustomer` (Node) and `validate_customer` (Python) are given, read one way:
//! a whole body or the data object alone, camelCase or snake_case keys, and every unknown
//! key or non-string value named in a violation.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::customer::{validate_create, validate_create_data, validate_update};
use crate::{Code, CustomerData, CustomerInput, Environment, Report, Violation};

/// Which rules [`validate_value`] applies: the Create Customer or the Update Customer ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Operation {
    /// [`validate_create`] (or [`validate_create_data`] for a data object without an id).
    #[default]
    Create,
    /// [`validate_update`].
    Update,
}

/// The error of parsing an [`Operation`] from anything but `create` or `update`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseOperationError(String);

impl fmt::Display for ParseOperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an operation: use \"create\" or \"update\"",
            self.0
        )
    }
}

impl std::error::Error for ParseOperationError {}

impl FromStr for Operation {
    type Err = ParseOperationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "create" => Ok(Operation::Create),
            "update" => Ok(Operation::Update),
            other => Err(ParseOperationError(other.to_owned())),
        }
    }
}

const ID_KEYS: [&str; 2] = ["externalCustomerId", "external_customer_id"];

/// Reads `input` and validates it for `operation` in `env`: the one behaviour of the Node
/// and Python `validateCustomer`.
///
/// `input` is a whole Create Customer body (`{"externalCustomerId", "data"}`: an object with
/// a `data` or an `externalCustomerId` key, or an empty object) or the data object alone
/// (`{"email", "phone", …}`). Keys may be camelCase, as in the API, or snake_case
/// (`first_name`, `external_customer_id`). `external_customer_id`, when given, is the id
/// (over any in `input`).
///
/// A create checks the id only when there is one to check: a whole body, or an
/// `external_customer_id`; the data object alone gets every data rule
/// ([`validate_create_data`]). An update ignores the id, which travels in the URL.
/// `normalized` is always a whole body.
///
/// `Err` lists every key that is not a customer field ([`Code::UnknownField`], naming it:
/// `data.emial`) and every value that is neither a string nor `null`
/// ([`Code::InvalidType`]), or says that `input` is not an object.
///
/// ```
/// use serde_json::json;
/// use vivamo_rules::{validate_value, Code, Environment, Operation};
///
/// let report = validate_value(
///     &json!({"email": " jane@example.com ", "first_name": "Jane"}),
///     Operation::Create,
///     Environment::Production,
///     Some("user_123"),
/// )
/// .unwrap();
/// assert_eq!(
///     serde_json::to_value(&report.normalized).unwrap(),
///     json!({"externalCustomerId": "user_123", "data": {"email": "jane@example.com", "firstName": "Jane"}})
/// );
///
/// let unknown = validate_value(&json!({"data": {"emial": "x"}}), Operation::Create, Environment::Production, None);
/// let violations = unknown.unwrap_err();
/// assert_eq!((violations[0].field.as_str(), violations[0].code), ("data.emial", Code::UnknownField));
/// ```
pub fn validate_value(
    input: &Value,
    operation: Operation,
    env: Environment,
    external_customer_id: Option<&str>,
) -> Result<Report, Vec<Violation>> {
    let Some(object) = input.as_object() else {
        return Err(vec![Violation::new(
            "input",
            Code::InvalidType,
            format!(
                "input must be an object, {{ email, phone, … }} or {{ externalCustomerId, data }}, not {}",
                json_type(input)
            ),
        )]);
    };
    let whole_body = object.is_empty()
        || object.contains_key("data")
        || ID_KEYS.iter().any(|k| object.contains_key(*k));
    let mut problems = Vec::new();
    let mut body = CustomerInput::default();
    if whole_body {
        for (key, value) in object {
            if key == "data" {
                match value {
                    Value::Object(data) => body.data = read_data(data, &mut problems),
                    Value::Null => {}
                    other => problems.push(Violation::new(
                        "data",
                        Code::InvalidType,
                        format!(
                            "data must be an object of customer fields, not {}",
                            json_type(other)
                        ),
                    )),
                }
            } else if ID_KEYS.contains(&key.as_str()) {
                body.external_customer_id = string(key, value, &mut problems);
            } else {
                problems.push(Violation::new(
                    key.clone(),
                    Code::UnknownField,
                    format!("unknown request field {key:?}: use externalCustomerId and data"),
                ));
            }
        }
    } else {
        body.data = read_data(object, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(id) = external_customer_id {
        body.external_customer_id = Some(id.to_owned());
    }
    let has_id = whole_body || external_customer_id.is_some();
    Ok(match operation {
        Operation::Create if has_id => validate_create(&body, env),
        Operation::Create => validate_create_data(&body.data, env),
        Operation::Update => validate_update(&body.data, env),
    })
}

/// The violation for a key of `data` that is not a customer field: every binding reports it
/// with this message, which lists the fields (camelCase, and snake_case where it differs) and
/// names the way to send a field the SDK does not know yet: the extra-body option of each
/// language, which sends it as given.
///
/// ```
/// use vivamo_rules::{unknown_customer_field, Code};
/// let v = unknown_customer_field("nickname");
/// assert_eq!((v.field.as_str(), v.code), ("data.nickname", Code::UnknownField));
/// assert!(v.message.starts_with("unknown customer field \"nickname\": use one of email, phone, firstName (first_name)"));
/// assert!(v.message.contains("to send a field this SDK does not know yet, pass it through the extra-body option"));
/// assert!(v.message.contains(r#"Python `extra_body={"data": {"nickname": …}}`"#));
/// ```
pub fn unknown_customer_field(key: &str) -> Violation {
    Violation::new(
        format!("data.{key}"),
        Code::UnknownField,
        format!(
            "unknown customer field {key:?}: use one of {}; to send a field this SDK does not know yet, pass it through the extra-body option, which sends it as given (Rust `.extra_field(\"data\", json!({{{key:?}: …}}))`, Node `{{ extraBody: {{ data: {{ {key:?}: … }} }} }}`, Python `extra_body={{\"data\": {{{key:?}: …}}}}`)",
            CustomerData::FIELDS
                .iter()
                .map(|(api, snake)| if api == snake {
                    (*api).to_owned()
                } else {
                    format!("{api} ({snake})")
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

fn read_data(object: &Map<String, Value>, problems: &mut Vec<Violation>) -> CustomerData {
    let mut data = CustomerData::default();
    for (key, value) in object {
        let path = format!("data.{key}");
        match data.field_mut(key) {
            Some(slot) => *slot = string(&path, value, problems),
            None => problems.push(unknown_customer_field(key)),
        }
    }
    data
}

fn string(path: &str, value: &Value, problems: &mut Vec<Violation>) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => {
            problems.push(Violation::new(
                path.to_owned(),
                Code::InvalidType,
                format!(
                    "{path} must be a string or absent, not {}",
                    json_type(other)
                ),
            ));
            None
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
