//! The `/v1/customers` handlers.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use super::body::{body_rejection, missing, page_params, parse_object, path_id, Shape};
use super::constraint::{Constraint, Failure};
use super::error::{ok_json, ApiError};
use super::state::Operator;
use crate::kyc::{self, Kyc};
use crate::rules;
use crate::store::{CustomerView, NewCustomer};
use crate::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateResponse<'a> {
    #[serde(flatten)]
    customer: CustomerView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    drivers_license_verification_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passport_verification_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<String>,
}

pub(super) async fn create_customer(
    State(state): State<AppState>,
    Operator(op): Operator,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape::default();
    let external_id = shape.string(&obj, "externalCustomerId", "externalCustomerId");
    let verify = match obj.get("verifyAfterCreation") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            shape
                .errors
                .push(Failure::new(Constraint::IsBoolean, "verifyAfterCreation"));
            false
        }
    };
    let data = shape.data_field(&obj).unwrap_or_default();
    shape.finish()?;

    let accepted = rules::check_create(external_id, data, state.inner.mode)?;
    let external_id = accepted
        .external_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| missing("externalCustomerId"))?;
    if accepted.data.email.as_deref().is_none_or(str::is_empty) {
        return Err(missing("data.email"));
    }

    let now_t = chrono::Utc::now();
    let now = kyc::timestamp(now_t);
    let (kyc, links) = if verify {
        let kyc = Kyc::new(kyc::PROOF_OF_ID, "pending", now_t);
        let [general, license, passport] = kyc.links();
        (Some(kyc), (Some(general), Some(license), Some(passport)))
    } else {
        (None, (None, None, None))
    };
    let new = NewCustomer {
        external_id,
        data: accepted.data,
        kyc,
    };
    state.write_store(|store| {
        let (customer, _outcome) = store.create(op, new, &now)?;
        ok_json(&CreateResponse {
            customer,
            verification_link: links.0,
            drivers_license_verification_link: links.1,
            passport_verification_link: links.2,
            warning: accepted.warning,
        })
    })
}

pub(super) async fn get_customer(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let store = state.inner.store.read();
    let customer = store.get(op, &id).ok_or_else(ApiError::not_found)?;
    ok_json(&customer)
}

pub(super) async fn update_customer(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape {
        refuse_null: true,
        ..Shape::default()
    };
    let data = shape.data_field(&obj);
    shape.finish()?;
    let data = data.ok_or_else(|| missing("data"))?;
    let accepted = rules::check_update(data, state.inner.mode)?;
    state.write_store(|store| {
        let customer = store.update(op, &id, accepted.data)?;
        ok_json(&customer)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomerList<'a> {
    customers: Vec<CustomerView<'a>>,
    total: u64,
    page: u64,
    limit: u64,
    total_pages: u64,
}

pub(super) async fn list_customers(
    State(state): State<AppState>,
    Operator(op): Operator,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (page, size) = page_params(uri.query(), state.inner.max_page_size)?;
    let store = state.inner.store.read();
    let total = store.count(op) as u64;
    let start = (page - 1).saturating_mul(size);
    let end = start.saturating_add(size);
    let customers = store.page(
        op,
        usize::try_from(start).unwrap_or(usize::MAX),
        usize::try_from(end).unwrap_or(usize::MAX),
    );
    ok_json(&CustomerList {
        customers,
        total,
        page,
        limit: size,
        total_pages: total.div_ceil(size),
    })
}
