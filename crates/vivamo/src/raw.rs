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

/// A raw request described by plain values, as a binding receives it from its caller; see
/// [`crate::Client::request_parts`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawRequestParts {
    /// The HTTP method, any case (`"get"`, `"POST"`).
    pub method: String,
    /// The path under the base URL, starting with `/`.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body, sent as given.
    pub body: Option<serde_json::Value>,
    /// See [`RawRequest::idempotent`]; `None` leaves the method's default.
    pub idempotent: Option<bool>,
}

/// `name` as an HTTP method: letters only, any case; else a [`ErrorKind::Config`] error.
pub(crate) fn method(name: &str) -> Result<Method> {
    let upper = name.to_ascii_uppercase();
    match Method::from_bytes(upper.as_bytes()) {
        Ok(method) if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Ok(method)
        }
        _ => Err(Error::new(
            ErrorKind::Config,
            format!(
                "method {name:?} is not an HTTP method: use \"GET\", \"POST\", \"PATCH\", \"PUT\" or \"DELETE\""
            ),
        )),
    }
}

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

    /// The request `parts` describe (what `Client::request_parts` builds).
    pub(crate) fn from_parts(ctx: &'a Arc<Context>, parts: RawRequestParts) -> Result<Self> {
        let mut request = RawRequest::new(ctx, method(&parts.method)?, parts.path);
        request.query = parts.query;
        request.body = parts.body;
        request.idempotent = parts.idempotent;
        Ok(request)
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

#[cfg(test)]
mod tests {
    use super::method;

    #[test]
    fn methods_are_read_in_any_case_and_nonsense_is_a_config_error() {
        assert_eq!(method("get").unwrap(), super::Method::GET);
        assert_eq!(method("Patch").unwrap(), super::Method::PATCH);
        for bad in ["", "GE T", "GET\n", "G3T"] {
            let err = method(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config);
            assert!(err.to_string().contains("not an HTTP method"), "{err}");
        }
    }
}
