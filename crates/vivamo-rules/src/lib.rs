//! Vivamo's customer validation rules as pure functions: no I/O, no async.
//!
//! The same rules back the Rust SDK's client-side validation and the local sandbox, and, via
//! the SDK, the Node and Python packages; `testdata/validation.json` pins their behaviour for
//! every language.
//!
//! | field | always an error | production: error, sandbox: warning | warning only (still normalized) |
//! | --- | --- | --- | --- |
//! | `externalCustomerId` | required on create, non-empty | | |
//! | `data.email` | required on create; valid syntax | no `+` in the local part; no disposable domain | |
//! | `data.phone` | E.164 after normalization (US `+1` rule) | a valid mobile number | |
//! | `data.country` | | | ISO 3166-1 alpha-2, any case in, upper case out |
//! | `data.state` | | | when the country is `US`: a USPS code |
//! | `data.zip` | | | when the country is `US`: `12345` or `12345-6789` |
//!
//! The warning-only column holds formats Vivamo documents but is not documented to refuse
//! ([`Code::is_warning_only`]): refusing them client-side could block a real person.
//!
//! Every check reports every violation at once, each with a field path, a stable [`Code`]
//! and a message. The lists that change over time come from maintained sources: disposable
//! domains from the `disposable-email-domains` aggregate and the `mailchecker` crate, phone
//! metadata from `phonenumber` (libphonenumber), countries from `celes`.
//!
//! ```
//! use vivamo_rules::{validate_create, Code, CustomerData, CustomerInput, Environment};
//!
//! let input = CustomerInput {
//!     external_customer_id: Some("user_123".into()),
//!     data: CustomerData {
//!         email: Some(" user+test@Mailinator.com ".into()),
//!         phone: Some("+15551234567".into()),
//!         ..Default::default()
//!     },
//! };
//!
//! // Production rejects a +suffix address, a disposable domain and a non-mobile number.
//! let prod = validate_create(&input, Environment::Production);
//! let codes: Vec<Code> = prod.errors.iter().map(|v| v.code).collect();
//! assert_eq!(
//!     codes,
//!     [Code::PlusSuffixEmail, Code::DisposableEmail, Code::NonMobilePhone]
//! );
//! assert_eq!(prod.errors[1].to_string(), "data.email: Sorry, this email domain is not supported");
//!
//! // The sandbox accepts the same customer, with warnings.
//! let sandbox = validate_create(&input, Environment::Sandbox);
//! assert!(sandbox.is_valid());
//! assert_eq!(sandbox.warnings.len(), 3);
//! assert_eq!(
//!     sandbox.normalized.data.email.as_deref(),
//!     Some("user+test@mailinator.com")
//! );
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod address;
mod customer;
mod disposable;
mod email;
mod environment;
// Written by `cargo xtask codegen` from openapi.yaml.
#[rustfmt::skip]
mod generated;
mod input;
mod phone;
mod phone_meta;
mod signature;
mod text;
mod violation;

pub use address::{is_country_code, is_us_state};
pub use customer::{validate_create, validate_create_data, validate_update, CustomerInput, Report};
pub use disposable::is_disposable_domain;
pub use email::{check_email, EmailCheck, DISPOSABLE_EMAIL_MESSAGE};
pub use environment::{Environment, ParseEnvironmentError};
pub use generated::CustomerData;
pub use input::{unknown_customer_field, validate_value, Operation, ParseOperationError};
pub use phone::{check_phone, normalize_phone, PhoneCheck, NON_MOBILE_PHONE_MESSAGE};
pub use signature::{sign_webhook, webhook_signature_matches, SIGNATURE_HEX_LEN};
pub use violation::{Code, Violation};
