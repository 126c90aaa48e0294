//! How the HTTP client reaches Vivamo: the key, the user agent, proxies, extra root
//! certificates, the connection pool and HTTP/2.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};

/// The network settings of a client (see [`crate::ClientBuilder`]).
#[derive(Clone, Default)]
pub(crate) struct Network {
    pub(crate) api_key: String,
    pub(crate) user_agent: String,
    /// An explicit proxy URL (may hold credentials: never shown).
    pub(crate) proxy: Option<String>,
    /// A PEM file of extra root certificates.
    pub(crate) ca_bundle: Option<PathBuf>,
    pub(crate) max_idle_connections: Option<usize>,
    /// `false`: HTTP/1.1 only.
    pub(crate) http2: bool,
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("api_key", &"[redacted]")
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy.as_deref().map(redact_proxy))
            .field("ca_bundle", &self.ca_bundle)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("http2", &self.http2)
            .finish()
    }
}

/// A proxy URL with any user name and password replaced by `***`.
pub(crate) fn redact_proxy(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            if !url.username().is_empty() || url.password().is_some() {
                let _ = url.set_username("***");
                let _ = url.set_password(None);
            }
            url.to_string()
        }
        Err(_) => "[unparsable proxy URL]".to_string(),
    }
}

impl Network {
    /// The reqwest client: the key as a sensitive default header, the proxy (else
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, which reqwest reads), extra roots, pool size
    /// and HTTP version.
    pub(crate) fn http_client(&self, timeout: Duration) -> Result<reqwest::Client> {
        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true);
        if let Some(raw) = &self.proxy {
            let proxy = reqwest::Proxy::all(raw.as_str()).map_err(|_| {
                Error::config(format!(
                    "proxy {} is not a URL: use e.g. http://proxy.internal:3128 or http://user:password@proxy.internal:3128",
                    redact_proxy(raw)
                ))
            })?;
            http = http.proxy(proxy);
        }
        if let Some(path) = &self.ca_bundle {
            let pem = std::fs::read(path).map_err(|e| {
                Error::config(format!(
                    "ca_bundle {}: cannot read the file ({e}): give the path of a PEM file of root certificates",
                    path.display()
                ))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|certs| !certs.is_empty())
                .ok_or_else(|| {
                    Error::config(format!(
                        "ca_bundle {}: no PEM certificate in the file: give a file with -----BEGIN CERTIFICATE----- blocks",
                        path.display()
                    ))
                })?;
            http = http.tls_certs_merge(certs);
        }
        if let Some(max) = self.max_idle_connections {
            http = http.pool_max_idle_per_host(max);
        }
        if !self.http2 {
            http = http.http1_only();
        }
        vivamo_api::authenticated_http_client(&self.api_key, http).map_err(|e| match e {
            vivamo_api::HttpClientError::InvalidApiKey(_) => Error::config(
                "the API key contains characters that cannot be sent in an HTTP header (spaces, newlines, control or non-ASCII characters): copy the key again from the dashboard",
            ),
            vivamo_api::HttpClientError::Build(e) => {
                Error::config(format!("could not set up HTTPS: {e}"))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_credentials_never_show() {
        let shown = redact_proxy("http://alice:s3cret@proxy.internal:3128");
        assert!(
            !shown.contains("s3cret") && !shown.contains("alice"),
            "{shown}"
        );
        let network = Network {
            proxy: Some("http://alice:s3cret@proxy.internal:3128".into()),
            api_key: "sk_live_x".into(),
            ..Network::default()
        };
        let shown = format!("{network:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("sk_live_x"),
            "{shown}"
        );
        let err = Network {
            proxy: Some("::not a url s3cret".into()),
            ..network
        }
        .http_client(Duration::from_secs(1))
        .unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}
