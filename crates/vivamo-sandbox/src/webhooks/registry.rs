//! The operators' webhook endpoints: register, list, update, delete, and the duplicate rule
//! (same URL and overlapping event types, within one operator).

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// The event types Vivamo documents.
pub(crate) const EVENT_TYPES: &[&str] = &[
    "transaction",
    "kyc_verification",
    "customer_w9_required",
    "customer_w9_completed",
];

/// One registered webhook.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub id: String,
    pub operator: usize,
    pub url: String,
    pub active: bool,
    /// Empty: every event type.
    pub event_types: Vec<String>,
    pub headers: BTreeMap<String, String>,
    pub secret: String,
}

impl Endpoint {
    /// The webhook as the API shows it, without its secret.
    pub fn view(&self) -> Value {
        json!({
            "_id": self.id,
            "url": self.url,
            "status": if self.active { "active" } else { "inactive" },
            "eventTypes": self.event_types,
            "headers": self.headers,
        })
    }

    /// The answer of Register Webhook: the view plus the secret, shown this once.
    pub fn registered_view(&self) -> Value {
        let mut v = self.view();
        if let Some(o) = v.as_object_mut() {
            o.insert("secretKey".into(), Value::String(self.secret.clone()));
        }
        v
    }

    /// Whether an event of `event_type` goes to this webhook.
    pub fn wants(&self, event_type: &str) -> bool {
        self.active
            && (self.event_types.is_empty() || self.event_types.iter().any(|t| t == event_type))
    }

    fn overlaps(&self, url: &str, event_types: &[String]) -> bool {
        self.url == url
            && (self.event_types.is_empty()
                || event_types.is_empty()
                || self.event_types.iter().any(|t| event_types.contains(t)))
    }
}

/// A change to a webhook: `Some` fields replace.
#[derive(Debug, Default)]
pub(crate) struct EndpointPatch {
    pub url: Option<String>,
    pub active: Option<bool>,
    pub event_types: Option<Vec<String>>,
    pub headers: Option<BTreeMap<String, String>>,
}

/// Why a registry change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Same URL and overlapping event types as another webhook of the operator (409).
    Duplicate,
    /// No webhook with this id belongs to the operator (404).
    NotFound,
}

/// Every webhook of every operator, in registration order.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    endpoints: Vec<Endpoint>,
}

impl Registry {
    pub fn clear(&mut self) {
        self.endpoints.clear();
    }

    fn duplicate(&self, op: usize, except: Option<&str>, url: &str, types: &[String]) -> bool {
        self.endpoints
            .iter()
            .any(|e| e.operator == op && Some(e.id.as_str()) != except && e.overlaps(url, types))
    }

    /// Registers an active webhook for every event type, with a new id and secret.
    pub fn register(
        &mut self,
        op: usize,
        url: String,
        headers: BTreeMap<String, String>,
    ) -> Result<&Endpoint, Refusal> {
        if self.duplicate(op, None, &url, &[]) {
            return Err(Refusal::Duplicate);
        }
        self.endpoints.push(Endpoint {
            id: format!("wh_{:016x}", fastrand::u64(..)),
            operator: op,
            url,
            active: true,
            event_types: Vec::new(),
            headers,
            secret: format!("whsec_{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
        });
        self.endpoints.last().ok_or(Refusal::NotFound)
    }

    /// The operator's webhooks.
    pub fn list(&self, op: usize) -> Vec<&Endpoint> {
        self.endpoints.iter().filter(|e| e.operator == op).collect()
    }

    /// Every webhook of every operator, without secrets, with its operator index (the
    /// inspector page).
    pub fn all_views(&self) -> Vec<serde_json::Value> {
        self.endpoints
            .iter()
            .map(|e| {
                let mut v = e.view();
                if let Some(o) = v.as_object_mut() {
                    o.insert("operator".into(), e.operator.into());
                }
                v
            })
            .collect()
    }

    fn index(&self, op: usize, id: &str) -> Result<usize, Refusal> {
        self.endpoints
            .iter()
            .position(|e| e.operator == op && e.id == id)
            .ok_or(Refusal::NotFound)
    }

    pub fn update(
        &mut self,
        op: usize,
        id: &str,
        patch: EndpointPatch,
    ) -> Result<&Endpoint, Refusal> {
        let i = self.index(op, id)?;
        let current = &self.endpoints[i];
        let url = patch.url.clone().unwrap_or_else(|| current.url.clone());
        let types = patch
            .event_types
            .clone()
            .unwrap_or_else(|| current.event_types.clone());
        if self.duplicate(op, Some(id), &url, &types) {
            return Err(Refusal::Duplicate);
        }
        let e = &mut self.endpoints[i];
        e.url = url;
        e.event_types = types;
        if let Some(active) = patch.active {
            e.active = active;
        }
        if let Some(headers) = patch.headers {
            e.headers = headers;
        }
        Ok(&self.endpoints[i])
    }

    pub fn delete(&mut self, op: usize, id: &str) -> Result<(), Refusal> {
        let i = self.index(op, id)?;
        self.endpoints.remove(i);
        Ok(())
    }

    /// The operator's active webhooks subscribed to `event_type`.
    pub fn targets(&self, op: usize, event_type: &str) -> Vec<Endpoint> {
        self.endpoints
            .iter()
            .filter(|e| e.operator == op && e.wants(event_type))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_need_the_same_url_and_overlapping_types() {
        let mut r = Registry::default();
        let a = r
            .register(0, "http://127.0.0.1:1/a".into(), BTreeMap::new())
            .unwrap()
            .id
            .clone();
        assert_eq!(
            r.register(0, "http://127.0.0.1:1/a".into(), BTreeMap::new())
                .unwrap_err(),
            Refusal::Duplicate
        );
        // Another operator may register the same URL.
        assert!(r
            .register(1, "http://127.0.0.1:1/a".into(), BTreeMap::new())
            .is_ok());
        let kyc = EndpointPatch {
            event_types: Some(vec!["kyc_verification".into()]),
            ..EndpointPatch::default()
        };
        r.update(0, &a, kyc).unwrap();
        let b = r
            .register(0, "http://127.0.0.1:1/b".into(), BTreeMap::new())
            .unwrap()
            .id
            .clone();
        let same_url = |types: Vec<&str>| EndpointPatch {
            url: Some("http://127.0.0.1:1/a".into()),
            event_types: Some(types.into_iter().map(String::from).collect()),
            ..EndpointPatch::default()
        };
        assert_eq!(
            r.update(0, &b, same_url(vec!["kyc_verification"]))
                .unwrap_err(),
            Refusal::Duplicate
        );
        assert!(r.update(0, &b, same_url(vec!["transaction"])).is_ok());
        assert_eq!(r.targets(0, "transaction").len(), 1);
        assert_eq!(r.delete(0, "wh_none"), Err(Refusal::NotFound));
        assert_eq!(
            r.delete(1, &a),
            Err(Refusal::NotFound),
            "not the operator's"
        );
    }
}
