//! Per-call settings: a timeout per attempt, a deadline for the whole call, a retry budget,
//! extra headers and extra body fields, given to a derived client
//! ([`crate::Client::with_options`]) or to one call.

use std::fmt;
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Settings for calls, each one optional: what is not set comes from the client.
///
/// The same fields exist in Node (`{ timeoutMs, deadlineMs, maxRetries, headers, extraBody }`)
/// and Python (`timeout=`, `deadline=`, `max_retries=`, `extra_headers=`, `extra_body=`).
///
/// ```
/// use std::time::Duration;
/// let checkout = vivamo::RequestOptions::new()
///     .timeout(Duration::from_secs(2))
///     .deadline(Duration::from_secs(2))
///     .max_retries(0)
///     .header("x-correlation-id", "order_981");
/// assert_eq!(checkout.get_max_retries(), Some(0));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(String, String)>,
    extra_body: Map<String, Value>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time allowed for one attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call, every retry and wait included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed attempt is retried (`0`: never).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// An extra header sent with every attempt (a later value for the same name replaces an
    /// earlier one). `Authorization`, `Content-Type` and `User-Agent` are the SDK's: a call
    /// given one of them fails with [`crate::ErrorKind::Config`] before sending anything.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// A JSON field sent in the request body as given, not validated: for a field this SDK
    /// does not know yet. `extra_field("data", json!({"nickname": "Jo"}))` adds `nickname`
    /// inside the body's `data` object, next to the fields the SDK sends.
    ///
    /// Objects merge key by key, recursively, into the body and into an earlier value for the
    /// same name; any other value (`null` included, sent as `null`) replaces it. A request
    /// without a body (a `get`) gets these fields as its JSON body. See
    /// [`vivamo_api::merge_json`].
    ///
    /// ```
    /// use serde_json::json;
    /// let options = vivamo::RequestOptions::new()
    ///     .extra_field("data", json!({"nickname": "Jo"}))
    ///     .extra_field("data", json!({"loyaltyTier": "gold"}));
    /// assert_eq!(
    ///     serde_json::Value::Object(options.get_extra_body().clone()),
    ///     json!({"data": {"nickname": "Jo", "loyaltyTier": "gold"}})
    /// );
    /// ```
    pub fn extra_field(mut self, name: impl Into<String>, value: Value) -> Self {
        let mut field = Map::new();
        field.insert(name.into(), value);
        vivamo_api::merge_json(&mut self.extra_body, &field);
        self
    }

    /// Several fields of [`RequestOptions::extra_field`] at once, merged into any set before.
    pub fn extra_body(mut self, fields: Map<String, Value>) -> Self {
        vivamo_api::merge_json(&mut self.extra_body, &fields);
        self
    }

    /// [`RequestOptions::extra_body`] from any JSON value, as a binding receives it: an object,
    /// or `null` for none. Anything else is a [`crate::ErrorKind::Validation`] error naming
    /// `option` (the option as the caller spelled it: `extraBody`, `extra_body`).
    pub fn extra_body_value(self, option: &str, value: Value) -> Result<Self> {
        let got = match value {
            Value::Null => return Ok(self),
            Value::Object(fields) => return Ok(self.extra_body(fields)),
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
        };
        Err(Error::new(
            crate::ErrorKind::Validation,
            format!(
                "{option} must be an object of JSON fields to add to the request body ({{\"data\": {{\"nickname\": \"Jo\"}}}}), not {got}"
            ),
        ))
    }

    /// The per-attempt timeout, if set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The deadline, if set.
    pub fn get_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The retry budget, if set.
    pub fn get_max_retries(&self) -> Option<u32> {
        self.max_retries
    }

    /// The extra headers, in the order given.
    pub fn get_headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The extra body fields ([`RequestOptions::extra_field`]), empty when none.
    pub fn get_extra_body(&self) -> &Map<String, Value> {
        &self.extra_body
    }

    /// These options over `base`: what is set here wins, headers and extra body fields are
    /// merged.
    pub(crate) fn over(&self, base: &RequestOptions) -> RequestOptions {
        let mut merged = base.clone();
        merged.timeout = self.timeout.or(base.timeout);
        merged.deadline = self.deadline.or(base.deadline);
        merged.max_retries = self.max_retries.or(base.max_retries);
        for (name, value) in &self.headers {
            merged = merged.header(name.clone(), value.clone());
        }
        vivamo_api::merge_json(&mut merged.extra_body, &self.extra_body);
        merged
    }

    /// These options without extra body fields: for the SDK's own follow-up requests (the
    /// `get` that reconciles a create), which carry no body of the caller's.
    pub(crate) fn without_extra_body(&self) -> RequestOptions {
        RequestOptions {
            extra_body: Map::new(),
            ..self.clone()
        }
    }

    /// The extra body fields for the transport, `None` when there are none.
    pub(crate) fn extra_body_fields(&self) -> Option<Map<String, Value>> {
        (!self.extra_body.is_empty()).then(|| self.extra_body.clone())
    }

    /// The extra headers, checked: a name or value HTTP cannot carry, or a header the SDK
    /// owns, is a [`crate::ErrorKind::Config`] error naming it.
    pub(crate) fn header_map(&self) -> Result<HeaderMap> {
        let mut map = HeaderMap::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                Error::config(format!(
                    "extra header name {name:?} is not a valid HTTP header name: use letters, digits and '-'"
                ))
            })?;
            if [AUTHORIZATION, CONTENT_TYPE, USER_AGENT].contains(&header) {
                return Err(Error::config(format!(
                    "extra header {name:?} cannot be set per call: the SDK sets Authorization (from the API key), Content-Type and User-Agent itself; set the key or user agent on the client instead"
                )));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::config(format!(
                    "extra header {name:?} has a value HTTP cannot carry (newline, control or non-ASCII characters)"
                ))
            })?;
            map.insert(header, value);
        }
        Ok(map)
    }
}

impl fmt::Debug for RequestOptions {
    /// Header values may be secrets and body fields are user data: only their names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("extra_body", &self.extra_body.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdks_own_headers_are_refused_by_name() {
        for name in ["Authorization", "content-type", "USER-AGENT"] {
            let err = RequestOptions::new()
                .header(name, "x")
                .header_map()
                .unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config);
            assert!(err.to_string().contains(name), "{err}");
        }
        let err = RequestOptions::new()
            .header("x-a", "line\nbreak")
            .header_map()
            .unwrap_err();
        assert!(err.to_string().contains("x-a"), "{err}");
        assert!(RequestOptions::new()
            .header("bad name", "v")
            .header_map()
            .is_err());
    }

    #[test]
    fn call_options_win_over_client_options() {
        let client = RequestOptions::new()
            .timeout(Duration::from_secs(5))
            .max_retries(4)
            .header("x-team", "a")
            .header("x-keep", "k");
        let call = RequestOptions::new().max_retries(0).header("X-Team", "b");
        let merged = call.over(&client);
        assert_eq!(merged.get_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(merged.get_max_retries(), Some(0));
        let map = merged.header_map().unwrap();
        assert_eq!(map["x-team"], "b");
        assert_eq!(map["x-keep"], "k");
        assert_eq!(map.len(), 2);
        assert!(!format!("{merged:?}").contains("\"k\""));
    }

    #[test]
    fn extra_body_fields_merge_per_call_over_the_client_and_debug_shows_only_names() {
        use serde_json::json;
        let client = RequestOptions::new()
            .extra_field("data", json!({"nickname": "Jo", "tier": "silver"}))
            .extra_field("source", json!("import"));
        let call = RequestOptions::new()
            .extra_field("data", json!({"tier": "gold", "gone": null}))
            .extra_field("source", json!(["a", "b"]));
        let merged = call.over(&client);
        assert_eq!(
            Value::Object(merged.get_extra_body().clone()),
            json!({"data": {"nickname": "Jo", "tier": "gold", "gone": null}, "source": ["a", "b"]})
        );
        let shown = format!("{merged:?}");
        assert!(
            shown.contains("\"data\"") && shown.contains("\"source\""),
            "{shown}"
        );
        assert!(!shown.contains("Jo") && !shown.contains("gold"), "{shown}");
        assert!(merged.without_extra_body().get_extra_body().is_empty());
        assert_eq!(
            merged.without_extra_body().get_headers(),
            merged.get_headers()
        );
        assert!(RequestOptions::new().extra_body_fields().is_none());
    }

    #[test]
    fn an_extra_body_that_is_not_an_object_is_refused_by_the_options_name() {
        use serde_json::json;
        let options = RequestOptions::new()
            .extra_body_value("extraBody", json!({"data": {"x": 1}}))
            .unwrap()
            .extra_body_value("extraBody", Value::Null)
            .unwrap();
        assert_eq!(options.get_extra_body().len(), 1);
        for bad in [json!([1]), json!("data"), json!(3), json!(true)] {
            let err = RequestOptions::new()
                .extra_body_value("extra_body", bad)
                .unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Validation);
            assert!(
                err.to_string().contains("extra_body must be an object"),
                "{err}"
            );
        }
    }
}
