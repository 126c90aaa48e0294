//! [`AppInfo`]: the application calling Vivamo, named in the `User-Agent` so that Vivamo's
//! logs (and support) can tell integrations apart — Stripe's `appInfo`.

use std::fmt;

use crate::error::{Error, ErrorKind, Result};

/// The application that uses the SDK: a name, and optionally its version and a URL; appended
/// to the `User-Agent` as `name/version (+url)`.
///
/// ```
/// let client = vivamo::Client::builder()
///     .api_key("sk_test_1")
///     .app_info(vivamo::AppInfo::new("acme-onboarding").version("1.4.2").url("https://acme.example"))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), vivamo::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppInfo {
    name: String,
    version: Option<String>,
    url: Option<String>,
}

impl AppInfo {
    /// An application called `name` (letters, digits and `-_.`, as in a package name).
    pub fn new(name: impl Into<String>) -> Self {
        AppInfo {
            name: name.into(),
            ..AppInfo::default()
        }
    }

    /// Its version (`1.4.2`).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Where to learn about it (`https://acme.example`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// The `User-Agent` product token: `name/version (+url)`; a [`ErrorKind::Config`] error
    /// naming the part that cannot be sent in a header.
    pub(crate) fn product(&self) -> Result<String> {
        let token = |what: &str, value: &str| {
            let ok = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c));
            if ok {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "app_info.{what} `{value}`: use letters, digits and `-_.+` only (it goes in the User-Agent header)"
                    ),
                ))
            }
        };
        token("name", &self.name)?;
        let mut product = self.name.clone();
        if let Some(version) = &self.version {
            token("version", version)?;
            product = format!("{product}/{version}");
        }
        if let Some(url) = &self.url {
            let ok = !url.is_empty()
                && url
                    .chars()
                    .all(|c| c.is_ascii_graphic() && c != '(' && c != ')');
            if !ok {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("app_info.url `{url}`: printable ASCII without spaces or parentheses only (it goes in the User-Agent header)"),
                ));
            }
            product = format!("{product} (+{url})");
        }
        Ok(product)
    }
}

impl fmt::Display for AppInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(version) = &self.version {
            write!(f, "/{version}")?;
        }
        if let Some(url) = &self.url {
            write!(f, " (+{url})")?;
        }
        Ok(())
    }
}
