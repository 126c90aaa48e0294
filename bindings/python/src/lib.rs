//! The native module `vivamo._native` of the Python package `vivamo`.
//!
//! A thin layer over the Rust SDK (`crates/vivamo`): it converts arguments, calls the SDK on
//! one shared tokio runtime with the GIL released, and maps results into the classes below and
//! errors into the exception hierarchy of `vivamo._errors` (through one function,
//! [`errors::to_py_err`]). No business logic lives here.

#![forbid(unsafe_code)]

mod call;
mod client;
mod client_core;
mod convert;
mod customers;
mod errors;
// Written by `cargo xtask codegen` from openapi.yaml: CustomerData's properties and the
// methods of every operation.
#[rustfmt::skip]
mod generated;
mod exit;
mod hooks;
mod json;
mod kyc;
mod models;
mod operations;
mod options;
mod pickle;
mod raw_request;
mod raw_response;
mod runtime;
mod sandbox;
mod signals;
mod webhook_verifier;
mod webhooks;

use pyo3::prelude::*;

/// Turns a US number into E.164 (`"(415) 555-2671"` → `"+14155552671"`) with Vivamo's rules.
#[pyfunction]
fn normalize_phone(py: Python<'_>, phone: &str) -> PyResult<String> {
    errors::guard(py, || {
        vivamo::rules::normalize_phone(phone)
            .map_err(|violation| errors::validation_error(py, vec![violation.into()]))
    })
}

/// Validates and normalizes a customer with the SDK's rules, without sending anything.
#[pyfunction]
#[pyo3(signature = (input, *, environment = "production", operation = "create", external_customer_id = None))]
fn validate_customer(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    environment: &str,
    operation: &str,
    external_customer_id: Option<String>,
) -> PyResult<models::ValidationReport> {
    errors::guard(py, || {
        convert::validate_customer(py, input, environment, operation, external_customer_id)
    })
}

/// Raises a Rust panic inside the module; the tests use it to prove that panics surface as
/// `vivamo.VivamoError` instead of aborting the interpreter. Only with the `test-hooks`
/// feature, which no release artifact enables.
#[cfg(feature = "test-hooks")]
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    errors::guard(py, || panic!("deliberate panic for the test suite"))
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", vivamo::VERSION)?;
    m.add_function(wrap_pyfunction!(normalize_phone, m)?)?;
    m.add_function(wrap_pyfunction!(validate_customer, m)?)?;
    #[cfg(feature = "test-hooks")]
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    exit::register(m)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<customers::Customers>()?;
    m.add_class::<customers::AsyncCustomers>()?;
    m.add_class::<customers::CustomerIterator>()?;
    m.add_class::<customers::AsyncCustomerIterator>()?;
    m.add_class::<webhooks::Webhooks>()?;
    m.add_class::<webhooks::AsyncWebhooks>()?;
    m.add_class::<webhooks::Webhook>()?;
    m.add_class::<webhooks::RegisteredWebhook>()?;
    m.add_class::<raw_response::RawResponse>()?;
    generated::add_classes(m)?;
    m.add_class::<models::Customer>()?;
    m.add_class::<models::CustomerData>()?;
    m.add_class::<models::KycVerification>()?;
    m.add_class::<models::VerificationLinks>()?;
    m.add_class::<models::CreatedCustomer>()?;
    m.add_class::<models::EnsuredCustomer>()?;
    m.add_class::<models::CustomerPage>()?;
    m.add_class::<models::Violation>()?;
    m.add_class::<models::ValidationReport>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_class::<kyc::KycInfo>()?;
    m.add_class::<kyc::KycVerificationInfo>()?;
    m.add_class::<kyc::KycLinks>()?;
    m.add_class::<kyc::PaymentResult>()?;
    m.add_class::<kyc::WebhookEvent>()?;
    m.add_function(wrap_pyfunction!(kyc::_webhook_sign, m)?)?;
    m.add_function(wrap_pyfunction!(kyc::_webhook_verify, m)?)?;
    m.add_function(wrap_pyfunction!(kyc::_webhook_parse, m)?)?;
    m.add_class::<webhook_verifier::WebhookVerifier>()?;
    m.add_class::<hooks::RetryEvent>()?;
    m.add_class::<hooks::RequestEvent>()?;
    m.add_class::<hooks::ResponseEvent>()?;
    Ok(())
}
