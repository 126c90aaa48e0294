//! The result classes: thin, immutable wrappers of the SDK's types. Attributes are converted
//! on access; `to_dict()` gives the API's JSON shape (camelCase keys).

use std::fmt;

use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::json::json_to_py;

/// A Python-style quoted string for `__repr__`.
pub(crate) fn q(s: &str) -> String {
    let escaped: String = s
        .chars()
        .flat_map(|c| match c {
            '\\' => vec!['\\', '\\'],
            '\'' => vec!['\\', '\''],
            '\n' => vec!['\\', 'n'],
            c => vec![c],
        })
        .collect();
    format!("'{escaped}'")
}

pub(crate) fn q_opt(s: Option<&str>) -> String {
    s.map(q).unwrap_or_else(|| "None".to_string())
}

pub(crate) fn dict_of<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    json_to_py(py, &value)
}

/// Vivamo's id of the request a result came from (`x-request-id`; `None` when the server sent
/// none, and for the items of a list or a nested object). Metadata, not part of the value:
/// equality ignores it.
#[derive(Clone, Debug, Default)]
pub struct RequestId(pub Option<String>);

impl PartialEq for RequestId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A customer record.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct Customer(pub vivamo::Customer, pub RequestId);

impl From<vivamo::Customer> for Customer {
    fn from(c: vivamo::Customer) -> Self {
        Customer(c, RequestId::default())
    }
}

#[pymethods]
impl Customer {
    /// Your identifier for the customer.
    #[getter]
    fn external_customer_id(&self) -> &str {
        &self.0.external_customer_id
    }

    /// The profile fields.
    #[getter]
    fn data(&self) -> CustomerData {
        CustomerData(self.0.data.clone())
    }

    /// The KYC verification history.
    #[getter]
    fn kyc_verifications(&self) -> Vec<KycVerification> {
        self.0
            .kyc_verifications
            .iter()
            .cloned()
            .map(KycVerification)
            .collect()
    }

    /// When the customer was created (timezone-aware, UTC).
    #[getter]
    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created_at
    }

    /// Fields Vivamo returned that this SDK does not know yet, by their API (camelCase) name;
    /// `to_dict()` has them too.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::Value::Object(self.0.extra.clone()))
    }

    /// Vivamo's request id (`x-request-id`) of the response this came from, if any.
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }

    /// The API's JSON shape (camelCase keys, ISO 8601 timestamps).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "Customer(external_customer_id={}, email={}, kyc_verifications={}, created_at={})",
            q(&self.0.external_customer_id),
            q(&self.0.data.email),
            self.0.kyc_verifications.len(),
            q_opt(self.0.created_at.map(|t| t.to_rfc3339()).as_deref()),
        )
    }
}

/// A customer's profile fields as Vivamo returns them.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct CustomerData(pub vivamo::CustomerData);

#[pymethods]
impl CustomerData {
    // One property per field of the spec: generated.rs.

    /// The API's JSON shape (camelCase keys; absent fields left out).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let d = self.0.clone();
        let mut parts = vec![format!("email={}", q(&d.email))];
        let fields = vivamo::rules::customer_fields!(vivamo::rules::CustomerData, d, email: None);
        for (key, name) in vivamo::rules::CustomerData::FIELDS {
            if let Some(Some(v)) = fields.field(key) {
                parts.push(format!("{name}={}", q(v)));
            }
        }
        format!("CustomerData({})", parts.join(", "))
    }
}

/// One KYC verification record.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct KycVerification(pub vivamo::KycVerification);

#[pymethods]
impl KycVerification {
    /// The verification type (the API's `type`), e.g. `"proof_of_id"`.
    #[getter]
    fn verification_type(&self) -> Option<&str> {
        self.0.verification_type.as_deref()
    }
    /// The status, e.g. `"pending"`, `"verified"`, `"under_review"`.
    #[getter]
    fn status(&self) -> Option<&str> {
        self.0.status.as_ref().map(|s| s.as_str())
    }
    /// When the verification was initiated.
    #[getter]
    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created_at
    }
    /// The API's JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "KycVerification(verification_type={}, status={}, created_at={})",
            q_opt(self.0.verification_type.as_deref()),
            q_opt(self.0.status.as_ref().map(|s| s.as_str())),
            q_opt(self.0.created_at.map(|t| t.to_rfc3339()).as_deref()),
        )
    }
}

/// The KYC links of a create with `verify_after_creation=True`.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct VerificationLinks(pub vivamo::VerificationLinks);

#[pymethods]
impl VerificationLinks {
    /// Where the customer completes KYC verification.
    #[getter]
    fn verification_link(&self) -> Option<&str> {
        self.0.verification_link.as_deref()
    }
    /// Direct link for driver's license verification.
    #[getter]
    fn drivers_license_verification_link(&self) -> Option<&str> {
        self.0.drivers_license_verification_link.as_deref()
    }
    /// Direct link for passport verification.
    #[getter]
    fn passport_verification_link(&self) -> Option<&str> {
        self.0.passport_verification_link.as_deref()
    }
    /// Why a link could not be generated.
    #[getter]
    fn verification_link_error(&self) -> Option<&str> {
        self.0.verification_link_error.as_deref()
    }
    /// The API's JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "VerificationLinks(verification_link={}, verification_link_error={})",
            q_opt(self.0.verification_link.as_deref()),
            q_opt(self.0.verification_link_error.as_deref()),
        )
    }
}

/// The outcome of `customers.create`.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct CreatedCustomer(pub vivamo::Created, pub RequestId);

#[pymethods]
impl CreatedCustomer {
    /// Vivamo's request id (`x-request-id`) of the response this came from, if any.
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }

    /// The customer as stored by Vivamo.
    #[getter]
    fn customer(&self) -> Customer {
        Customer::from(self.0.customer.clone())
    }
    /// Client-side warnings and the sandbox's warning, each one sentence.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.0.warnings.clone()
    }
    /// The KYC links, when `verify_after_creation` was set and Vivamo returned them.
    #[getter]
    fn verification_links(&self) -> Option<VerificationLinks> {
        self.0.verification_links.clone().map(VerificationLinks)
    }
    /// The API's create response shape: the customer's fields, `warnings` and the links.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut value = serde_json::to_value(&self.0.customer)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("warnings".into(), self.0.warnings.clone().into());
            if let Some(links) = &self.0.verification_links {
                if let Ok(serde_json::Value::Object(links)) = serde_json::to_value(links) {
                    map.extend(links.into_iter().filter(|(_, v)| !v.is_null()));
                }
            }
        }
        json_to_py(py, &value)
    }
    fn __repr__(&self) -> String {
        format!(
            "CreatedCustomer(customer={}, warnings={:?}, verification_links={})",
            self.customer().__repr__(),
            self.0.warnings,
            self.verification_links()
                .map(|l| l.__repr__())
                .unwrap_or_else(|| "None".into())
        )
    }
}

/// The outcome of `customers.ensure`.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct EnsuredCustomer(pub vivamo::Ensured, pub RequestId);

#[pymethods]
impl EnsuredCustomer {
    /// Vivamo's request id (`x-request-id`) of the response this came from, if any.
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }

    /// The customer, new or existing.
    #[getter]
    fn customer(&self) -> Customer {
        Customer::from(self.0.customer.clone())
    }
    /// `True` when this call created the customer.
    #[getter]
    fn created(&self) -> bool {
        self.0.created
    }
    /// As `CreatedCustomer.warnings`.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.0.warnings.clone()
    }
    /// `{"customer": {...}, "created": bool, "warnings": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let customer = serde_json::to_value(&self.0.customer)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        json_to_py(
            py,
            &serde_json::json!({
                "customer": customer,
                "created": self.0.created,
                "warnings": self.0.warnings,
            }),
        )
    }
    fn __repr__(&self) -> String {
        format!(
            "EnsuredCustomer(customer={}, created={}, warnings={:?})",
            self.customer().__repr__(),
            if self.0.created { "True" } else { "False" },
            self.0.warnings
        )
    }
}

/// One page of `customers.list`.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq)]
pub struct CustomerPage(pub vivamo::Page, pub RequestId);

#[pymethods]
impl CustomerPage {
    /// Vivamo's request id (`x-request-id`) of the response this came from, if any.
    #[getter(_request_id)]
    fn request_id(&self) -> Option<&str> {
        self.1 .0.as_deref()
    }

    /// The customers of this page, in creation order.
    #[getter]
    fn customers(&self) -> Vec<Customer> {
        self.0
            .customers
            .iter()
            .cloned()
            .map(Customer::from)
            .collect()
    }
    /// How many customers there are in all.
    #[getter]
    fn total(&self) -> u64 {
        self.0.total
    }
    /// This page's number (from 1).
    #[getter]
    fn page(&self) -> u64 {
        self.0.page
    }
    /// The page size.
    #[getter]
    fn limit(&self) -> u64 {
        self.0.limit
    }
    /// How many pages there are.
    #[getter]
    fn total_pages(&self) -> u64 {
        self.0.total_pages
    }
    /// The API's JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dict_of(py, &self.0)
    }
    fn __len__(&self) -> usize {
        self.0.customers.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "CustomerPage(customers=[{} customers], total={}, page={}, limit={}, total_pages={})",
            self.0.customers.len(),
            self.0.total,
            self.0.page,
            self.0.limit,
            self.0.total_pages
        )
    }
}

/// One broken rule: the field path, a stable code and a message.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    /// The field path, e.g. `"data.email"`.
    #[pyo3(get)]
    pub field: String,
    /// The stable code, e.g. `"invalid_email"`.
    #[pyo3(get)]
    pub code: String,
    /// A sentence describing the problem and the fix.
    #[pyo3(get)]
    pub message: String,
}

impl From<vivamo::Violation> for Violation {
    fn from(v: vivamo::Violation) -> Self {
        Violation {
            field: v.field,
            code: v.code.as_str().to_string(),
            message: v.message,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

#[pymethods]
impl Violation {
    #[new]
    fn new(field: String, code: String, message: String) -> Self {
        Violation {
            field,
            code,
            message,
        }
    }
    /// `{"field", "code", "message"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(
            py,
            &serde_json::json!({"field": self.field, "code": self.code, "message": self.message}),
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        (
            slf.get_type(),
            (me.field.clone(), me.code.clone(), me.message.clone()),
        )
            .into_pyobject(py)
    }
    fn __str__(&self) -> String {
        self.to_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "Violation(field={}, code={}, message={})",
            q(&self.field),
            q(&self.code),
            q(&self.message)
        )
    }
}

/// The result of `validate_customer`.
#[pyclass(frozen, eq, module = "vivamo")]
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ValidationReport {
    pub normalized: serde_json::Value,
    pub errors: Vec<Violation>,
    pub warnings: Vec<Violation>,
}

#[pymethods]
impl ValidationReport {
    /// The normalized request, `{"externalCustomerId"?, "data": {...}}` (camelCase keys).
    #[getter]
    fn normalized<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.normalized)
    }
    /// Violations Vivamo would reject.
    #[getter]
    fn errors(&self) -> Vec<Violation> {
        self.errors.clone()
    }
    /// Violations this environment tolerates.
    #[getter]
    fn warnings(&self) -> Vec<Violation> {
        self.warnings.clone()
    }
    /// `True` when there are no errors.
    #[getter]
    fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
    /// `{"normalized", "errors", "warnings"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = |vs: &[Violation]| {
            vs.iter()
                .map(
                    |v| serde_json::json!({"field": v.field, "code": v.code, "message": v.message}),
                )
                .collect::<Vec<_>>()
        };
        json_to_py(
            py,
            &serde_json::json!({
                "normalized": self.normalized,
                "errors": list(&self.errors),
                "warnings": list(&self.warnings),
            }),
        )
    }
    fn __repr__(&self) -> String {
        format!(
            "ValidationReport(normalized={}, errors={:?}, warnings={:?})",
            self.normalized,
            self.errors
                .iter()
                .map(|v| v.code.as_str())
                .collect::<Vec<_>>(),
            self.warnings
                .iter()
                .map(|v| v.code.as_str())
                .collect::<Vec<_>>()
        )
    }
}
