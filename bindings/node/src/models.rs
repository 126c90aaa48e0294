//! The objects that cross the boundary, in the API's camelCase, converted field by field
//! (no JSON round trip on the hot path).

use chrono::{DateTime, SecondsFormat, Utc};
use napi::bindgen_prelude::{
    FromNapiValue, JsObjectValue, Object, ToNapiValue, TypeName, ValueType,
};
use napi::sys;
use napi_derive::napi;

/// A timestamp as the API sends it: `2025-06-05T04:57:11.151Z`.
pub(crate) fn iso(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(|at| at.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// The profile fields as napi objects (`CustomerFields` in, `CustomerData` out), generated
/// from openapi.yaml.
pub use crate::generated::{CustomerData, CustomerFields};

impl From<CustomerFields> for vivamo::rules::CustomerData {
    fn from(f: CustomerFields) -> Self {
        vivamo::rules::customer_fields!(vivamo::rules::CustomerData, f)
    }
}

/// The body of `customers.create` and `customers.ensure`.
#[napi(object)]
pub struct CreateCustomerRequest {
    /// Your identifier for the customer (unique per operator); required.
    pub external_customer_id: Option<String>,
    /// The profile fields; `email` is required.
    pub data: Option<CustomerFields>,
    /// Ask Vivamo to start KYC verification and return the links (default `false`).
    pub verify_after_creation: Option<bool>,
}

impl From<CreateCustomerRequest> for vivamo::NewCustomer {
    fn from(r: CreateCustomerRequest) -> Self {
        vivamo::NewCustomer {
            // A missing id is reported by the SDK's validation (`missing_field`).
            external_customer_id: r.external_customer_id.unwrap_or_default(),
            verify_after_creation: r.verify_after_creation.unwrap_or(false),
            data: r.data.unwrap_or_default().into(),
        }
    }
}

/// Options of `customers.list`.
#[napi(object)]
#[derive(Default)]
pub struct ListOptions {
    /// The page number, from 1 (default 1).
    pub page: Option<f64>,
    /// Customers per page (default 10; the API caps it).
    pub size: Option<f64>,
}

/// Options of `customers.listAll`.
#[napi(object)]
#[derive(Default)]
pub struct ListAllOptions {
    /// Customers fetched per request (default 100).
    pub size: Option<f64>,
}

impl From<vivamo::CustomerData> for CustomerData {
    fn from(d: vivamo::CustomerData) -> Self {
        vivamo::rules::customer_fields!(CustomerData, d)
    }
}

/// One KYC verification record.
#[napi(object)]
pub struct KycVerification {
    /// The type of verification (today only `proof_of_id`).
    #[napi(js_name = "type")]
    pub verification_type: Option<String>,
    /// The status (`pending`, `verified`, `under_review`, …; new statuses arrive as is).
    pub status: Option<String>,
    /// When the verification was initiated (ISO 8601).
    pub created_at: Option<String>,
}

impl From<vivamo::KycVerification> for KycVerification {
    fn from(k: vivamo::KycVerification) -> Self {
        KycVerification {
            verification_type: k.verification_type,
            status: k.status.map(|s| s.as_str().to_string()),
            created_at: iso(k.created_at),
        }
    }
}

/// A customer record (the documented fields; see [`Customer`]).
#[napi(object, js_name = "Customer")]
pub struct CustomerRecord {
    /// Vivamo's id for the request that returned this (`x-request-id`); `undefined` when the
    /// server sent none, or for an item of a list.
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// Your identifier for the customer.
    pub external_customer_id: String,
    /// The profile fields.
    pub data: CustomerData,
    /// The KYC verification history.
    pub kyc_verifications: Vec<KycVerification>,
    /// When the customer was created (ISO 8601, e.g. `2025-06-05T04:57:11.151Z`).
    pub created_at: Option<String>,
}

impl From<vivamo::Customer> for Customer {
    fn from(c: vivamo::Customer) -> Self {
        let record = CustomerRecord {
            request_id: None,
            external_customer_id: c.external_customer_id,
            data: c.data.into(),
            kyc_verifications: c.kyc_verifications.into_iter().map(Into::into).collect(),
            created_at: iso(c.created_at),
        };
        Customer {
            record,
            extra: c.extra,
        }
    }
}

/// A customer record as JavaScript sees it: the documented fields, and the fields Vivamo
/// added after this release set on the same object as they came (forward compatibility).
pub struct Customer {
    record: CustomerRecord,
    extra: serde_json::Map<String, serde_json::Value>,
}

impl TypeName for Customer {
    fn type_name() -> &'static str {
        "Customer"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Customer {
    /// The record's object, then each unknown field that does not shadow a known one.
    unsafe fn to_napi_value(env: sys::napi_env, c: Self) -> napi::Result<sys::napi_value> {
        // SAFETY: `env` is the live environment napi-rs converts this value in; the object
        // is the one just made in it.
        unsafe {
            let value = CustomerRecord::to_napi_value(env, c.record)?;
            if c.extra.is_empty() {
                return Ok(value);
            }
            let mut object = Object::from_napi_value(env, value)?;
            for (name, field) in c.extra {
                if !object.has_own_property(&name)? {
                    object.set_named_property(&name, field)?;
                }
            }
            Ok(value)
        }
    }
}

/// The KYC links returned by a create with `verifyAfterCreation: true`.
#[napi(object)]
pub struct VerificationLinks {
    /// Where the customer completes KYC verification.
    pub verification_link: Option<String>,
    /// Direct link for driver's license verification.
    pub drivers_license_verification_link: Option<String>,
    /// Direct link for passport verification.
    pub passport_verification_link: Option<String>,
    /// Why a link could not be generated, if it could not.
    pub verification_link_error: Option<String>,
}

impl From<vivamo::VerificationLinks> for VerificationLinks {
    fn from(l: vivamo::VerificationLinks) -> Self {
        VerificationLinks {
            verification_link: l.verification_link,
            drivers_license_verification_link: l.drivers_license_verification_link,
            passport_verification_link: l.passport_verification_link,
            verification_link_error: l.verification_link_error,
        }
    }
}

/// The result of `customers.create`.
#[napi(object, object_from_js = false)]
pub struct Created {
    /// Vivamo's id for the request that returned this (`x-request-id`); `undefined` when the
    /// server sent none, or for an item of a list.
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// The customer as stored by Vivamo.
    pub customer: Customer,
    /// Client-side and sandbox warnings, one sentence each.
    pub warnings: Vec<String>,
    /// Present when `verifyAfterCreation` was set and Vivamo returned links.
    pub verification_links: Option<VerificationLinks>,
}

impl From<vivamo::Created> for Created {
    fn from(c: vivamo::Created) -> Self {
        Created {
            request_id: None,
            customer: c.customer.into(),
            warnings: c.warnings,
            verification_links: c.verification_links.map(Into::into),
        }
    }
}

/// The result of `customers.ensure`.
#[napi(object, object_from_js = false)]
pub struct Ensured {
    /// Vivamo's id for the request that returned this (`x-request-id`); `undefined` when the
    /// server sent none, or for an item of a list.
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// The customer, new or existing.
    pub customer: Customer,
    /// `true` when this call created it, `false` when it already existed with the same email.
    pub created: bool,
    /// As in `Created.warnings`.
    pub warnings: Vec<String>,
}

impl From<vivamo::Ensured> for Ensured {
    fn from(e: vivamo::Ensured) -> Self {
        Ensured {
            request_id: None,
            customer: e.customer.into(),
            created: e.created,
            warnings: e.warnings,
        }
    }
}

/// One page of `customers.list`.
#[napi(object, object_from_js = false)]
pub struct Page {
    /// Vivamo's id for the request that returned this (`x-request-id`); `undefined` when the
    /// server sent none, or for an item of a list.
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// The customers of this page, in creation order.
    pub customers: Vec<Customer>,
    /// How many customers there are in all.
    pub total: f64,
    /// This page's number (from 1).
    pub page: f64,
    /// The page size.
    pub limit: f64,
    /// How many pages there are.
    pub total_pages: f64,
}

impl From<vivamo::Page> for Page {
    fn from(p: vivamo::Page) -> Self {
        Page {
            request_id: None,
            customers: p.customers.into_iter().map(Into::into).collect(),
            total: p.total as f64,
            page: p.page as f64,
            limit: p.limit as f64,
            total_pages: p.total_pages as f64,
        }
    }
}

/// One finding of the rules.
#[napi(object)]
pub struct Violation {
    /// The JSON path of the field, e.g. `data.phone` or `externalCustomerId`.
    pub field: String,
    /// The stable code, e.g. `invalid_phone`.
    pub code: String,
    /// What is wrong and what to do about it.
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

/// Converts an SDK response into its JavaScript object with `_request_id` set.
pub(crate) trait WithRequestId: Sized {
    fn set_request_id(&mut self, id: Option<String>);

    /// The result object of an answer's value, keeping its request id.
    fn from_parts<T: Into<Self>>(value: T, request_id: Option<String>) -> Self {
        let mut value: Self = value.into();
        value.set_request_id(request_id);
        value
    }
}

macro_rules! with_request_id {
    ($($t:ty),*) => {$(
        impl WithRequestId for $t {
            fn set_request_id(&mut self, id: Option<String>) {
                self.request_id = id;
            }
        }
    )*};
}

with_request_id!(Created, Ensured, Page);

impl WithRequestId for Customer {
    fn set_request_id(&mut self, id: Option<String>) {
        self.record.request_id = id;
    }
}
