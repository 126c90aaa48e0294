//! The customer types users touch: what they send and what they get back.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vivamo_api::types;

/// A customer's profile fields as Vivamo returns them (`email` always present).
pub use vivamo_api::types::CustomerData;

/// The status of a KYC verification. Statuses this SDK does not know yet arrive as
/// [`KycStatus::Other`], so a newer API never breaks decoding.
///
/// ```
/// use vivamo::KycStatus;
/// assert_eq!(KycStatus::from("under_review"), KycStatus::UnderReview);
/// assert_eq!(KycStatus::from("escalated"), KycStatus::Other("escalated".into()));
/// assert_eq!(KycStatus::Other("escalated".into()).as_str(), "escalated");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KycStatus {
    /// Started, waiting for the customer.
    Pending,
    /// Verified automatically.
    Verified,
    /// Waiting for a manual review.
    UnderReview,
    /// Rejected automatically.
    Rejected,
    /// The verification expired.
    Expired,
    /// Verified by a reviewer.
    VerifiedManually,
    /// Rejected by a reviewer.
    RejectedManually,
    /// A status added to the API after this SDK was released.
    Other(String),
}

impl KycStatus {
    /// The API's name for the status.
    pub fn as_str(&self) -> &str {
        match self {
            KycStatus::Pending => "pending",
            KycStatus::Verified => "verified",
            KycStatus::UnderReview => "under_review",
            KycStatus::Rejected => "rejected",
            KycStatus::Expired => "expired",
            KycStatus::VerifiedManually => "verified_manually",
            KycStatus::RejectedManually => "rejected_manually",
            KycStatus::Other(s) => s,
        }
    }
}

impl From<&str> for KycStatus {
    fn from(s: &str) -> Self {
        match s {
            "pending" => KycStatus::Pending,
            "verified" => KycStatus::Verified,
            "under_review" => KycStatus::UnderReview,
            "rejected" => KycStatus::Rejected,
            "expired" => KycStatus::Expired,
            "verified_manually" => KycStatus::VerifiedManually,
            "rejected_manually" => KycStatus::RejectedManually,
            other => KycStatus::Other(other.to_string()),
        }
    }
}

impl From<String> for KycStatus {
    fn from(s: String) -> Self {
        match KycStatus::from(s.as_str()) {
            KycStatus::Other(_) => KycStatus::Other(s),
            known => known,
        }
    }
}

impl fmt::Display for KycStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for KycStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KycStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(KycStatus::from)
    }
}

/// One KYC verification record of a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KycVerification {
    /// The type of verification (today only `proof_of_id`); a string so new types decode.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub verification_type: Option<String>,
    /// The current status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KycStatus>,
    /// When the verification was initiated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A customer record. Serializes to the API's JSON shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Your identifier for the customer (unique per operator).
    pub external_customer_id: String,
    /// The profile fields.
    pub data: CustomerData,
    /// The KYC verification history.
    #[serde(default)]
    pub kyc_verifications: Vec<KycVerification>,
    /// When the customer was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// Fields the API returned that this SDK does not know yet (added by Vivamo after this
    /// release), kept as JSON; serialized back at the top level.
    ///
    /// ```
    /// let json = r#"{"externalCustomerId":"u1","data":{"email":"a@example.com"},"loyaltyTier":"gold"}"#;
    /// let customer: vivamo::Customer = serde_json::from_str(json).unwrap();
    /// assert_eq!(customer.extra["loyaltyTier"], "gold");
    /// assert!(serde_json::to_string(&customer).unwrap().contains("loyaltyTier"));
    /// ```
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl From<types::KycVerification> for KycVerification {
    fn from(k: types::KycVerification) -> Self {
        KycVerification {
            verification_type: k.type_,
            status: k.status.map(KycStatus::from),
            created_at: k.created_at,
        }
    }
}

impl From<types::Customer> for Customer {
    fn from(c: types::Customer) -> Self {
        Customer {
            external_customer_id: c.external_customer_id,
            data: c.data,
            kyc_verifications: c.kyc_verifications.into_iter().map(Into::into).collect(),
            created_at: c.created_at,
            extra: c.extra,
        }
    }
}

/// The KYC links returned by a create with `verify_after_creation`.
///
/// **Deprecated** by Vivamo (legacy, slated for removal): call
/// [`crate::Customers::kyc_info`] instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationLinks {
    /// Where the customer completes KYC verification.
    pub verification_link: Option<String>,
    /// Direct link for driver's license verification.
    pub drivers_license_verification_link: Option<String>,
    /// Direct link for passport verification.
    pub passport_verification_link: Option<String>,
    /// Why a link could not be generated, if it could not.
    pub verification_link_error: Option<String>,
}

/// The outcome of [`crate::Customers::create`]. Its serde form (camelCase) is this struct's
/// own, not the API's create response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    /// The customer as stored by Vivamo.
    pub customer: Customer,
    /// Client-side warnings (violations in `Warn` mode, sandbox-only acceptances) and the
    /// sandbox's `warning`, each one sentence.
    pub warnings: Vec<String>,
    /// Present when `verify_after_creation` was set and Vivamo returned links.
    /// **Deprecated**: use [`crate::Customers::kyc_info`].
    pub verification_links: Option<VerificationLinks>,
}

impl Created {
    pub(crate) fn from_response(
        r: types::CreateCustomerResponse,
        mut warnings: Vec<String>,
    ) -> Self {
        if let Some(w) = r.warning.filter(|w| !w.is_empty()) {
            warnings.push(w);
        }
        let links = VerificationLinks {
            verification_link: r.verification_link,
            drivers_license_verification_link: r.drivers_license_verification_link,
            passport_verification_link: r.passport_verification_link,
            verification_link_error: r.verification_link_error,
        };
        let verification_links = (links != VerificationLinks::default()).then_some(links);
        Created {
            customer: Customer {
                external_customer_id: r.external_customer_id,
                data: r.data,
                kyc_verifications: r.kyc_verifications.into_iter().map(Into::into).collect(),
                created_at: r.created_at,
                extra: r.extra,
            },
            warnings,
            verification_links,
        }
    }
}

/// The outcome of [`crate::Customers::ensure`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ensured {
    /// The customer, new or existing.
    pub customer: Customer,
    /// `true` when this call created it, `false` when it already existed with the same email.
    pub created: bool,
    /// As in [`Created::warnings`].
    pub warnings: Vec<String>,
}

/// One page of [`crate::Customers::list`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// The customers of this page, in creation order.
    pub customers: Vec<Customer>,
    /// How many customers there are in all.
    pub total: u64,
    /// This page's number (from 1).
    pub page: u64,
    /// The page size.
    pub limit: u64,
    /// How many pages there are.
    pub total_pages: u64,
}

impl From<types::CustomerList> for Page {
    fn from(l: types::CustomerList) -> Self {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Page {
            customers: l.customers.into_iter().map(Into::into).collect(),
            total: n(l.total),
            page: n(l.page),
            limit: n(l.limit),
            total_pages: n(l.total_pages),
        }
    }
}

/// A customer to create. Only `external_customer_id` and `email` are required.
///
/// ```
/// let new = vivamo::NewCustomer::new("user_123", "jane@example.com")
///     .phone("(415) 555-2671")
///     .first_name("Jane")
///     .country("us")
///     .verify_after_creation(true);
/// assert_eq!(new.data.first_name.as_deref(), Some("Jane"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCustomer {
    /// Your identifier for the customer; unique per operator.
    pub external_customer_id: String,
    /// Ask Vivamo to start KYC verification and return the links.
    /// **Deprecated** by Vivamo: call [`crate::Customers::kyc_info`] after creating instead.
    #[serde(default)]
    pub verify_after_creation: bool,
    /// The profile fields, as given (normalized before sending unless validation is `Off`).
    #[serde(default)]
    pub data: vivamo_rules::CustomerData,
}

impl NewCustomer {
    /// A customer with its two required fields.
    pub fn new(external_customer_id: impl Into<String>, email: impl Into<String>) -> Self {
        NewCustomer {
            external_customer_id: external_customer_id.into(),
            verify_after_creation: false,
            data: vivamo_rules::CustomerData {
                email: Some(email.into()),
                ..Default::default()
            },
        }
    }

    /// Whether Vivamo should start KYC verification after creating the customer.
    ///
    /// **Deprecated** by Vivamo (legacy, slated for removal): call
    /// [`crate::Customers::kyc_info`] after creating the customer instead.
    pub fn verify_after_creation(mut self, verify: bool) -> Self {
        self.verify_after_creation = verify;
        self
    }

    // One setter per optional field of the spec: crates/vivamo/src/generated.rs.
}

/// The fields to change on an existing customer; fields left unset keep their value.
///
/// ```
/// let update = vivamo::CustomerUpdate::new().city("Boston").state("MA");
/// assert_eq!(update.data.city.as_deref(), Some("Boston"));
/// assert!(update.data.email.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerUpdate {
    /// The fields to change.
    #[serde(default)]
    pub data: vivamo_rules::CustomerData,
}

impl CustomerUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    // One setter per field of the spec: crates/vivamo/src/generated.rs.
}
