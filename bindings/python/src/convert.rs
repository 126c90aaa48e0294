//! Argument conversion: Python dicts into the SDK's customer data, JSON values into Python.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use vivamo::rules::{self, CustomerData, CustomerInput, Environment};

use crate::errors::{config_error, validation_error};
use crate::models::{ValidationReport, Violation};

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub fn json_to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_pyobject(py)?.into_any(),
            (None, Some(i)) => i.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// The slot of `CustomerData` a key (camelCase as in the API, or snake_case) names.
fn slot<'a>(data: &'a mut CustomerData, key: &str) -> Option<&'a mut Option<String>> {
    Some(match key {
        "email" => &mut data.email,
        "phone" => &mut data.phone,
        "firstName" | "first_name" => &mut data.first_name,
        "lastName" | "last_name" => &mut data.last_name,
        "street" => &mut data.street,
        "street2" => &mut data.street2,
        "state" => &mut data.state,
        "city" => &mut data.city,
        "zip" => &mut data.zip,
        "country" => &mut data.country,
        _ => return None,
    })
}

/// The keys `data=` accepts, for error messages.
const KEYS: &str = "email, phone, firstName/first_name, lastName/last_name, street, street2, state, city, zip, country";

fn unknown_key(key: &str, path: &str) -> Violation {
    Violation {
        field: format!("{path}{key}"),
        code: "unknown_field".into(),
        message: format!("unknown customer field {key:?}: use one of {KEYS}"),
    }
}

fn not_a_string(key: &str, path: &str, got: &Bound<'_, PyAny>) -> Violation {
    let type_name = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    Violation {
        field: format!("{path}{key}"),
        code: "invalid_type".into(),
        message: format!("{path}{key} must be a string or None, not {type_name}"),
    }
}

/// A mapping (dict or any object with `items()`) as a list of (key, value) pairs.
fn items<'py>(
    obj: &Bound<'py, PyAny>,
    what: &str,
) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let py = obj.py();
    if let Ok(dict) = obj.cast::<PyDict>() {
        return Ok(dict.iter().collect());
    }
    let Ok(items) = obj.call_method0("items") else {
        return Err(validation_error(
            py,
            vec![Violation {
                field: what.trim_end_matches('.').to_string(),
                code: "invalid_type".into(),
                message: format!(
                    "{} must be a dict of customer fields",
                    what.trim_end_matches('.')
                ),
            }],
        ));
    };
    let mut out = Vec::new();
    for pair in items.try_iter()? {
        let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair?.extract()?;
        out.push((k, v));
    }
    Ok(out)
}

fn key_string(key: &Bound<'_, PyAny>) -> String {
    key.extract::<String>()
        .unwrap_or_else(|_| key.repr().map(|r| r.to_string()).unwrap_or_default())
}

/// Reads a `data=` mapping with camelCase or snake_case keys; every unknown key or non-string
/// value is reported at once as a `ValidationError` naming the field.
pub fn customer_data(data: Option<&Bound<'_, PyAny>>) -> PyResult<CustomerData> {
    let mut out = CustomerData::default();
    let Some(data) = data.filter(|d| !d.is_none()) else {
        return Ok(out);
    };
    let py = data.py();
    let mut problems = Vec::new();
    for (key, value) in items(data, "data.")? {
        let key = key_string(&key);
        let Some(slot) = slot(&mut out, &key) else {
            problems.push(unknown_key(&key, "data."));
            continue;
        };
        if value.is_none() {
            *slot = None;
        } else if let Ok(s) = value.extract::<String>() {
            *slot = Some(s);
        } else {
            problems.push(not_a_string(&key, "data.", &value));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(validation_error(py, problems))
    }
}

/// Sets the fields given as keyword arguments (`update(..., city="Boston")`) over `data`.
pub fn apply_fields(data: &mut CustomerData, fields: [(&str, Option<String>); 10]) {
    for (key, value) in fields {
        if let (Some(slot), Some(value)) = (slot(data, key), value) {
            *slot = Some(value);
        }
    }
}

/// Parses an environment name (`production`, `sandbox`, or `test` for the sandbox).
pub fn environment(py: Python<'_>, name: &str) -> PyResult<Environment> {
    name.parse::<Environment>().map_err(|_| {
        config_error(
            py,
            format!(
                "environment={name:?} is not an environment: use \"production\" or \"sandbox\""
            ),
        )
    })
}

/// `vivamo.validate_customer`: accepts a full request (`{"externalCustomerId", "data"}`, a key
/// may also be `external_customer_id`) or a data dict plus `external_customer_id=`.
pub fn validate_customer(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    environment_name: &str,
    operation: &str,
    external_customer_id: Option<String>,
) -> PyResult<ValidationReport> {
    let env = environment(py, environment_name)?;
    let pairs = items(input, "input.")?;
    // As in Node: an empty dict is an empty request (both required fields missing).
    let is_request = pairs.is_empty()
        || pairs.iter().any(|(k, _)| {
            matches!(
                key_string(k).as_str(),
                "data" | "externalCustomerId" | "external_customer_id"
            )
        });
    let (id, data) = if is_request {
        let mut id = external_customer_id;
        let mut data = CustomerData::default();
        let mut problems = Vec::new();
        for (key, value) in &pairs {
            match key_string(key).as_str() {
                "data" => data = customer_data(Some(value))?,
                k @ ("externalCustomerId" | "external_customer_id") => {
                    if value.is_none() {
                        id = None;
                    } else if let Ok(s) = value.extract::<String>() {
                        id = Some(s);
                    } else {
                        problems.push(not_a_string(k, "", value));
                    }
                }
                other => problems.push(Violation {
                    field: other.to_string(),
                    code: "unknown_field".into(),
                    message: format!(
                        "unknown request field {other:?}: use externalCustomerId and data"
                    ),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(validation_error(py, problems));
        }
        (id, data)
    } else {
        (external_customer_id, customer_data(Some(input))?)
    };
    let report = match operation {
        // The data dict alone, with no `external_customer_id=`, carries no id to check.
        "create" if !is_request && id.is_none() => rules::validate_create_data(&data, env),
        "create" => rules::validate_create(
            &CustomerInput {
                external_customer_id: id,
                data,
            },
            env,
        ),
        "update" => rules::validate_update(&data, env),
        other => {
            return Err(config_error(
                py,
                format!("operation={other:?} is not an operation: use \"create\" or \"update\""),
            ))
        }
    };
    let normalized = serde_json::to_value(&report.normalized)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok(ValidationReport {
        normalized,
        errors: report.errors.into_iter().map(Violation::from).collect(),
        warnings: report.warnings.into_iter().map(Violation::from).collect(),
    })
}
