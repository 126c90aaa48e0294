//! The `/v1` KYC handlers: kyc-info, kyc-for-review and kyc-verify.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::body::{body_rejection, missing, parse_object, path_id, path_pair, Shape};
use super::error::{ok_json, ApiError};
use super::state::Operator;
use crate::kyc::{self, Kyc};
use crate::AppState;

/// The answer of kyc-info.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KycInfoBody<'a> {
    external_customer_id: &'a str,
    kyc_verification: VerificationBody<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerificationBody<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    status: &'a str,
    verified_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<LinksBody>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LinksBody {
    url: String,
    drivers_license_verification_url: String,
    passport_verification_url: String,
}

impl<'a> VerificationBody<'a> {
    /// The secret and the links only while pending.
    fn of(k: &'a Kyc) -> VerificationBody<'a> {
        let pending = k.status == "pending";
        let data = pending.then(|| {
            let [url, license, passport] = k.links();
            LinksBody {
                url,
                drivers_license_verification_url: license,
                passport_verification_url: passport,
            }
        });
        VerificationBody {
            kind: &k.kind,
            status: &k.status,
            verified_at: &k.verified_at,
            client_secret_key: k
                .secret
                .as_ref()
                .filter(|_| pending)
                .map(|(s, _)| s.as_str()),
            data,
        }
    }
}

pub(super) async fn kyc_info(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    state.write_store(|store| {
        let info = store.kyc_info(op, &id, chrono::Utc::now())?;
        ok_json(&KycInfoBody {
            external_customer_id: info.external_customer_id,
            kyc_verification: VerificationBody::of(info.kyc),
        })
    })
}

pub(super) async fn kyc_for_review(
    State(state): State<AppState>,
    Operator(op): Operator,
) -> Result<Response, ApiError> {
    let store = state.inner.store.read();
    ok_json(&store.kyc_for_review(op))
}

pub(super) async fn kyc_verify(
    State(state): State<AppState>,
    Operator(op): Operator,
    params: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (id, kind) = path_pair(params)?;
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape::default();
    let verify = shape.boolean(&obj, "verify");
    shape.finish()?;
    let verify = verify.ok_or_else(|| missing("verify"))?;
    kyc::check_type(&kind).map_err(crate::store::Conflict::from)?;
    let message =
        state.write_store(|store| store.decide_kyc(op, &id, &kind, verify, chrono::Utc::now()))?;
    ok_json(&serde_json::json!({ "message": message }))
}
