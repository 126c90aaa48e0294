//! A request to any path of the API, sent the way the generated operations send theirs: the
//! client's authenticated connection pool, the same pre and post hooks (extra headers, what
//! [`crate::observe`] records), and the same split of statuses into a value or an error — so
//! that an endpoint the spec does not describe yet still gets the SDK's retries, logs and
//! typed errors.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};

use crate::types::ErrorResponse;
use crate::Client;

/// One request to `path` (below the base URL, starting with `/`) with `query` pairs and an
/// optional JSON `body`.
///
/// A 2xx answer is its JSON body (`null` when the body is empty); a status of 400 and above is
/// [`Error::ErrorResponse`] when the body is Vivamo's error shape, and is otherwise reported
/// as the generated operations report an error body that does not decode; any other status is
/// [`Error::UnexpectedResponse`].
///
/// ```
/// # async fn demo(client: &vivamo_api::Client) {
/// let query = [("page".to_string(), "2".to_string())];
/// let (result, seen) = vivamo_api::observe(vivamo_api::send_raw(
///     client,
///     reqwest::Method::GET,
///     "/v1/customers",
///     &query,
///     None,
/// ))
/// .await;
/// # let _ = (result, seen);
/// # }
/// ```
pub async fn send_raw(
    client: &Client,
    method: reqwest::Method,
    path: &str,
    query: &[(String, String)],
    body: Option<&serde_json::Value>,
) -> Result<ResponseValue<serde_json::Value>, Error<ErrorResponse>> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(Error::InvalidRequest(format!(
            "path `{path}` must start with a single `/`: it is appended to the client's base URL"
        )));
    }
    let url = format!("{}{path}", client.baseurl);
    let mut builder = client
        .client
        .request(method, url)
        .header(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        )
        .header(
            reqwest::header::HeaderName::from_static("api-version"),
            reqwest::header::HeaderValue::from_static(<Client as ClientInfo<()>>::api_version()),
        );
    if !query.is_empty() {
        builder = builder.query(query);
    }
    if let Some(body) = body {
        builder = builder.json(body);
    }
    let mut request = builder.build()?;
    let info = OperationInfo {
        operation_id: "request",
    };
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    let response = result?;
    let status = response.status().as_u16();
    match status {
        200..=299 => {
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.map_err(Error::ResponseBodyError)?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(ResponseValue::new(serde_json::Value::Null, status, headers));
            }
            match serde_json::from_slice(&bytes) {
                Ok(value) => Ok(ResponseValue::new(value, status, headers)),
                Err(e) => Err(Error::InvalidResponsePayload(bytes, e)),
            }
        }
        400..=599 => Err(Error::ErrorResponse(
            ResponseValue::from_response(response).await?,
        )),
        _ => Err(Error::UnexpectedResponse(response)),
    }
}
