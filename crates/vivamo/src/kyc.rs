//! KYC, the current flow: a customer's verification (`kyc_info`), the review queue
//! (`kyc_for_review`) and manual decisions (`approve_kyc`, `reject_kyc`).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vivamo_api::types;
use vivamo_rules::{Code, Violation};

use crate::customers::{check_id, Customers};
use crate::error::{Error, ErrorKind, Result};
use crate::models::{Customer, KycStatus};
use crate::options::RequestOptions;
use crate::request::request_builder;
use crate::response::Response;

/// A KYC verification type. Only `proof_of_id` exists today; a type added to the API later
/// arrives (and can be sent) as [`KycType::Other`].
///
/// ```
/// use vivamo::KycType;
/// assert_eq!(KycType::from("proof_of_id"), KycType::ProofOfId);
/// assert_eq!(KycType::default().as_str(), "proof_of_id");
/// assert_eq!(KycType::from("selfie"), KycType::Other("selfie".into()));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum KycType {
    /// Identity document verification.
    #[default]
    ProofOfId,
    /// A type added to the API after this SDK was released.
    Other(String),
}

impl KycType {
    /// The API's name for the type.
    pub fn as_str(&self) -> &str {
        match self {
            KycType::ProofOfId => "proof_of_id",
            KycType::Other(s) => s,
        }
    }
}

impl From<&str> for KycType {
    fn from(s: &str) -> Self {
        match s {
            "proof_of_id" => KycType::ProofOfId,
            other => KycType::Other(other.to_string()),
        }
    }
}

impl From<String> for KycType {
    fn from(s: String) -> Self {
        KycType::from(s.as_str())
    }
}

impl fmt::Display for KycType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for KycType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KycType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(KycType::from)
    }
}

/// The `cs_ki_…` secret a pending verification hands to Vivamo's browser widget. `Debug`
/// and `Display` never show it; [`ClientSecret::expose`] does.
///
/// ```
/// let secret = vivamo::ClientSecret::new("cs_ki_0123456789abcdef");
/// assert_eq!(format!("{secret:?}"), "ClientSecret(\"cs_ki_…\")");
/// assert_eq!(secret.expose(), "cs_ki_0123456789abcdef");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        ClientSecret(secret.into())
    }

    /// The secret itself, to hand to the widget (only ever to your own frontend).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(\"cs_ki_…\")")
    }
}

/// The legacy verification links of a pending verification. **Deprecated** by Vivamo: hand
/// [`KycVerificationInfo::client_secret_key`] to the widget instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KycLinks {
    /// Where the customer completes verification.
    pub url: Option<String>,
    /// Direct link for driver's license verification.
    pub drivers_license_verification_url: Option<String>,
    /// Direct link for passport verification.
    pub passport_verification_url: Option<String>,
}

/// A customer's verification as kyc-info answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KycVerificationInfo {
    /// The verification type.
    #[serde(rename = "type")]
    pub kind: KycType,
    /// The current status.
    pub status: KycStatus,
    /// When the record was last created or refreshed.
    pub verified_at: DateTime<Utc>,
    /// Only while [`KycStatus::Pending`]: the widget secret, valid 24 hours. Fetch it each
    /// time (an expired one is replaced on the next call) and never log it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_key: Option<ClientSecret>,
    /// Only while pending. **Deprecated**: the legacy links; use `client_secret_key`.
    #[serde(rename = "data", skip_serializing_if = "Option::is_none")]
    pub links: Option<KycLinks>,
}

/// The answer of [`Customers::kyc_info`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KycInfo {
    /// Your identifier for the customer.
    pub external_customer_id: String,
    /// The verification; `None` when KYC is not enabled for your integration.
    #[serde(rename = "kycVerification")]
    pub verification: Option<KycVerificationInfo>,
}

impl From<types::KycInfo> for KycInfo {
    fn from(i: types::KycInfo) -> Self {
        KycInfo {
            external_customer_id: i.external_customer_id,
            verification: i.kyc_verification.map(|v| KycVerificationInfo {
                kind: KycType::from(v.type_),
                status: KycStatus::from(v.status),
                verified_at: v.verified_at,
                client_secret_key: v.client_secret_key.map(ClientSecret),
                links: v.data.map(|d| KycLinks {
                    url: d.url,
                    drivers_license_verification_url: d.drivers_license_verification_url,
                    passport_verification_url: d.passport_verification_url,
                }),
            }),
        }
    }
}

impl<'a> Customers<'a> {
    /// The customer's KYC verification, starting one (`pending`, with a widget secret) when
    /// there is none. Call it each time you need the secret: an expired one is replaced.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let info = client.customers().kyc_info("user_123").await?;
    /// if let Some(v) = info.verification {
    ///     println!("{}", v.status);
    ///     if let Some(secret) = v.client_secret_key {
    ///         // hand secret.expose() to your frontend's widget
    ///         # let _ = secret;
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn kyc_info(&self, external_customer_id: impl Into<String>) -> GetKycInfo<'a> {
        GetKycInfo {
            customers: *self,
            external_customer_id: external_customer_id.into(),
            options: RequestOptions::new(),
        }
    }

    /// Your customers with a KYC submission `under_review`, awaiting your decision, as full
    /// records in creation order.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// for customer in client.customers().kyc_for_review().await? {
    ///     println!("{} awaits review", customer.external_customer_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn kyc_for_review(&self) -> ListKycForReview<'a> {
        ListKycForReview {
            customers: *self,
            options: RequestOptions::new(),
        }
    }

    /// Approves a verification `under_review` (it becomes `verified_manually`); answers
    /// Vivamo's message. Refused with [`ErrorKind::KycNotUnderReview`] for any other status
    /// and [`ErrorKind::KycNotAttempted`] when the customer submitted no documents.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let message = client.customers().approve_kyc("user_123", vivamo::KycType::ProofOfId).await?;
    /// # Ok(()) }
    /// ```
    pub fn approve_kyc(
        &self,
        external_customer_id: impl Into<String>,
        kind: KycType,
    ) -> DecideKyc<'a> {
        DecideKyc {
            customers: *self,
            external_customer_id: external_customer_id.into(),
            kind,
            verify: true,
            options: RequestOptions::new(),
        }
    }

    /// Rejects a verification `under_review` (it becomes `rejected_manually`); answers
    /// Vivamo's message. Refused with [`ErrorKind::KycNotUnderReview`] for any other status.
    ///
    /// ```no_run
    /// # async fn demo(client: vivamo::Client) -> vivamo::Result<()> {
    /// let message = client.customers().reject_kyc("user_123", vivamo::KycType::ProofOfId).await?;
    /// # Ok(()) }
    /// ```
    pub fn reject_kyc(
        &self,
        external_customer_id: impl Into<String>,
        kind: KycType,
    ) -> DecideKyc<'a> {
        DecideKyc {
            customers: *self,
            external_customer_id: external_customer_id.into(),
            kind,
            verify: false,
            options: RequestOptions::new(),
        }
    }

    async fn fetch_kyc_info(
        &self,
        id: &str,
        options: &RequestOptions,
    ) -> Result<Response<KycInfo>> {
        check_id(id)?;
        let api = self.transport().api();
        self.transport()
            .call("get_customer_kyc_info", options, || {
                api.get_customer_kyc_info().external_customer_id(id).send()
            })
            .await
            .result
            .map(|r| r.map(KycInfo::from))
    }
}

/// A kyc-info request; see [`Customers::kyc_info`]. `.await` it, or set per-call options
/// first.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct GetKycInfo<'a> {
    customers: Customers<'a>,
    external_customer_id: String,
    options: RequestOptions,
}

request_builder!(GetKycInfo, KycInfo);

impl GetKycInfo<'_> {
    async fn run(self) -> Result<Response<KycInfo>> {
        let options = self.customers.options(&self.options);
        self.customers
            .fetch_kyc_info(&self.external_customer_id, &options)
            .await
    }
}

/// A request for the KYC review queue; see [`Customers::kyc_for_review`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct ListKycForReview<'a> {
    customers: Customers<'a>,
    options: RequestOptions,
}

request_builder!(ListKycForReview, Vec<Customer>);

impl ListKycForReview<'_> {
    async fn run(self) -> Result<Response<Vec<Customer>>> {
        let options = self.customers.options(&self.options);
        let transport = self.customers.transport();
        let api = transport.api();
        transport
            .call("list_customers_for_kyc_review", &options, || {
                api.list_customers_for_kyc_review().send()
            })
            .await
            .result
            .map(|r| r.map(|list| list.into_iter().map(Customer::from).collect()))
    }
}

/// A manual KYC decision; see [`Customers::approve_kyc`] and [`Customers::reject_kyc`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct DecideKyc<'a> {
    customers: Customers<'a>,
    external_customer_id: String,
    kind: KycType,
    verify: bool,
    options: RequestOptions,
}

request_builder!(DecideKyc, String);

impl DecideKyc<'_> {
    async fn run(self) -> Result<Response<String>> {
        let (c, id, kind, verify) = (
            self.customers,
            self.external_customer_id.as_str(),
            &self.kind,
            self.verify,
        );
        check_id(id)?;
        if kind.as_str().trim().is_empty() {
            return Err(Error::validation(vec![Violation::new(
                "type",
                Code::MissingField,
                "type is required: pass proof_of_id",
            )]));
        }
        let options = c.options(&self.options);
        let transport = c.transport();
        let api = transport.api();
        let body = types::KycVerifyRequest { verify };
        let outcome = transport
            .call("set_customer_kyc_verified", &options, || {
                api.set_customer_kyc_verified()
                    .external_customer_id(id)
                    .type_(kind.as_str())
                    .body(body.clone())
                    .send()
            })
            .await;
        match outcome.result {
            Ok(answer) => Ok(answer.map(|a| a.message)),
            // A retry after a lost response finds the decision already made: when the
            // verification is in the status this call asked for, the call succeeded.
            Err(e) if outcome.maybe_applied && e.kind() == ErrorKind::KycNotUnderReview => {
                let wanted = if verify {
                    KycStatus::VerifiedManually
                } else {
                    KycStatus::RejectedManually
                };
                let info = c.fetch_kyc_info(id, &options).await?;
                match &info.verification {
                    Some(v) if v.status == wanted => {
                        Ok(info.map(|_| format!("KYC verification {wanted}")))
                    }
                    _ => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }
}
