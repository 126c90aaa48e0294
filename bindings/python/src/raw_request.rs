//! `Client.request` / `AsyncClient.request`: any endpoint of the API through the Rust SDK's
//! `Client::request`, with the same authentication, retries, deadline, logs and typed errors.
//! The arguments are converted here once for both clients, as a [`Call`].

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::call::{call, Call};
use crate::convert::py_to_json;
use crate::errors::config_error;
use crate::json::json_to_py;
use crate::raw_response::answer;

/// The JSON body of an answer, given to Python as plain objects (dict, list, str, …).
pub(crate) struct Json(serde_json::Value);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0)
    }
}

/// The request `client.request(method, path, query=, body=, idempotent=)` makes.
pub(crate) fn request(
    py: Python<'_>,
    method: &str,
    path: String,
    query: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
    idempotent: Option<bool>,
) -> PyResult<Call<Json>> {
    let query = match query {
        Some(q) if !q.is_none() => query_pairs(py, q)?,
        _ => Vec::new(),
    };
    let body = match body {
        Some(b) if !b.is_none() => Some(py_to_json(b, "body")?),
        _ => None,
    };
    let parts = vivamo::RawRequestParts {
        method: method.to_string(),
        path,
        query,
        body,
        idempotent,
    };
    Ok(call(move |c, o| async move {
        let response = c.request_parts(parts)?.options(o).await?;
        Ok(answer(response, |json, _| Json(json)))
    }))
}

/// `query=`: a mapping or an iterable of `(name, value)` pairs; a value is a `str`, an `int`,
/// a `float` or a `bool` (sent as `true` / `false`).
fn query_pairs(py: Python<'_>, query: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = if let Ok(dict) = query.cast::<PyDict>()
    {
        dict.iter().collect()
    } else if query.hasattr("items")? {
        query
            .call_method0("items")?
            .try_iter()?
            .map(|item| item?.extract())
            .collect::<PyResult<_>>()?
    } else if query.cast::<PyString>().is_err() && query.try_iter().is_ok() {
        query
            .try_iter()?
            .map(|item| item?.extract())
            .collect::<PyResult<_>>()
            .map_err(|_| config_error(py, "query= must hold (name, value) pairs"))?
    } else {
        return Err(config_error(
            py,
            "query= must be a mapping or a list of (name, value) pairs",
        ));
    };
    pairs
        .into_iter()
        .map(|(name, value)| {
            let name: String = name
                .extract()
                .map_err(|_| config_error(py, "query= names must be strings"))?;
            let text = if let Ok(b) = value.cast::<pyo3::types::PyBool>() {
                b.is_true().to_string()
            } else if value.cast::<PyString>().is_ok()
                || value.extract::<i64>().is_ok()
                || value.extract::<f64>().is_ok()
            {
                value.str()?.to_cow()?.into_owned()
            } else {
                return Err(config_error(
                    py,
                    format!("query={name}: give a str, int, float or bool"),
                ));
            };
            Ok((name, text))
        })
        .collect()
}
