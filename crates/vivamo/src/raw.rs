//! [`Client::request`](crate::Client::request): any endpoint of the API, with the SDK's
//! authentication, retries, deadline, logs, redaction and typed errors — for what Vivamo offers
//! beyond the operations this SDK wraps (payments, disbursements, tax forms).

use std::sync::Arc;

pub use reqwest::Method;

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::options::RequestOptions;
use crate::request::request_options;
use crate::response::Response;
use crate::transport::Retries;

/// A request to any path of the API; see [`crate::Client::request`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct RawRequest<'a> {
    ctx: &'a Arc<Context>,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    idempotent: Option<bool>,
    options: RequestOptions,
}

impl<'a> RawRequest<'a> {
    pub(crate) fn new(ctx: &'a Arc<Context>, method: Method, path: impl Into<String>) -> Self {
        RawRequest {
            ctx,
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotent: None,
            options: RequestOptions::new(),
        }
    }

    /// Adds a query parameter (encoded for you; repeat the call for a repeated name).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The JSON body, sent as given (no validation).
    pub fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Whether sending the request twice has the effect of sending it once. By default `GET`,
    /// `HEAD`, `OPTIONS`, `PUT` and `DELETE` are, and `POST` and `PATCH` are not: a failed
    /// attempt of a non-idempotent request is retried only when the server cannot have
    /// applied it (a refused connection, 429, any 4xx); `idempotent(true)` retries it like
    /// any other (say, a POST carrying an idempotency key of Vivamo's).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    async fn run(self) -> Result<Response<serde_json::Value>> {
        if !self.path.starts_with('/') || self.path.starts_with("//") {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "path `{}` must start with a single `/` (e.g. \"/v1/customers\"): it is appended to the base URL",
                    self.path
                ),
            ));
        }
        if self.path.contains(['?', '#']) {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "path `{}` holds a query or fragment: pass query parameters with `.query(name, value)`",
                    self.path
                ),
            ));
        }
        let idempotent = self.idempotent.unwrap_or(matches!(
            self.method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        ));
        let retries = if idempotent {
            Retries::AnyTransient
        } else {
            Retries::NotApplied
        };
        let options = self.options.over(&self.ctx.options);
        let transport = &self.ctx.transport;
        let api = transport.api();
        let (method, path, query, body) = (&self.method, &self.path, &self.query, &self.body);
        transport
            .call_with("request", &options, retries, || {
                vivamo_api::send_raw(api, method.clone(), path, query, body.as_ref())
            })
            .await
            .result
    }
}

request_options!(RawRequest);

impl<'a> std::future::IntoFuture for RawRequest<'a> {
    type Output = Result<Response<serde_json::Value>>;
    type IntoFuture = futures::future::BoxFuture<'a, Result<Response<serde_json::Value>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
