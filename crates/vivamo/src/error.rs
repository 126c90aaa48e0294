//! The SDK's one error type, and how responses and transport failures become it.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use vivamo_rules::Violation;

/// `Result` with the SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Declares [`ErrorKind`] from one table: each kind's doc and its stable name. The bindings'
/// error classes and type files are generated from this table and their own table of class
/// names (`cargo xtask codegen`, xtask/src/codegen/errors.rs).
macro_rules! error_kinds {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $name:literal;
    )*) => {
        /// What went wrong, as a stable, matchable category.
        ///
        /// The names (`as_str`) are the same in the Rust, Node and Python SDKs, and each kind
        /// has an error class of its own there (`NotFoundError` for `not_found`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorKind {
            /// Every kind, in declaration order.
            ///
            /// ```
            /// assert!(vivamo::ErrorKind::ALL.contains(&vivamo::ErrorKind::NotFound));
            /// ```
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant),*];

            /// The stable snake_case name, e.g. `customer_already_exists`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $name,)*
                }
            }

            /// The documentation of this kind (rustdoc Markdown); the bindings' class docs
            /// are generated from it.
            pub fn doc(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => concat!($($doc, "\n"),*),)*
                }
            }
        }
    };
}

error_kinds! {
    /// The customer failed client-side validation; nothing was sent. See [`Error::violations`].
    Validation = "validation";
    /// The `externalCustomerId` is already used by your operator (400 `This customer already exists`).
    CustomerAlreadyExists = "customer_already_exists";
    /// Another customer has this email address (400 `A customer with this email address already exists.`).
    EmailAlreadyInUse = "email_already_in_use";
    /// Disposable email provider, refused in production (400 `Sorry, this email domain is not supported`).
    EmailDomainNotSupported = "email_domain_not_supported";
    /// Landline, VOIP or other non-mobile number, refused in production.
    PhoneNotMobile = "phone_not_mobile";
    /// Any other 400 (or other 4xx) from the API.
    BadRequest = "bad_request";
    /// The API key was refused (401 or 403).
    PermissionDenied = "permission_denied";
    /// No customer with this `externalCustomerId` (404).
    NotFound = "not_found";
    /// The request conflicts with what exists (409): a webhook with the same URL and
    /// overlapping event types is already registered.
    Conflict = "conflict";
    /// Too many requests (429); retried automatically, honouring `Retry-After`.
    RateLimited = "rate_limited";
    /// The API failed (5xx); retried automatically.
    Server = "server";
    /// An attempt, or the whole call, ran out of time.
    Timeout = "timeout";
    /// The connection failed or broke.
    Connection = "connection";
    /// A response could not be understood (malformed or unexpected body).
    Decode = "decode";
    /// The client is misconfigured (missing or unusable API key, bad base URL, …).
    Config = "config";
    /// A manual KYC decision on a verification that is not `under_review` (400).
    KycNotUnderReview = "kyc_not_under_review";
    /// A KYC approval for a customer who never submitted documents (400).
    KycNotAttempted = "kyc_not_attempted";
    /// A webhook's `signature` header does not match its body and secret (see
    /// [`crate::webhooks`]).
    WebhookSignature = "webhook_signature";
}

impl ErrorKind {
    /// Whether the caller passed something unusable (nothing was sent): validation,
    /// configuration and webhook signature failures. Python's classes of these kinds are also
    /// `ValueError`s.
    ///
    /// ```
    /// assert!(vivamo::ErrorKind::Config.is_caller_error());
    /// assert!(!vivamo::ErrorKind::NotFound.is_caller_error());
    /// ```
    pub fn is_caller_error(self) -> bool {
        matches!(
            self,
            ErrorKind::Validation | ErrorKind::Config | ErrorKind::WebhookSignature
        )
    }

    /// Whether a call failing this way is worth retrying.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every failure of the SDK: a kind, the HTTP status and Vivamo's `message` and `errors` when
/// the API answered, the client-side violations for [`ErrorKind::Validation`], and the
/// request id when the server sent one.
///
/// It never contains the API key.
///
/// ```
/// # async fn demo(client: vivamo::Client) {
/// match client.customers().get("user_123").await {
///     Ok(customer) => println!("{}", customer.data.email),
///     Err(e) if e.kind() == vivamo::ErrorKind::NotFound => println!("no such customer"),
///     Err(e) => eprintln!("{e} (request {:?})", e.request_id()),
/// }
/// # }
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    status: Option<u16>,
    message: String,
    errors: Vec<BTreeMap<String, String>>,
    violations: Vec<Violation>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    headers: Option<BTreeMap<String, String>>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                status: None,
                message: message.into(),
                errors: Vec::new(),
                violations: Vec::new(),
                request_id: None,
                retry_after: None,
                headers: None,
                source: None,
            }),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// A [`ErrorKind::Validation`] error listing `violations`: what the client returns when
    /// the rules refuse a customer, for code that runs the rules itself (such as the Node and
    /// Python `validateCustomer`).
    ///
    /// ```
    /// use vivamo::rules::{Code, Violation};
    /// let e = vivamo::Error::from_violations(vec![Violation::new("data.emial", Code::UnknownField, "unknown customer field")]);
    /// assert_eq!(e.kind(), vivamo::ErrorKind::Validation);
    /// assert_eq!(e.violations()[0].field, "data.emial");
    /// ```
    pub fn from_violations(violations: Vec<Violation>) -> Self {
        Error::validation(violations)
    }

    /// A client-side validation failure listing every violation.
    pub(crate) fn validation(violations: Vec<Violation>) -> Self {
        let message = match violations.len() {
            1 => format!("invalid customer: {}", violations[0]),
            n => format!(
                "invalid customer ({n} problems): {}",
                violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        let mut error = Error::new(ErrorKind::Validation, message);
        error.inner.violations = violations;
        error
    }

    pub(crate) fn with_status(mut self, status: Option<u16>) -> Self {
        self.inner.status = status;
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        if request_id.is_some() {
            self.inner.request_id = request_id;
        }
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// The category of the failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// Vivamo's `message` for API errors; a description of the failure otherwise.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Vivamo's `errors` entries: each maps a violated constraint to its description.
    pub fn errors(&self) -> &[BTreeMap<String, String>] {
        &self.inner.errors
    }

    /// The client-side violations of a [`ErrorKind::Validation`] error (empty otherwise).
    pub fn violations(&self) -> &[Violation] {
        &self.inner.violations
    }

    /// The request id the server sent (`x-request-id`; the sandbox always sends one, Vivamo
    /// does not document the header, so it may be `None` there).
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The wait the server asked for (`Retry-After`), if it sent a usable one.
    ///
    /// Seconds (integer or fractional) and HTTP dates are understood; a wait longer than 60 s
    /// (including values too large to represent, or a far-future date) is capped to 60 s; a
    /// date in the past is no wait; a negative, `NaN` or unreadable value is `None`, and the
    /// client's own backoff applies. No value can make the client panic.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The headers of the error response, when the API answered with an error status: names
    /// in lower case, the values of a repeated header joined with `, ` (the same map the
    /// Node and Python errors carry).
    pub fn headers(&self) -> Option<&BTreeMap<String, String>> {
        self.inner.headers.as_ref()
    }

    /// Whether the call is worth retrying (the client already did, up to `max_retries`).
    pub fn is_retryable(&self) -> bool {
        self.inner.kind.is_retryable()
    }

    pub(crate) fn with_errors(mut self, errors: Vec<BTreeMap<String, String>>) -> Self {
        self.inner.errors = errors;
        self
    }

    pub(crate) fn with_headers(mut self, headers: &reqwest::header::HeaderMap) -> Self {
        let mut map = BTreeMap::<String, String>::new();
        for (name, value) in headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            map.entry(name.as_str().to_owned())
                .and_modify(|joined| {
                    joined.push_str(", ");
                    joined.push_str(&value);
                })
                .or_insert_with(|| value.into_owned());
        }
        self.inner.headers = Some(map);
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.inner.retry_after = retry_after;
        self
    }

    fn summary(&self) -> &'static str {
        match self.inner.kind {
            ErrorKind::Validation => "",
            ErrorKind::CustomerAlreadyExists => {
                "this externalCustomerId is already in use by your operator"
            }
            ErrorKind::EmailAlreadyInUse => "another customer already has this email address",
            ErrorKind::EmailDomainNotSupported => {
                "disposable email domains are refused in production"
            }
            ErrorKind::PhoneNotMobile => "production accepts only valid mobile numbers",
            ErrorKind::BadRequest => "Vivamo rejected the request",
            ErrorKind::PermissionDenied => {
                "Vivamo refused the API key: check VIVAMO_API_KEY and the environment it belongs to"
            }
            ErrorKind::NotFound => "no customer or webhook with this identifier",
            ErrorKind::Conflict => {
                "a webhook with this URL and overlapping event types already exists: update or delete it"
            }
            ErrorKind::RateLimited => "too many requests, even after retrying",
            ErrorKind::Server => "Vivamo failed to answer, even after retrying",
            ErrorKind::Timeout => "the request timed out",
            ErrorKind::Connection => "could not reach Vivamo",
            ErrorKind::Decode => "Vivamo's response could not be understood",
            ErrorKind::Config => "",
            ErrorKind::KycNotUnderReview => {
                "only a KYC verification under review can be approved or rejected"
            }
            ErrorKind::KycNotAttempted => {
                "the customer has submitted no documents, so the verification cannot be approved"
            }
            ErrorKind::WebhookSignature => "",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        if inner.kind.is_caller_error() {
            f.write_str(&inner.message)?;
        } else {
            write!(f, "{}: {}", self.summary(), inner.message)?;
        }
        // Vivamo's `errors` say which constraint failed: `Validation failed` alone would not.
        let details: Vec<&str> = inner
            .errors
            .iter()
            .flat_map(|entry| entry.values())
            .map(String::as_str)
            .collect();
        if !details.is_empty() {
            write!(f, ": {}", details.join("; "))?;
        }
        let mut extras = Vec::new();
        if let Some(status) = inner.status {
            extras.push(format!("HTTP {status}"));
        }
        if !inner.kind.is_caller_error() {
            extras.push(inner.kind.as_str().to_string());
        }
        if let Some(id) = &inner.request_id {
            extras.push(format!("request {id}"));
        }
        if !extras.is_empty() {
            write!(f, " ({})", extras.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &inner.kind)
            .field("status", &inner.status)
            .field("message", &inner.message);
        if !inner.errors.is_empty() {
            d.field("errors", &inner.errors);
        }
        if !inner.violations.is_empty() {
            d.field("violations", &inner.violations);
        }
        d.field("request_id", &inner.request_id);
        if let Some(source) = &inner.source {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}
