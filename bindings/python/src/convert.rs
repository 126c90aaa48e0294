//! Argument conversion: Python dicts into the SDK's customer data.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use vivamo::rules::{self, CustomerData, Environment};

use crate::errors::{config_error, to_py_err, validation_error};
use crate::models::{ValidationReport, Violation};

fn unknown_key(key: &str) -> Violation {
    rules::unknown_customer_field(key).into()
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
        let Some(slot) = out.field_mut(&key) else {
            problems.push(unknown_key(&key));
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
pub fn apply_fields(data: &mut CustomerData, fields: Vec<(&str, Option<String>)>) {
    for (key, value) in fields {
        if let (Some(slot), Some(value)) = (data.field_mut(key), value) {
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

/// A Python argument as JSON: `None`, `bool`, `int`, `float`, `str`, mappings (string keys)
/// and lists or tuples; anything else is a `ValidationError` naming `path`.
pub(crate) fn py_to_json(value: &Bound<'_, PyAny>, path: &str) -> PyResult<serde_json::Value> {
    use serde_json::Value;
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<pyo3::types::PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(i) = value.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = value.extract::<f64>() {
        return Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if value.cast::<PyList>().is_ok() || value.cast::<pyo3::types::PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            out.push(py_to_json(&item?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(out));
    }
    let what = if path.is_empty() { "input" } else { path };
    if value.cast::<PyDict>().is_err() && !value.hasattr("items")? {
        return Err(validation_error(
            value.py(),
            vec![not_a_string(what, "", value)],
        ));
    }
    let mut map = serde_json::Map::new();
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    for (key, item) in items(value, &format!("{what}."))? {
        let key = key_string(&key);
        let item = py_to_json(&item, &format!("{prefix}{key}"))?;
        map.insert(key, item);
    }
    Ok(Value::Object(map))
}

/// `vivamo.validate_customer`: converts the arguments and runs `vivamo_rules::validate_value`,
/// which reads the input (a whole body or the data dict alone; unknown keys and non-string
/// values are a `ValidationError` naming them).
pub fn validate_customer(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    environment_name: &str,
    operation: &str,
    external_customer_id: Option<String>,
) -> PyResult<ValidationReport> {
    let env = environment(py, environment_name)?;
    let operation: rules::Operation = operation
        .parse()
        .map_err(|e| config_error(py, format!("operation={e}")))?;
    let value = py_to_json(input, "")?;
    let report = rules::validate_value(&value, operation, env, external_customer_id.as_deref())
        .map_err(|violations| to_py_err(py, &vivamo::Error::from_violations(violations)))?;
    let normalized = serde_json::to_value(&report.normalized)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok(ValidationReport {
        normalized,
        errors: report.errors.into_iter().map(Violation::from).collect(),
        warnings: report.warnings.into_iter().map(Violation::from).collect(),
    })
}
