//! Node.js bindings of the Vivamo Customers SDK (the npm package `vivamo`).
//!
//! This crate converts arguments, calls the Rust SDK ([`vivamo`]) and maps results and
//! errors; it holds no business logic. The JavaScript layer (`index.js`) only turns the
//! native rejections into the right `VivamoError` subclass and wraps `listAll` in an async
//! iterator.
//!
//! Errors cross into JavaScript as an `Error` whose message is [`ERROR_PREFIX`] followed by a
//! JSON payload (`kind`, `status`, `message`, `errors`, `violations`, `requestId`); the error
//! path is cold, so the JSON costs nothing that matters, while results are built directly as
//! JavaScript objects.

#![deny(missing_docs)]

mod cancel;
mod client;
mod errors;
// Written by `cargo xtask codegen` from openapi.yaml: the napi objects of the field table.
#[rustfmt::skip]
mod generated;
// Written by `cargo xtask codegen` from openapi.yaml: the native method of every operation.
#[rustfmt::skip]
mod generated_methods;
mod hooks;
mod kyc;
mod models;
mod operations;
mod options;
mod promise;
mod raw_request;
mod response;
mod rules;
mod sandbox;
#[cfg(feature = "test-hooks")]
mod test_hooks;
mod webhook_endpoints;
mod webhooks;

pub use cancel::cancel_call;
pub use client::{CustomerCursor, NativeVivamo};
pub use errors::ERROR_PREFIX;
pub use hooks::{RequestEvent, ResponseEvent, RetryEvent};
pub use kyc::{KycInfo, KycLinks, KycVerificationInfo};
pub use models::*;
pub use options::{AppInfo, Backoff, RequestOptions, VivamoOptions};
pub use rules::{normalize_phone, validate_customer};
pub use sandbox::{
    start_sandbox, NativeSandbox, SandboxOptions, SeedOptions, SeedResult, SetKycOptions,
};
#[cfg(feature = "test-hooks")]
pub use test_hooks::panic_for_tests;
pub use webhooks::{
    webhook_parse, webhook_sign, webhook_verify, NativeWebhookVerifier, PaymentResult, WebhookEvent,
};
