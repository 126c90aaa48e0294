//! In-process control of a sandbox: what the `/__sandbox` reset, seed and KYC routes do,
//! callable without HTTP. The routes call these methods, and so do the `Sandbox` classes of
//! the Python and Node packages (`vivamo.testing`, `vivamo/testing`).

use serde::Serialize;

use crate::kyc::{self, ForcedStatus};
use crate::store::{Conflict, Store};
use crate::AppState;

/// Largest `count` one [`AppState::seed`] accepts.
pub const MAX_SEED_COUNT: u64 = 1_000_000;

/// The outcome of [`AppState::seed`] (also the JSON answer of `POST /__sandbox/seed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Seeded {
    /// How many customers were created.
    pub created: u64,
    /// How many customers the operator has now.
    pub total: usize,
    /// The first id created (`None` when `count` was 0).
    pub first_external_customer_id: Option<String>,
    /// The last id created (`None` when `count` was 0).
    pub last_external_customer_id: Option<String>,
}

/// A KYC status to force with [`AppState::set_kyc`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KycUpdate {
    /// The new status, e.g. `under_review`, `verified`, `rejected_manually`.
    pub status: String,
    /// The verification type (default `proof_of_id`).
    pub kind: String,
    /// `false` models a submission without captured documents (its approval is refused).
    pub attempted: bool,
    /// `true` makes a pending verification's client secret expire now.
    pub expire_secret: bool,
}

impl KycUpdate {
    /// `status` for `proof_of_id`, with documents captured and the secret left alone.
    pub fn new(status: impl Into<String>) -> KycUpdate {
        KycUpdate {
            status: status.into(),
            kind: kyc::PROOF_OF_ID.to_string(),
            attempted: true,
            expire_secret: false,
        }
    }
}

/// Why a control call was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// The API key is not one of the sandbox's (each key is an operator).
    #[error("unknown API key: use one of the keys the sandbox was started with")]
    UnknownApiKey,
    /// The operator has no customer with this `externalCustomerId`.
    #[error("customer `{0}` not found: create it first")]
    CustomerNotFound(String),
    /// An argument is out of range or empty.
    #[error("{0}")]
    InvalidArgument(String),
}

impl AppState {
    /// Removes every customer of every operator; returns how many records were removed
    /// (`POST /__sandbox/reset`).
    ///
    /// ```
    /// let state = vivamo_sandbox::AppState::new(Default::default()).unwrap();
    /// state.seed(vivamo_sandbox::DEFAULT_API_KEY, 3, "seed_").unwrap();
    /// assert_eq!(state.reset(), 3);
    /// assert_eq!(state.customer_count(), 0);
    /// ```
    pub fn reset(&self) -> usize {
        self.inner.webhooks.clear();
        self.write_store(Store::reset)
    }

    /// Creates `count` valid customers for the operator of `api_key`, ids `{prefix}{n}`
    /// (`POST /__sandbox/seed`).
    ///
    /// ```
    /// let state = vivamo_sandbox::AppState::new(Default::default()).unwrap();
    /// let seeded = state.seed(vivamo_sandbox::DEFAULT_API_KEY, 2, "seed_").unwrap();
    /// assert_eq!(seeded.created, 2);
    /// assert_eq!(seeded.first_external_customer_id.as_deref(), Some("seed_0"));
    /// ```
    pub fn seed(&self, api_key: &str, count: u64, prefix: &str) -> Result<Seeded, ControlError> {
        let op = self.operator(api_key)?;
        self.seed_operator(op, count, prefix)
    }

    pub(crate) fn seed_operator(
        &self,
        op: usize,
        count: u64,
        prefix: &str,
    ) -> Result<Seeded, ControlError> {
        if count > MAX_SEED_COUNT {
            return Err(ControlError::InvalidArgument(format!(
                "count: must be an integer between 0 and {MAX_SEED_COUNT}"
            )));
        }
        let now = crate::api::now();
        let (range, total) = self.write_store(|store| {
            let range = store.seed(op, count, prefix, &now);
            (range, store.count(op))
        });
        let (first, last) = range.unzip();
        Ok(Seeded {
            created: count,
            total,
            first_external_customer_id: first,
            last_external_customer_id: last,
        })
    }

    /// Sets the status of the latest KYC record of `update.kind` of the customer (of the
    /// operator of `api_key`), or adds one; returns the customer as `GET /v1/customers/{id}`
    /// answers it (`POST /__sandbox/customers/{id}/kyc`).
    ///
    /// ```
    /// use vivamo_sandbox::{AppState, KycUpdate, DEFAULT_API_KEY};
    /// let state = AppState::new(Default::default()).unwrap();
    /// state.seed(DEFAULT_API_KEY, 1, "u").unwrap();
    /// let customer = state
    ///     .set_kyc(DEFAULT_API_KEY, "u0", &KycUpdate::new("under_review"))
    ///     .unwrap();
    /// assert_eq!(customer["kycVerifications"][0]["status"], "under_review");
    /// ```
    pub fn set_kyc(
        &self,
        api_key: &str,
        external_customer_id: &str,
        update: &KycUpdate,
    ) -> Result<serde_json::Value, ControlError> {
        let op = self.operator(api_key)?;
        self.set_kyc_operator(op, external_customer_id, update)
    }

    pub(crate) fn set_kyc_operator(
        &self,
        op: usize,
        external_customer_id: &str,
        update: &KycUpdate,
    ) -> Result<serde_json::Value, ControlError> {
        for (name, value) in [("status", &update.status), ("type", &update.kind)] {
            if value.is_empty() {
                return Err(ControlError::InvalidArgument(format!(
                    "{name}: must not be empty"
                )));
            }
        }
        let forced = ForcedStatus {
            kind: &update.kind,
            status: &update.status,
            attempted: update.attempted,
            expire_secret: update.expire_secret,
        };
        self.write_store(|store| {
            match store.force_kyc(op, external_customer_id, &forced, chrono::Utc::now()) {
                Ok(view) => serde_json::to_value(&view)
                    .map_err(|e| ControlError::InvalidArgument(e.to_string())),
                Err(Conflict::NotFound) => Err(ControlError::CustomerNotFound(
                    external_customer_id.to_string(),
                )),
                Err(other) => Err(ControlError::InvalidArgument(format!("{other:?}"))),
            }
        })
    }

    fn operator(&self, api_key: &str) -> Result<usize, ControlError> {
        self.inner
            .keys
            .get(api_key)
            .copied()
            .ok_or(ControlError::UnknownApiKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, DEFAULT_API_KEY};

    fn two_operators() -> AppState {
        AppState::new(Config {
            api_keys: vec!["sk_a".into(), "sk_b".into()],
            ..Config::default()
        })
        .unwrap()
    }

    #[test]
    fn seed_is_per_operator_and_reset_clears_all() {
        let state = two_operators();
        assert_eq!(state.seed("sk_a", 2, "a_").unwrap().total, 2);
        let b = state.seed("sk_b", 3, "b_").unwrap();
        assert_eq!((b.created, b.total), (3, 3));
        assert_eq!(b.last_external_customer_id.as_deref(), Some("b_2"));
        let none = state.seed("sk_b", 0, "b_").unwrap();
        assert_eq!(none.first_external_customer_id, None);
        assert_eq!(state.reset(), 5);
        assert_eq!(state.customer_count(), 0);
    }

    #[test]
    fn refusals_name_the_problem() {
        let state = two_operators();
        assert_eq!(
            state.seed(DEFAULT_API_KEY, 1, "x"),
            Err(ControlError::UnknownApiKey)
        );
        let err = state.seed("sk_a", MAX_SEED_COUNT + 1, "x").unwrap_err();
        assert!(err.to_string().contains("count"), "{err}");
        assert_eq!(
            state.set_kyc("sk_a", "nobody", &KycUpdate::new("verified")),
            Err(ControlError::CustomerNotFound("nobody".into()))
        );
        state.seed("sk_a", 1, "a_").unwrap();
        let err = state
            .set_kyc("sk_a", "a_0", &KycUpdate::new(""))
            .unwrap_err();
        assert!(err.to_string().contains("status"), "{err}");
        // Another operator does not see the customer.
        assert!(state
            .set_kyc("sk_b", "a_0", &KycUpdate::new("verified"))
            .is_err());
    }

    #[test]
    fn set_kyc_moves_the_latest_record() {
        let state = two_operators();
        state.seed("sk_a", 1, "a_").unwrap();
        let mut update = KycUpdate::new("under_review");
        update.attempted = false;
        let customer = state.set_kyc("sk_a", "a_0", &update).unwrap();
        assert_eq!(customer["externalCustomerId"], "a_0");
        assert_eq!(customer["kycVerifications"][0]["type"], "proof_of_id");
        let customer = state
            .set_kyc("sk_a", "a_0", &KycUpdate::new("verified"))
            .unwrap();
        let records = customer["kycVerifications"].as_array().unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["status"], "verified");
    }
}
