//! What every operation answers: its value and the response it came in. The native methods
//! resolve with one array, `[value, status, headers, requestId, retriesTaken, elapsedMs]`;
//! `index.js`'s `APIPromise` gives the value to `await` and all of it to `.withResponse()`.
//!
//! The metadata crosses as array elements (no property names to intern) and the headers as
//! one Latin-1 string, `name\nvalue\nname\nvalue…`, split only when read: a wrapped native
//! object would cost every call a finalizer, and Latin-1 is how Fetch's `Headers` reads
//! header bytes (no UTF-8 decoding). A header value cannot contain a line feed.

use napi::bindgen_prelude::{check_status, sys, ToNapiValue};

/// An operation's value with the response it came in.
pub struct Answer<T> {
    value: T,
    request_id: Option<String>,
    meta: vivamo::Response<()>,
}

/// The answer of `response`, its value converted by `convert` (given the request id the
/// result object keeps as `_requestId`).
pub(crate) fn answer<V, T>(
    response: vivamo::Response<V>,
    convert: impl FnOnce(V, Option<String>) -> T,
) -> Answer<T> {
    let (value, meta) = response.into_parts();
    let request_id = meta.request_id().map(str::to_owned);
    Answer {
        value: convert(value, request_id.clone()),
        request_id,
        meta,
    }
}

/// The response headers as one Latin-1 byte string (see the module's doc).
fn joined_headers(meta: &vivamo::Response<()>) -> Vec<u8> {
    let mut joined = Vec::with_capacity(256);
    for (name, value) in meta.headers() {
        if !joined.is_empty() {
            joined.push(b'\n');
        }
        joined.extend_from_slice(name.as_str().as_bytes());
        joined.push(b'\n');
        joined.extend_from_slice(value.as_bytes());
    }
    joined
}

impl<T: ToNapiValue> ToNapiValue for Answer<T> {
    unsafe fn to_napi_value(env: sys::napi_env, answer: Self) -> napi::Result<sys::napi_value> {
        let headers = joined_headers(&answer.meta);
        let mut latin1 = std::ptr::null_mut();
        check_status!(sys::napi_create_string_latin1(
            env,
            headers.as_ptr().cast(),
            headers.len() as isize,
            &mut latin1
        ))?;
        let elements = [
            T::to_napi_value(env, answer.value)?,
            u32::to_napi_value(env, u32::from(answer.meta.status()))?,
            latin1,
            Option::<String>::to_napi_value(env, answer.request_id)?,
            u32::to_napi_value(env, answer.meta.retries_taken())?,
            f64::to_napi_value(env, answer.meta.elapsed().as_secs_f64() * 1000.0)?,
        ];
        let mut array = std::ptr::null_mut();
        check_status!(sys::napi_create_array_with_length(
            env,
            elements.len(),
            &mut array
        ))?;
        for (index, element) in (0u32..).zip(elements) {
            check_status!(sys::napi_set_element(env, array, index, element))?;
        }
        Ok(array)
    }
}
