//! HTTP layer: router, handlers, request parsing and the JSON error shape.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use parking_lot::RwLock;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::faults::Faults;
use crate::rules::{self, RawData};
use crate::store::{Conflict, CustomerView, Kyc, NewCustomer, Store};
use crate::{AppState, Config, Mode};

/// Message of the 400 for a duplicate `externalCustomerId`.
pub(crate) const CUSTOMER_EXISTS: &str = "This customer already exists";
/// Message of the 400 for an email used by another customer.
pub(crate) const EMAIL_EXISTS: &str = "A customer with this email address already exists.";
/// Message of the 404 for an unknown customer.
pub(crate) const CUSTOMER_NOT_FOUND: &str = "Customer not found";
/// Largest `count` accepted by `POST /__sandbox/seed` in one call.
const MAX_SEED_COUNT: u64 = 1_000_000;
/// Domain of the fake verification links.
const VERIFY_BASE: &str = "https://verify.sandbox.vivamo.test/v";

/// Shared state behind [`AppState`].
pub(crate) struct Inner {
    pub mode: Mode,
    /// API key → operator index.
    pub keys: HashMap<String, usize>,
    pub max_page_size: u32,
    pub store: RwLock<Store>,
    pub faults: Faults,
    request_tag: u32,
    request_counter: AtomicU64,
}

impl Inner {
    pub fn new(config: Config) -> Inner {
        let keys: HashMap<String, usize> = config
            .effective_api_keys()
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect();
        let operators = keys.len();
        Inner {
            mode: config.mode,
            max_page_size: config.max_page_size,
            store: RwLock::new(Store::new(operators)),
            faults: Faults::new(&config, operators),
            keys,
            request_tag: fastrand::u32(..),
            request_counter: AtomicU64::new(1),
        }
    }

    /// The operator of the request's bearer key, if any.
    pub fn operator_of(&self, headers: &HeaderMap) -> Option<usize> {
        let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, key) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        self.keys.get(key.trim()).copied()
    }
}

/// An error response: `{"message": ..., "errors": [{constraint: description}]}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    errors: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn validation(errors: Vec<(String, String)>) -> ApiError {
        ApiError::bad_request("Validation failed").with_errors(errors)
    }

    pub fn with_errors(mut self, errors: impl IntoIterator<Item = (String, String)>) -> ApiError {
        self.errors.extend(errors);
        self
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden")
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, CUSTOMER_NOT_FOUND)
    }

    pub fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }
}

/// One `errors` entry: `{constraint: description}`.
struct ErrorEntry<'a>(&'a str, &'a str);

impl Serialize for ErrorEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, self.1)?;
        m.end()
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorEntry<'a>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            message: &self.message,
            errors: self.errors.iter().map(|(k, v)| ErrorEntry(k, v)).collect(),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        json_response(self.status, bytes)
    }
}

impl From<Conflict> for ApiError {
    fn from(c: Conflict) -> ApiError {
        match c {
            Conflict::CustomerExists => ApiError::bad_request(CUSTOMER_EXISTS),
            Conflict::EmailInUse => ApiError::bad_request(EMAIL_EXISTS),
            Conflict::NotFound => ApiError::not_found(),
        }
    }
}

pub(crate) fn json_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn ok_json<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(value).map_err(|_| ApiError::internal())?;
    Ok(json_response(StatusCode::OK, bytes))
}

/// The calling operator (index), from `Authorization: Bearer <key>`; 403 otherwise.
pub(crate) struct Operator(pub usize);

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        state
            .inner
            .operator_of(&parts.headers)
            .map(Operator)
            .ok_or_else(ApiError::forbidden)
    }
}

/// Current time as RFC 3339 with milliseconds and `Z`.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn body_rejection(r: BytesRejection) -> ApiError {
    ApiError::bad_request("Invalid request body")
        .with_errors([("invalid_body".to_string(), r.body_text())])
}

fn path_id(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(id)| id).map_err(|r| {
        ApiError::bad_request("Invalid externalCustomerId in path")
            .with_errors([("invalid_path".to_string(), r.body_text())])
    })
}

/// Parses a JSON object body, checking the content type first.
fn parse_object(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json"))
    {
        let got = if ct.is_empty() { "none" } else { ct };
        return Err(
            ApiError::bad_request("Content-Type must be application/json").with_errors([(
                "content_type".to_string(),
                format!("expected application/json, got {got}"),
            )]),
        );
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("Request body is required")
            .with_errors([("missing_body".to_string(), "body: is required".to_string())]));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("Malformed JSON in request body")
            .with_errors([("invalid_json".to_string(), format!("body: {e}"))])
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(
            ApiError::bad_request("Request body must be a JSON object").with_errors([(
                "invalid_type".to_string(),
                "body: must be an object".to_string(),
            )]),
        ),
    }
}

/// Collects shape errors (wrong JSON types) while reading fields.
#[derive(Default)]
struct Shape {
    errors: Vec<(String, String)>,
    /// The spec makes the create fields nullable, not the update fields: there `null` would
    /// be ambiguous between "clear" and "keep", so it is refused.
    refuse_null: bool,
}

impl Shape {
    fn string(&mut self, obj: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        match obj.get(key) {
            None => None,
            Some(Value::Null) if self.refuse_null => {
                self.errors.push((
                    "invalid_type".to_string(),
                    format!("{path}: must be a string; omit the field to keep its value"),
                ));
                None
            }
            Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.errors.push((
                    "invalid_type".to_string(),
                    format!("{path}: must be a string"),
                ));
                None
            }
        }
    }

    fn data(&mut self, obj: &Map<String, Value>) -> RawData {
        RawData {
            email: self.string(obj, "email", "data.email"),
            phone: self.string(obj, "phone", "data.phone"),
            first_name: self.string(obj, "firstName", "data.firstName"),
            last_name: self.string(obj, "lastName", "data.lastName"),
            street: self.string(obj, "street", "data.street"),
            street2: self.string(obj, "street2", "data.street2"),
            state: self.string(obj, "state", "data.state"),
            city: self.string(obj, "city", "data.city"),
            zip: self.string(obj, "zip", "data.zip"),
            country: self.string(obj, "country", "data.country"),
        }
    }

    /// Reads `data` (an object); `None` when absent or null.
    fn data_field(&mut self, obj: &Map<String, Value>) -> Option<RawData> {
        match obj.get("data") {
            None | Some(Value::Null) => None,
            Some(Value::Object(d)) => Some(self.data(d)),
            Some(_) => {
                self.errors.push((
                    "invalid_type".to_string(),
                    "data: must be an object".to_string(),
                ));
                Some(RawData::default())
            }
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

fn missing(path: &str) -> ApiError {
    ApiError::validation(vec![(
        "missing_field".to_string(),
        format!("{path}: is required"),
    )])
}

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

async fn create_customer(
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
            shape.errors.push((
                "invalid_type".to_string(),
                "verifyAfterCreation: must be a boolean".to_string(),
            ));
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

    let now = now();
    let (kyc, links) = if verify {
        let token = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        let base = format!("{VERIFY_BASE}/{token}");
        let kyc = Kyc {
            kind: "proof_of_id".to_string(),
            status: "pending".to_string(),
            created_at: now.clone(),
        };
        let links = (
            Some(base.clone()),
            Some(format!("{base}/drivers-license")),
            Some(format!("{base}/passport")),
        );
        (Some(kyc), links)
    } else {
        (None, (None, None, None))
    };
    let new = NewCustomer {
        external_id,
        data: accepted.data,
        kyc,
    };
    let mut store = state.inner.store.write();
    let (customer, _outcome) = store.create(op, new, &now)?;
    ok_json(&CreateResponse {
        customer,
        verification_link: links.0,
        drivers_license_verification_link: links.1,
        passport_verification_link: links.2,
        warning: accepted.warning,
    })
}

async fn get_customer(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let store = state.inner.store.read();
    let customer = store.get(op, &id).ok_or_else(ApiError::not_found)?;
    ok_json(&customer)
}

async fn update_customer(
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
    let mut store = state.inner.store.write();
    let customer = store.update(op, &id, accepted.data)?;
    ok_json(&customer)
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

/// Reads `page` and `size` from the query string (defaults 1 and 10).
fn page_params(query: Option<&str>, max: u32) -> Result<(u64, u64), ApiError> {
    let (mut page, mut size) = (1u64, 10u64);
    let mut errors = Vec::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let (name, slot) = match k.as_ref() {
            "page" => ("page", &mut page),
            "size" => ("size", &mut size),
            _ => continue,
        };
        match v.trim().parse::<i64>() {
            Err(_) => errors.push(("isInt".to_string(), format!("{name} must be an integer"))),
            Ok(n) if n < 1 => {
                errors.push(("min".to_string(), format!("{name} must be at least 1")))
            }
            Ok(n) if name == "size" && n > i64::from(max) => errors.push((
                "max".to_string(),
                format!("size must not be greater than {max}"),
            )),
            Ok(n) => *slot = n as u64,
        }
    }
    if errors.is_empty() {
        Ok((page, size))
    } else {
        Err(ApiError::validation(errors))
    }
}

async fn list_customers(
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

async fn health(State(state): State<AppState>) -> Response {
    let body = serde_json::json!({ "status": "ok", "mode": state.inner.mode.as_str() });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

async fn reset(State(state): State<AppState>) -> Response {
    let removed = state.inner.store.write().reset();
    let body = serde_json::json!({ "message": "Sandbox reset", "removed": removed });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

async fn seed(
    State(state): State<AppState>,
    Operator(op): Operator,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let count = match obj.get("count") {
        None | Some(Value::Null) => return Err(missing("count")),
        Some(v) => v.as_u64().filter(|n| *n <= MAX_SEED_COUNT).ok_or_else(|| {
            ApiError::validation(vec![(
                "invalid_type".to_string(),
                format!("count: must be an integer between 0 and {MAX_SEED_COUNT}"),
            )])
        })?,
    };
    let mut shape = Shape::default();
    let prefix = shape
        .string(&obj, "prefix", "prefix")
        .unwrap_or_else(|| "seed_".to_string());
    shape.finish()?;
    let now = now();
    let mut store = state.inner.store.write();
    let range = store.seed(op, count, &prefix, &now);
    let total = store.count(op);
    drop(store);
    let (first, last) = match range {
        Some((f, l)) => (Value::String(f), Value::String(l)),
        None => (Value::Null, Value::Null),
    };
    let body = serde_json::json!({
        "created": count, "total": total, "firstExternalCustomerId": first,
        "lastExternalCustomerId": last,
    });
    Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
}

async fn set_kyc(
    State(state): State<AppState>,
    Operator(op): Operator,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let body = body.map_err(body_rejection)?;
    let obj = parse_object(&headers, &body)?;
    let mut shape = Shape::default();
    let status = shape.string(&obj, "status", "status");
    let kind = shape.string(&obj, "type", "type");
    shape.finish()?;
    let status = status
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("status"))?;
    let kind = kind
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "proof_of_id".to_string());
    let now = now();
    let mut store = state.inner.store.write();
    let customer = store.set_kyc(op, &id, &kind, &status, &now)?;
    ok_json(&customer)
}

async fn not_found_route() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Not found")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

async fn request_id(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let n = state.inner.request_counter.fetch_add(1, Ordering::Relaxed);
    let id = format!("req_{:08x}{:012x}", state.inner.request_tag, n);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// The sandbox's axum router, for serving with [`crate::serve`] or embedding elsewhere.
///
/// Served by anything other than [`crate::serve`], a lost response is always a 500 (dropping
/// the connection needs the sandbox's own connection loop).
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/v1/customers", post(create_customer).get(list_customers))
        .route(
            "/v1/customers/{externalCustomerId}",
            get(get_customer).patch(update_customer),
        );
    let v1 = if state.inner.faults.enabled() {
        v1.layer(middleware::from_fn_with_state(
            state.clone(),
            crate::faults::v1_faults,
        ))
    } else {
        v1
    };
    let control = Router::new()
        .route("/__sandbox/health", get(health))
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/seed", post(seed))
        .route(
            "/__sandbox/customers/{externalCustomerId}/kyc",
            post(set_kyc),
        );
    v1.merge(control)
        .fallback(not_found_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), request_id))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_params_defaults_and_errors() {
        assert_eq!(page_params(None, 100).unwrap(), (1, 10));
        assert_eq!(page_params(Some("page=3&size=25"), 100).unwrap(), (3, 25));
        assert!(page_params(Some("page=0"), 100).is_err());
        assert!(page_params(Some("size=abc"), 100).is_err());
        assert!(page_params(Some("size=101"), 100).is_err());
    }

    #[test]
    fn timestamps_have_millis_and_z() {
        let t = now();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z'));
        assert_eq!(&t[19..20], ".");
    }
}
