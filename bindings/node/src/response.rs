//! What every operation answers: its value and the response it came in. The native methods
//! resolve with `[value, ResponseInfo]`; `index.js`'s `APIPromise` gives the value to
//! `await` and both to `.withResponse()`.
//!
//! The metadata stays the SDK's `Response<()>` inside a [`ResponseInfo`] and becomes
//! JavaScript only when read, so a plain `await` pays one small object for it.

use napi::bindgen_prelude::{check_status, sys, ToNapiValue};
use napi_derive::napi;

/// An operation's value with the response it came in.
pub struct Answer<T> {
    value: T,
    meta: vivamo::Response<()>,
}

/// The answer of `response`, its value converted by `convert` (given the request id the
/// result object keeps as `_requestId`).
pub(crate) fn answer<V, T>(
    response: vivamo::Response<V>,
    convert: impl FnOnce(V, Option<String>) -> T,
) -> Answer<T> {
    let (value, meta) = response.into_parts();
    let id = meta.request_id().map(str::to_owned);
    Answer {
        value: convert(value, id),
        meta,
    }
}

impl<T: ToNapiValue> ToNapiValue for Answer<T> {
    unsafe fn to_napi_value(env: sys::napi_env, answer: Self) -> napi::Result<sys::napi_value> {
        let value = T::to_napi_value(env, answer.value)?;
        let info = ResponseInfo::to_napi_value(env, ResponseInfo { meta: answer.meta })?;
        let mut pair = std::ptr::null_mut();
        check_status!(sys::napi_create_array_with_length(env, 2, &mut pair))?;
        check_status!(sys::napi_set_element(env, pair, 0, value))?;
        check_status!(sys::napi_set_element(env, pair, 1, info))?;
        Ok(pair)
    }
}

/// The status, headers, request id, retries and duration of an answer (read by `index.js`'s
/// `APIResponse`).
#[napi]
pub struct ResponseInfo {
    meta: vivamo::Response<()>,
}

#[napi]
impl ResponseInfo {
    /// The HTTP status.
    #[napi(getter)]
    pub fn status(&self) -> u32 {
        u32::from(self.meta.status())
    }

    /// The response headers as `[name, value]` pairs, names in lower case, in the order
    /// received.
    #[napi(getter, ts_return_type = "Array<[string, string]>")]
    pub fn headers(&self) -> Vec<Vec<String>> {
        self.meta
            .headers()
            .iter()
            .map(|(name, value)| {
                vec![
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                ]
            })
            .collect()
    }

    /// Vivamo's id for the request (`x-request-id`).
    #[napi(getter)]
    pub fn request_id(&self) -> Option<String> {
        self.meta.request_id().map(str::to_owned)
    }

    /// How many failed attempts were retried before this answer.
    #[napi(getter)]
    pub fn retries_taken(&self) -> u32 {
        self.meta.retries_taken()
    }

    /// How long the whole call took, in milliseconds, every attempt and wait included.
    #[napi(getter)]
    pub fn elapsed_ms(&self) -> f64 {
        self.meta.elapsed().as_secs_f64() * 1000.0
    }
}
