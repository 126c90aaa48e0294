//! The KYC lifecycle, as pure functions over a profile's verification records.
//!
//! `kyc-info` starts a `pending` `proof_of_id` verification when there is none and refreshes
//! the client secret of a pending one once it has expired; a manual decision moves
//! `under_review` to `verified_manually` or `rejected_manually`, refusing to approve a
//! submission without captured documents. Refusals are [`KycRefusal`]s, which the HTTP layer
//! maps to 400s in one place (`api::error`).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;

/// The only verification type Vivamo documents.
pub(crate) const PROOF_OF_ID: &str = "proof_of_id";
/// The verification types the sandbox knows.
pub(crate) const KNOWN_TYPES: &[&str] = &[PROOF_OF_ID];
/// How long a `clientSecretKey` stays valid.
const SECRET_TTL_HOURS: i64 = 24;
/// Domain of the fake verification links.
pub(crate) const VERIFY_BASE: &str = "https://verify.sandbox.vivamo.test/v";

/// One KYC verification record. The customer record's `kycVerifications` shows `type`,
/// `status` and `createdAt`; the rest is what kyc-info needs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Kyc {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub created_at: String,
    /// When the record was last created, refreshed or moved to another status.
    #[serde(skip)]
    pub verified_at: String,
    /// The widget secret of a pending verification and when it expires.
    #[serde(skip)]
    pub secret: Option<(String, DateTime<Utc>)>,
    /// The token of the (deprecated) verification links.
    #[serde(skip)]
    pub token: String,
    /// Whether the customer submitted documents (an approval needs them).
    #[serde(skip)]
    pub attempted: bool,
}

impl Kyc {
    /// A new record of `kind` in `status`, as of `now`.
    pub fn new(kind: &str, status: &str, now: DateTime<Utc>) -> Kyc {
        let stamp = timestamp(now);
        Kyc {
            kind: kind.to_string(),
            status: status.to_string(),
            created_at: stamp.clone(),
            verified_at: stamp,
            secret: None,
            token: random_hex(),
            attempted: false,
        }
    }

    /// The legacy links of this record: general, driver's license, passport.
    pub fn links(&self) -> [String; 3] {
        let base = format!("{VERIFY_BASE}/{}", self.token);
        [
            base.clone(),
            format!("{base}/drivers-license"),
            format!("{base}/passport"),
        ]
    }
}

/// Why a KYC request was refused (each a 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KycRefusal {
    /// A type other than the known ones.
    UnknownType(String),
    /// A decision on a verification that is not `under_review` (`none` when there is none).
    NotUnderReview(String),
    /// An approval of a submission without captured documents.
    NotAttempted,
}

impl KycRefusal {
    /// The 400's message: what went wrong and what to do.
    pub fn message(&self) -> String {
        match self {
            KycRefusal::UnknownType(t) => {
                format!("Unknown KYC verification type '{t}': use proof_of_id.")
            }
            KycRefusal::NotUnderReview(status) => format!(
                "KYC verification is not under review (status: {status}): only a verification under review can be approved or rejected."
            ),
            KycRefusal::NotAttempted => "The customer has not attempted document verification yet: it cannot be approved; reject it or wait for the customer to submit documents.".to_string(),
        }
    }
}

/// Refuses a type the sandbox does not know.
pub(crate) fn check_type(kind: &str) -> Result<(), KycRefusal> {
    if KNOWN_TYPES.contains(&kind) {
        Ok(())
    } else {
        Err(KycRefusal::UnknownType(kind.to_string()))
    }
}

/// The `proof_of_id` record kyc-info answers with: the latest one, started when there is
/// none, with a fresh secret when it is pending and its secret is missing or expired.
pub(crate) fn info(records: &mut Vec<Kyc>, now: DateTime<Utc>) -> &Kyc {
    let idx = match records.iter().rposition(|k| k.kind == PROOF_OF_ID) {
        Some(i) => i,
        None => {
            records.push(Kyc::new(PROOF_OF_ID, "pending", now));
            records.len() - 1
        }
    };
    let kyc = &mut records[idx];
    if kyc.status == "pending" && kyc.secret.as_ref().is_none_or(|(_, exp)| *exp <= now) {
        if kyc.secret.is_some() {
            // An expired link is replaced by a fresh one: new secret, new links.
            kyc.token = random_hex();
        }
        kyc.secret = Some((
            format!("cs_ki_{}", random_hex()),
            now + Duration::hours(SECRET_TTL_HOURS),
        ));
        kyc.verified_at = timestamp(now);
    }
    &records[idx]
}

/// Records a manual decision on the latest record of `kind`; returns Vivamo's message.
pub(crate) fn decide(
    records: &mut [Kyc],
    kind: &str,
    verify: bool,
    now: DateTime<Utc>,
) -> Result<&'static str, KycRefusal> {
    check_type(kind)?;
    let Some(kyc) = records.iter_mut().rev().find(|k| k.kind == kind) else {
        return Err(KycRefusal::NotUnderReview("none".to_string()));
    };
    if kyc.status != "under_review" {
        return Err(KycRefusal::NotUnderReview(kyc.status.clone()));
    }
    if verify && !kyc.attempted {
        return Err(KycRefusal::NotAttempted);
    }
    let (status, message) = if verify {
        ("verified_manually", "KYC verification approved")
    } else {
        ("rejected_manually", "KYC verification rejected")
    };
    kyc.status = status.to_string();
    kyc.secret = None;
    kyc.verified_at = timestamp(now);
    Ok(message)
}

/// What the control route asks for.
pub(crate) struct ForcedStatus<'a> {
    pub kind: &'a str,
    pub status: &'a str,
    /// Whether documents were captured (default `true`).
    pub attempted: bool,
    /// Makes the current secret expire now.
    pub expire_secret: bool,
}

/// The control route: moves the latest record of `kind` to any status, or adds one.
pub(crate) fn force(records: &mut Vec<Kyc>, forced: &ForcedStatus<'_>, now: DateTime<Utc>) {
    let kyc = match records.iter().rposition(|k| k.kind == forced.kind) {
        Some(i) => &mut records[i],
        None => {
            records.push(Kyc::new(forced.kind, forced.status, now));
            let last = records.len() - 1;
            &mut records[last]
        }
    };
    if kyc.status != forced.status {
        kyc.status = forced.status.to_string();
        kyc.verified_at = timestamp(now);
    }
    if kyc.status != "pending" {
        kyc.secret = None;
    }
    kyc.attempted = forced.attempted;
    if forced.expire_secret {
        if let Some((_, expires)) = &mut kyc.secret {
            *expires = now;
        }
    }
}

/// Whether the profile has a submission awaiting a manual decision.
pub(crate) fn awaiting_review(records: &[Kyc]) -> bool {
    records.iter().any(|k| k.status == "under_review")
}

/// RFC 3339 with milliseconds and `Z`, as every timestamp of the API.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn random_hex() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_starts_then_refreshes_an_expired_secret() {
        let t0 = Utc::now();
        let mut records = Vec::new();
        let first = info(&mut records, t0).clone();
        assert_eq!(
            (first.kind.as_str(), first.status.as_str()),
            (PROOF_OF_ID, "pending")
        );
        let (secret, _) = first.secret.clone().unwrap();
        assert!(secret.starts_with("cs_ki_"));
        let again = info(&mut records, t0 + Duration::hours(1)).clone();
        assert_eq!(again.secret.unwrap().0, secret, "still valid: same secret");
        let later = info(&mut records, t0 + Duration::hours(25)).clone();
        assert_ne!(later.secret.unwrap().0, secret, "expired: a new one");
        assert_eq!(records.len(), 1);
    }

    #[test]
    fn decisions_need_under_review_and_documents_for_approval() {
        let now = Utc::now();
        let mut records = vec![Kyc::new(PROOF_OF_ID, "pending", now)];
        assert_eq!(
            decide(&mut records, PROOF_OF_ID, true, now),
            Err(KycRefusal::NotUnderReview("pending".into()))
        );
        let forced = ForcedStatus {
            kind: PROOF_OF_ID,
            status: "under_review",
            attempted: false,
            expire_secret: false,
        };
        force(&mut records, &forced, now);
        assert_eq!(
            decide(&mut records, PROOF_OF_ID, true, now),
            Err(KycRefusal::NotAttempted)
        );
        assert_eq!(
            decide(&mut records, "selfie", false, now),
            Err(KycRefusal::UnknownType("selfie".into()))
        );
        assert!(decide(&mut records, PROOF_OF_ID, false, now).is_ok());
        assert_eq!(records[0].status, "rejected_manually");
    }
}
