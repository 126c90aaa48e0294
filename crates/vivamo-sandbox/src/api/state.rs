//! Shared state behind [`crate::AppState`], the operator extractor and the clock.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use parking_lot::RwLock;

use super::error::ApiError;
use crate::faults::Faults;
use crate::store::Store;
use crate::{AppState, Config, Mode};

/// Shared state behind [`AppState`].
pub(crate) struct Inner {
    pub mode: Mode,
    /// API key → operator index.
    pub keys: HashMap<String, usize>,
    pub max_page_size: u32,
    pub store: RwLock<Store>,
    pub faults: Faults,
    pub(super) request_tag: u32,
    pub(super) request_counter: AtomicU64,
    pub(super) inspect: super::inspect::Inspect,
    pub webhooks: crate::webhooks::Webhooks,
    pub live: crate::live::Live,
}

impl Inner {
    pub fn new(config: Config) -> Inner {
        let keys: HashMap<String, usize> = config
            .effective_api_keys()
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect();
        let operators = keys.len();
        Inner {
            mode: config.mode,
            max_page_size: config.max_page_size,
            store: RwLock::new(Store::new(operators)),
            faults: Faults::new(&config, operators),
            webhooks: crate::webhooks::Webhooks::new(&config),
            live: Default::default(),
            keys,
            request_tag: fastrand::u32(..),
            request_counter: AtomicU64::new(1),
            inspect: Default::default(),
        }
    }

    /// The operator of the request's bearer key, if any.
    pub fn operator_of(&self, headers: &HeaderMap) -> Option<usize> {
        let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, key) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        self.keys.get(key.trim()).copied()
    }
}

/// The calling operator (index), from `Authorization: Bearer <key>`; 403 otherwise.
pub(crate) struct Operator(pub usize);

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        state
            .inner
            .operator_of(&parts.headers)
            .map(Operator)
            .ok_or_else(ApiError::forbidden)
    }
}

/// Current time as RFC 3339 with milliseconds and `Z`.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_millis_and_z() {
        let t = now();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z'));
        assert_eq!(&t[19..20], ".");
    }
}
