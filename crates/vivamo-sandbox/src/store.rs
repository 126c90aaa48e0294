//! The in-memory customer store: shared profiles, per-operator records, indexes.
//!
//! Everything here is synchronous; callers hold the store's lock only for the duration of one
//! call and never across an `.await`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::kyc::{self, ForcedStatus, Kyc, KycRefusal};

/// A customer's profile fields as stored (already normalized by the rules; the email is
/// always set). One field table for the whole project: `vivamo_rules::CustomerData`, generated
/// from openapi.yaml.
pub(crate) type StoredData = vivamo_rules::CustomerData;

/// A change to a profile: `Some` fields replace, `None` fields keep their value.
pub(crate) type DataPatch = vivamo_rules::CustomerData;

/// Applies `patch` to `data`; with `only_missing`, only fields that are absent there are set
/// (the email is never touched then).
fn apply(data: &mut StoredData, patch: DataPatch, only_missing: bool) {
    for (key, _) in StoredData::FIELDS {
        if only_missing && key == "email" {
            continue;
        }
        if let (Some(dst), Some(Some(value))) = (data.field_mut(key), patch.field(key)) {
            if !only_missing || dst.is_none() {
                *dst = Some(value.clone());
            }
        }
    }
}

/// A platform-wide customer profile, possibly linked to several operators.
#[derive(Debug)]
struct Profile {
    data: StoredData,
    kyc: Vec<Kyc>,
    /// Operators this profile is linked to (indexes into `Store::operators`).
    operators: Vec<u32>,
}

/// An operator's record of a profile.
#[derive(Debug)]
struct Record {
    external_id: String,
    profile: usize,
    created_at: String,
}

#[derive(Debug, Default)]
struct Operator {
    /// externalCustomerId → index into `records`.
    by_id: HashMap<String, usize>,
    /// Records in creation order.
    records: Vec<Record>,
    /// Next number `POST /__sandbox/seed` tries.
    seed_counter: u64,
}

/// The serialized view of one customer, as an operator sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CustomerView<'a> {
    pub external_customer_id: &'a str,
    pub data: &'a StoredData,
    pub kyc_verifications: &'a [Kyc],
    pub created_at: &'a str,
}

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Conflict {
    /// The operator already has this externalCustomerId.
    CustomerExists,
    /// Another customer (of this operator, or another profile) holds the email.
    EmailInUse,
    /// The operator has no customer with this externalCustomerId.
    NotFound,
    /// The KYC lifecycle refused the change.
    Kyc(KycRefusal),
}

impl From<KycRefusal> for Conflict {
    fn from(r: KycRefusal) -> Conflict {
        Conflict::Kyc(r)
    }
}

/// What kyc-info answers: the customer's id and its `proof_of_id` record.
pub(crate) struct KycInfoView<'a> {
    pub external_customer_id: &'a str,
    pub kyc: &'a Kyc,
}

/// A new customer as validated and normalized.
pub(crate) struct NewCustomer {
    pub external_id: String,
    pub data: DataPatch,
    pub kyc: Option<Kyc>,
}

/// How a create was satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Created,
    LinkedByEmail,
    LinkedByPhone,
}

/// A KYC status change as one operator sees it (the source of a `kyc_verification` event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KycChange {
    pub operator: usize,
    pub external_id: String,
    pub kind: String,
    pub status: String,
    pub at: String,
}

/// All customers of the sandbox.
#[derive(Debug)]
pub(crate) struct Store {
    /// KYC status changes not yet taken by [`Store::take_kyc_changes`].
    kyc_changes: Vec<KycChange>,
    profiles: Vec<Profile>,
    /// Lower-cased email → profile.
    by_email: HashMap<String, usize>,
    /// E.164 phone → first profile with that phone.
    by_phone: HashMap<String, usize>,
    operators: Vec<Operator>,
}

pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    pub fn new(operators: usize) -> Store {
        Store {
            kyc_changes: Vec::new(),
            profiles: Vec::new(),
            by_email: HashMap::new(),
            by_phone: HashMap::new(),
            operators: (0..operators).map(|_| Operator::default()).collect(),
        }
    }

    /// Removes every customer; returns how many operator records there were.
    pub fn reset(&mut self) -> usize {
        let n = self.record_count();
        *self = Store::new(self.operators.len());
        n
    }

    pub fn record_count(&self) -> usize {
        self.operators.iter().map(|o| o.records.len()).sum()
    }

    fn view(&self, op: usize, rec: usize) -> CustomerView<'_> {
        let r = &self.operators[op].records[rec];
        let p = &self.profiles[r.profile];
        CustomerView {
            external_customer_id: &r.external_id,
            data: &p.data,
            kyc_verifications: &p.kyc,
            created_at: &r.created_at,
        }
    }

    /// The operator's customer with this id.
    pub fn get(&self, op: usize, external_id: &str) -> Option<CustomerView<'_>> {
        let rec = *self.operators[op].by_id.get(external_id)?;
        Some(self.view(op, rec))
    }

    /// The operator's number of customers.
    pub fn count(&self, op: usize) -> usize {
        self.operators[op].records.len()
    }

    /// The last `limit` customers of each operator, each with its operator index, as JSON
    /// (the inspector page).
    pub fn all_customers(&self, limit: usize) -> Vec<serde_json::Value> {
        let mut all = Vec::new();
        for (op, o) in self.operators.iter().enumerate() {
            let start = o.records.len().saturating_sub(limit);
            for rec in start..o.records.len() {
                if let Ok(mut v) = serde_json::to_value(self.view(op, rec)) {
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert("operator".into(), op.into());
                    }
                    all.push(v);
                }
            }
        }
        all
    }

    /// The operator's customers `start..end` in creation order (clamped).
    pub fn page(&self, op: usize, start: usize, end: usize) -> Vec<CustomerView<'_>> {
        let n = self.operators[op].records.len();
        let (start, end) = (start.min(n), end.min(n));
        (start..end).map(|i| self.view(op, i)).collect()
    }

    fn push_record(&mut self, op: usize, external_id: String, profile: usize, now: &str) -> usize {
        let o = &mut self.operators[op];
        let idx = o.records.len();
        o.by_id.insert(external_id.clone(), idx);
        o.records.push(Record {
            external_id,
            profile,
            created_at: now.to_string(),
        });
        self.profiles[profile].operators.push(op as u32);
        idx
    }

    fn index_phone(&mut self, phone: Option<&str>, profile: usize) {
        if let Some(p) = phone {
            self.by_phone.entry(p.to_string()).or_insert(profile);
        }
    }

    /// Creates the customer for operator `op`, linking an existing profile where the email
    /// or phone matches (see the crate docs for the rule).
    pub fn create(
        &mut self,
        op: usize,
        new: NewCustomer,
        now: &str,
    ) -> Result<(CustomerView<'_>, Outcome), Conflict> {
        if self.operators[op].by_id.contains_key(&new.external_id) {
            return Err(Conflict::CustomerExists);
        }
        let email = new.data.email.clone().unwrap_or_default();
        let key = email_key(&email);
        let op32 = op as u32;
        let mut outcome = Outcome::Created;
        let mut target = None;
        if let Some(&pid) = self.by_email.get(&key) {
            if self.profiles[pid].operators.contains(&op32) {
                return Err(Conflict::EmailInUse);
            }
            target = Some(pid);
            outcome = Outcome::LinkedByEmail;
        } else if let Some(phone) = new.data.phone.as_deref() {
            if let Some(&pid) = self.by_phone.get(phone) {
                if !self.profiles[pid].operators.contains(&op32) {
                    target = Some(pid);
                    outcome = Outcome::LinkedByPhone;
                }
            }
        }
        let pid = match target {
            Some(pid) => {
                let phone_was_missing = self.profiles[pid].data.phone.is_none();
                apply(&mut self.profiles[pid].data, new.data, true);
                if phone_was_missing {
                    let phone = self.profiles[pid].data.phone.clone();
                    self.index_phone(phone.as_deref(), pid);
                }
                pid
            }
            None => {
                let pid = self.profiles.len();
                let mut data = StoredData {
                    email: Some(email),
                    ..StoredData::default()
                };
                apply(&mut data, new.data, false);
                self.by_email.insert(key, pid);
                let phone = data.phone.clone();
                self.profiles.push(Profile {
                    data,
                    kyc: Vec::new(),
                    operators: Vec::new(),
                });
                self.index_phone(phone.as_deref(), pid);
                pid
            }
        };
        if let Some(k) = new.kyc {
            self.profiles[pid].kyc.push(k);
        }
        let rec = self.push_record(op, new.external_id, pid, now);
        Ok((self.view(op, rec), outcome))
    }

    /// Updates the operator's customer: `Some` fields of `patch` replace the profile's.
    pub fn update(
        &mut self,
        op: usize,
        external_id: &str,
        patch: DataPatch,
    ) -> Result<CustomerView<'_>, Conflict> {
        let rec = *self.operators[op]
            .by_id
            .get(external_id)
            .ok_or(Conflict::NotFound)?;
        let pid = self.operators[op].records[rec].profile;
        let new_email_key = match patch.email.as_deref() {
            Some(e) => {
                let key = email_key(e);
                match self.by_email.get(&key) {
                    Some(&other) if other != pid => return Err(Conflict::EmailInUse),
                    _ => Some(key),
                }
            }
            None => None,
        };
        if let Some(key) = new_email_key {
            let old = email_key(self.profiles[pid].data.email.as_deref().unwrap_or_default());
            if old != key {
                self.by_email.remove(&old);
                self.by_email.insert(key, pid);
            }
        }
        if let Some(phone) = patch.phone.as_deref() {
            let old = self.profiles[pid].data.phone.clone();
            if old.as_deref() != Some(phone) {
                if let Some(old) = old {
                    if self.by_phone.get(&old) == Some(&pid) {
                        self.by_phone.remove(&old);
                    }
                }
                self.by_phone.entry(phone.to_string()).or_insert(pid);
            }
        }
        apply(&mut self.profiles[pid].data, patch, false);
        Ok(self.view(op, rec))
    }

    /// The profile index of the operator's customer.
    fn profile_of(&self, op: usize, external_id: &str) -> Result<(usize, usize), Conflict> {
        let rec = *self.operators[op]
            .by_id
            .get(external_id)
            .ok_or(Conflict::NotFound)?;
        Ok((rec, self.operators[op].records[rec].profile))
    }

    /// The status of the profile's latest KYC record of `kind`.
    fn kyc_status(&self, pid: usize, kind: &str) -> Option<String> {
        let records = &self.profiles[pid].kyc;
        let latest = records.iter().rev().find(|k| k.kind == kind)?;
        Some(latest.status.clone())
    }

    /// Records a change of the profile's `kind` status since `before`, once per linked
    /// operator (each sees it under its own `externalCustomerId`).
    fn note_kyc_change(
        &mut self,
        pid: usize,
        kind: &str,
        before: Option<String>,
        now: DateTime<Utc>,
    ) {
        let Some(status) = self.kyc_status(pid, kind) else {
            return;
        };
        if before.as_deref() == Some(status.as_str()) {
            return;
        }
        let at = kyc::timestamp(now);
        for &op in &self.profiles[pid].operators {
            let op = op as usize;
            let records = &self.operators[op].records;
            if let Some(r) = records.iter().find(|r| r.profile == pid) {
                self.kyc_changes.push(KycChange {
                    operator: op,
                    external_id: r.external_id.clone(),
                    kind: kind.to_string(),
                    status: status.clone(),
                    at: at.clone(),
                });
            }
        }
    }

    /// The KYC status changes since the last call, oldest first.
    pub fn take_kyc_changes(&mut self) -> Vec<KycChange> {
        std::mem::take(&mut self.kyc_changes)
    }

    /// The control route: moves the customer's latest KYC record of `forced.kind` to any
    /// status, or adds one.
    pub fn force_kyc(
        &mut self,
        op: usize,
        external_id: &str,
        forced: &ForcedStatus<'_>,
        now: DateTime<Utc>,
    ) -> Result<CustomerView<'_>, Conflict> {
        let (rec, pid) = self.profile_of(op, external_id)?;
        let before = self.kyc_status(pid, forced.kind);
        kyc::force(&mut self.profiles[pid].kyc, forced, now);
        self.note_kyc_change(pid, forced.kind, before, now);
        Ok(self.view(op, rec))
    }

    /// kyc-info: the customer's `proof_of_id` verification, started or refreshed as needed.
    pub fn kyc_info(
        &mut self,
        op: usize,
        external_id: &str,
        now: DateTime<Utc>,
    ) -> Result<KycInfoView<'_>, Conflict> {
        let (rec, pid) = self.profile_of(op, external_id)?;
        let before = self.kyc_status(pid, kyc::PROOF_OF_ID);
        kyc::info(&mut self.profiles[pid].kyc, now);
        self.note_kyc_change(pid, kyc::PROOF_OF_ID, before, now);
        // Idempotent now: answers the record just started or refreshed.
        let kyc = kyc::info(&mut self.profiles[pid].kyc, now);
        Ok(KycInfoView {
            external_customer_id: &self.operators[op].records[rec].external_id,
            kyc,
        })
    }

    /// kyc-verify: a manual decision on the customer's verification of `kind`.
    pub fn decide_kyc(
        &mut self,
        op: usize,
        external_id: &str,
        kind: &str,
        verify: bool,
        now: DateTime<Utc>,
    ) -> Result<&'static str, Conflict> {
        kyc::check_type(kind)?;
        let (_, pid) = self.profile_of(op, external_id)?;
        let before = self.kyc_status(pid, kind);
        let message = kyc::decide(&mut self.profiles[pid].kyc, kind, verify, now)?;
        self.note_kyc_change(pid, kind, before, now);
        Ok(message)
    }

    /// kyc-for-review: the operator's customers with a submission `under_review`, in
    /// creation order.
    pub fn kyc_for_review(&self, op: usize) -> Vec<CustomerView<'_>> {
        let records = &self.operators[op].records;
        (0..records.len())
            .filter(|&i| kyc::awaiting_review(&self.profiles[records[i].profile].kyc))
            .map(|i| self.view(op, i))
            .collect()
    }

    /// Creates `count` valid customers for operator `op`, bypassing validation. Ids are
    /// `{prefix}{n}` and emails `{local}{n}.op{op}@example.com` for increasing `n`, skipping
    /// any that are taken. Returns the first and last ids created.
    pub fn seed(
        &mut self,
        op: usize,
        count: u64,
        prefix: &str,
        now: &str,
    ) -> Option<(String, String)> {
        let mut local: String = prefix
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect::<String>()
            .to_ascii_lowercase()
            .trim_matches('.')
            .to_string();
        if local.is_empty() {
            local.push_str("seed");
        }
        self.profiles.reserve(count as usize);
        self.operators[op].records.reserve(count as usize);
        let mut first = None;
        let mut last = None;
        let mut created = 0;
        while created < count {
            let n = self.operators[op].seed_counter;
            self.operators[op].seed_counter += 1;
            let id = format!("{prefix}{n}");
            let email = format!("{local}{n}.op{op}@example.com");
            if self.operators[op].by_id.contains_key(&id) || self.by_email.contains_key(&email) {
                continue;
            }
            let pid = self.profiles.len();
            self.by_email.insert(email.clone(), pid);
            self.profiles.push(Profile {
                data: StoredData {
                    email: Some(email),
                    first_name: Some("Seed".to_string()),
                    last_name: Some(format!("Customer {n}")),
                    country: Some("US".to_string()),
                    ..StoredData::default()
                },
                kyc: Vec::new(),
                operators: Vec::new(),
            });
            if first.is_none() {
                first = Some(id.clone());
            }
            last = Some(id.clone());
            self.push_record(op, id, pid, now);
            created += 1;
        }
        Some((first?, last?))
    }
}
