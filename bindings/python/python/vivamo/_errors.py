"""The exception hierarchy of vivamo.

Every exception is a :class:`VivamoError` and carries the same attributes: ``kind`` (the
SDK's stable error kind, e.g. ``"not_found"``), ``status_code``, ``message`` (Vivamo's own
message for API errors), ``errors`` (Vivamo's ``errors`` entries), ``request_id``,
``violations`` (client-side validation problems) and ``retry_after`` (seconds: the wait a
``Retry-After`` header asked for, capped at 60; ``None`` when the server sent none, or a
negative or unreadable one).

The native module maps each SDK error to its class in exactly one place (``to_py_err``);
this module only declares the classes. All of them pickle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

if TYPE_CHECKING:
    from vivamo._native import Violation

__all__ = [
    "VivamoError",
    "APIError",
    "BadRequestError",
    "CustomerAlreadyExistsError",
    "EmailAlreadyInUseError",
    "EmailDomainNotSupportedError",
    "PhoneNotMobileError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "APITimeoutError",
    "DecodeError",
    "ValidationError",
    "ConfigError",
    "KycNotUnderReviewError",
    "KycNotAttemptedError",
    "WebhookSignatureError",
]


class VivamoError(Exception):
    """Base class of every error raised by vivamo."""

    kind: str = "internal"
    status_code: Optional[int]
    message: str
    errors: List[Dict[str, str]]
    request_id: Optional[str]
    violations: List["Violation"]
    retry_after: Optional[float]

    def __init__(
        self,
        description: str = "",
        *,
        kind: Optional[str] = None,
        api_message: Optional[str] = None,
        status_code: Optional[int] = None,
        errors: Optional[Sequence[Dict[str, str]]] = None,
        request_id: Optional[str] = None,
        violations: Optional[Sequence[Any]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(description)
        if kind is not None:
            self.kind = kind
        self.message = description if api_message is None else api_message
        self.status_code = status_code
        self.errors = list(errors or [])
        self.request_id = request_id
        self.violations = list(violations or [])
        self.retry_after = retry_after


class APIError(VivamoError):
    """Vivamo answered with an error status."""

    kind = "bad_request"


class BadRequestError(APIError):
    """400: Vivamo rejected the request."""

    kind = "bad_request"


class CustomerAlreadyExistsError(BadRequestError):
    """400: this externalCustomerId is already used by your operator."""

    kind = "customer_already_exists"


class EmailAlreadyInUseError(BadRequestError):
    """400: another customer already has this email address."""

    kind = "email_already_in_use"


class EmailDomainNotSupportedError(BadRequestError):
    """400: disposable email domains are refused in production."""

    kind = "email_domain_not_supported"


class PhoneNotMobileError(BadRequestError):
    """400: production accepts only valid mobile numbers."""

    kind = "phone_not_mobile"


class PermissionDeniedError(APIError):
    """401/403: the API key was refused."""

    kind = "permission_denied"


class NotFoundError(APIError):
    """404: no customer with this externalCustomerId."""

    kind = "not_found"


class RateLimitError(APIError):
    """429: too many requests, even after retrying."""

    kind = "rate_limited"


class InternalServerError(APIError):
    """5xx: Vivamo failed, even after retrying."""

    kind = "server"


class APIConnectionError(VivamoError):
    """The connection failed or broke."""

    kind = "connection"


class APITimeoutError(APIConnectionError):
    """An attempt, or the whole call, ran out of time."""

    kind = "timeout"


class DecodeError(VivamoError):
    """A response could not be understood."""

    kind = "decode"


class ValidationError(VivamoError, ValueError):
    """The customer failed client-side validation; nothing was sent. See ``violations``."""

    kind = "validation"


class ConfigError(VivamoError, ValueError):
    """The client is misconfigured (missing or unusable API key, bad option or base URL)."""

    kind = "config"


class KycNotUnderReviewError(BadRequestError):
    """400: only a KYC verification under review can be approved or rejected."""

    kind = "kyc_not_under_review"


class KycNotAttemptedError(BadRequestError):
    """400: the customer submitted no documents, so the verification cannot be approved."""

    kind = "kyc_not_attempted"


class WebhookSignatureError(VivamoError, ValueError):
    """A webhook's ``signature`` header does not match its body and secret, or is malformed."""

    kind = "webhook_signature"
