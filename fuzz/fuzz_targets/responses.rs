//! Response decoding of every operation, as the generated client does it
//! (`serde_json::from_slice` of the body into the operation's type): arbitrary bytes give a
//! typed value or a typed error, never a panic; a decoded value serializes back to JSON that
//! decodes and serializes to the same JSON; and the SDK's conversion into its public models takes it.
//! Time is bounded by libFuzzer's `-timeout` (`cargo xtask fuzz` passes 10 s): a slow input
//! is reported like a crash.
//!
//! Input: one byte choosing the operation, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use vivamo_api::types;

/// Decodes `body` as `T`; a value must survive a round trip through JSON (it serializes,
/// decodes again, and serializes to the same JSON value).
fn decode<T>(body: &[u8]) -> Option<T>
where
    T: DeserializeOwned + Serialize,
{
    let value = serde_json::from_slice::<T>(body).ok()?;
    let json = serde_json::to_value(&value).expect("a decoded value serializes");
    let back = serde_json::from_value::<T>(json.clone()).expect("a serialized value decodes");
    // Compared as JSON values: the error maps are `HashMap`s, whose order is per instance.
    let again = serde_json::to_value(&back).expect("a decoded value serializes");
    assert_eq!(again, json);
    Some(value)
}

fuzz_target!(|data: &[u8]| {
    let Some((&operation, body)) = data.split_first() else {
        return;
    };
    match operation % 7 {
        // createCustomer (201)
        0 => {
            decode::<types::CreateCustomerResponse>(body);
        }
        // getCustomer, updateCustomer (200)
        1 => {
            if let Some(c) = decode::<types::Customer>(body) {
                let _: vivamo::Customer = c.into();
            }
        }
        // listCustomers (200)
        2 => {
            if let Some(list) = decode::<types::CustomerList>(body) {
                let count = list.customers.len();
                let page: vivamo::Page = list.into();
                assert_eq!(page.customers.len(), count);
            }
        }
        // kycForReview (200)
        3 => {
            if let Some(customers) = decode::<Vec<types::Customer>>(body) {
                let _: Vec<vivamo::Customer> = customers.into_iter().map(Into::into).collect();
            }
        }
        // kycInfo (200)
        4 => {
            if let Some(info) = decode::<types::KycInfo>(body) {
                let _: vivamo::KycInfo = info.into();
            }
        }
        // kycVerify (200)
        5 => {
            decode::<types::KycVerifyResponse>(body);
        }
        // every error status: Vivamo's error body
        _ => {
            if let Some(e) = decode::<types::ErrorResponse>(body) {
                assert!(e.errors.iter().all(|m| m.len() <= body.len()));
            }
        }
    }
});
