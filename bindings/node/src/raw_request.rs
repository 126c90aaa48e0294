//! `vivamo.request({ method, path, query, body, idempotent }, options)`: any endpoint of the
//! API through the Rust SDK's `Client::request`, with the same authentication, retries,
//! deadline, logs and typed errors.

use napi::bindgen_prelude::AsyncBlock;
use napi::Env;
use napi_derive::napi;
use serde_json::Value;

use crate::cancel::cancellable;
use crate::client::NativeVivamo;
use crate::errors::{js_error, Failure};
use crate::options::{call_options, RequestOptions};
use crate::promise::promise;
use crate::response::{answer, Answer};

/// What `vivamo.request` sends.
#[napi(object)]
pub struct RawRequestInit {
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`, … (any case).
    pub method: String,
    /// The path under the base URL, starting with `/` (`/v1/customers`); no query in it.
    pub path: String,
    /// Query parameters: a string, number or boolean each.
    #[napi(ts_type = "Record<string, string | number | boolean>")]
    pub query: Option<Value>,
    /// The JSON body, sent as given (no validation).
    #[napi(ts_type = "unknown")]
    pub body: Option<Value>,
    /// Whether sending it twice has the effect of sending it once (default: `true` for `GET`,
    /// `HEAD`, `OPTIONS`, `PUT`, `DELETE`; a `POST` or `PATCH` is retried only when the server
    /// cannot have applied it).
    pub idempotent: Option<bool>,
}

/// The query object as name / value pairs.
fn query(query: Option<Value>) -> napi::Result<Vec<(String, String)>> {
    match query {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => map
            .into_iter()
            .map(|(name, value)| {
                let text = match value {
                    Value::String(s) => s,
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => {
                        return Err(Failure::config(format!(
                            "query.{name}: give a string, number or boolean"
                        ))
                        .into())
                    }
                };
                Ok((name, text))
            })
            .collect(),
        Some(_) => Err(Failure::config("query must be an object of name: value").into()),
    }
}

#[napi]
impl NativeVivamo {
    /// Any endpoint of the API; resolves with the answer's JSON and its response.
    #[napi(
        ts_return_type = "Promise<[value: unknown, status: number, headers: string, requestId: string | null, retriesTaken: number, elapsedMs: number]>"
    )]
    pub fn request(
        &self,
        env: Env,
        init: RawRequestInit,
        options: Option<RequestOptions>,
        cancel: Option<u32>,
    ) -> napi::Result<AsyncBlock<Answer<Value>>> {
        let client = self.client.clone();
        let options = call_options(options)?;
        let parts = vivamo::RawRequestParts {
            method: init.method,
            path: init.path,
            query: query(init.query)?,
            body: init.body,
            idempotent: init.idempotent,
        };
        promise(
            &env,
            cancellable(cancel, async move {
                let request = client.request_parts(parts).map_err(js_error)?;
                let response = request.options(options).await.map_err(js_error)?;
                Ok(answer(response, |json, _| json))
            }),
        )
    }
}
