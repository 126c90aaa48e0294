//! The shapes of KYC: what `customers.kycInfo` answers (the KYC methods are generated from
//! openapi.yaml and call `crate::operations`).

use napi_derive::napi;

use crate::models::{iso, WithRequestId};

/// The legacy verification links of a pending verification (deprecated: use
/// `clientSecretKey` with Vivamo's widget).
#[napi(object)]
pub struct KycLinks {
    /// Where the customer completes verification.
    pub url: Option<String>,
    /// Direct link for driver's license verification.
    pub drivers_license_verification_url: Option<String>,
    /// Direct link for passport verification.
    pub passport_verification_url: Option<String>,
}

/// A customer's verification as kyc-info answers it.
#[napi(object)]
pub struct KycVerificationInfo {
    /// The verification type (`proof_of_id`; new types arrive as is).
    #[napi(js_name = "type")]
    pub kind: String,
    /// The status (`pending`, `verified`, `under_review`, …; new statuses arrive as is).
    pub status: String,
    /// When the record was last created or refreshed (ISO 8601).
    pub verified_at: String,
    /// Only while pending: the `cs_ki_…` widget secret, valid 24 hours. Never log it.
    pub client_secret_key: Option<String>,
    /// Only while pending; deprecated.
    pub data: Option<KycLinks>,
}

/// The answer of `customers.kycInfo`.
#[napi(object)]
pub struct KycInfo {
    /// Vivamo's id for the request that returned this (`x-request-id`); `undefined` when the
    /// server sent none.
    #[napi(js_name = "_request_id")]
    pub request_id: Option<String>,
    /// Your identifier for the customer.
    pub external_customer_id: String,
    /// The verification; `null` when KYC is not enabled for your integration.
    pub kyc_verification: Option<KycVerificationInfo>,
}

impl From<vivamo::KycInfo> for KycInfo {
    fn from(i: vivamo::KycInfo) -> Self {
        KycInfo {
            request_id: None,
            external_customer_id: i.external_customer_id,
            kyc_verification: i.verification.map(|v| KycVerificationInfo {
                kind: v.kind.as_str().to_string(),
                status: v.status.as_str().to_string(),
                verified_at: iso(Some(v.verified_at)).unwrap_or_default(),
                client_secret_key: v.client_secret_key.map(|s| s.expose().to_string()),
                data: v.links.map(|l| KycLinks {
                    url: l.url,
                    drivers_license_verification_url: l.drivers_license_verification_url,
                    passport_verification_url: l.passport_verification_url,
                }),
            }),
        }
    }
}

impl WithRequestId for KycInfo {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}
