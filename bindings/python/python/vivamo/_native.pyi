"""Type stubs of the native module ``vivamo._native`` (re-exported by ``vivamo``)."""

import os
from datetime import datetime, timedelta
from types import TracebackType
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Awaitable,
    Dict,
    Generic,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    final,
)

from typing_extensions import Literal, Self

from vivamo.types import CustomerDataParam

__version__: str

_T = TypeVar("_T")

LogLevel = Literal["debug", "info", "warn", "warning", "error", "off"]
"""``log_level=`` / ``VIVAMO_LOG``: how much the client logs (default ``"warn"``)."""

CustomerFields = Union[CustomerDataParam, Mapping[str, Optional[str]]]
"""``data=``: the API's camelCase keys (``firstName``) or snake_case (``first_name``);
``vivamo.types.CustomerDataParam`` names them for a type checker."""

@final
class CustomerData:
    """A customer's profile fields as Vivamo returns them."""

    # BEGIN GENERATED (CustomerData) by `cargo xtask codegen` from openapi.yaml (CustomerData): do not edit
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> Optional[str]: ...
    @property
    def first_name(self) -> Optional[str]: ...
    @property
    def last_name(self) -> Optional[str]: ...
    @property
    def street(self) -> Optional[str]: ...
    @property
    def street2(self) -> Optional[str]: ...
    @property
    def city(self) -> Optional[str]: ...
    @property
    def state(self) -> Optional[str]: ...
    @property
    def zip(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    # END GENERATED (CustomerData)
    def to_dict(self) -> Dict[str, str]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class KycVerification:
    """One KYC verification record."""

    @property
    def verification_type(self) -> Optional[str]: ...
    @property
    def status(self) -> Optional[str]: ...
    @property
    def created_at(self) -> Optional[datetime]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class Customer:
    """A customer record."""

    @property
    def _request_id(self) -> Optional[str]:
        """Vivamo's ``x-request-id`` of the response this came from (``None`` when the server
        sent none, and for the items of a list or a nested object)."""
    @property
    def extra(self) -> Dict[str, Any]:
        """Fields Vivamo returned that this SDK does not know yet, by their API (camelCase)
        name; ``to_dict()`` has them too."""
    @property
    def external_customer_id(self) -> str: ...
    @property
    def data(self) -> CustomerData: ...
    @property
    def kyc_verifications(self) -> List[KycVerification]: ...
    @property
    def created_at(self) -> Optional[datetime]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class VerificationLinks:
    """The KYC links of a create with ``verify_after_creation=True``."""

    @property
    def verification_link(self) -> Optional[str]: ...
    @property
    def drivers_license_verification_link(self) -> Optional[str]: ...
    @property
    def passport_verification_link(self) -> Optional[str]: ...
    @property
    def verification_link_error(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class CreatedCustomer:
    """The outcome of ``customers.create``."""

    @property
    def _request_id(self) -> Optional[str]:
        """Vivamo's ``x-request-id`` of the response this came from (``None`` when the server
        sent none, and for the items of a list or a nested object)."""
    @property
    def customer(self) -> Customer: ...
    @property
    def warnings(self) -> List[str]: ...
    @property
    def verification_links(self) -> Optional[VerificationLinks]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class EnsuredCustomer:
    """The outcome of ``customers.ensure``."""

    @property
    def _request_id(self) -> Optional[str]:
        """Vivamo's ``x-request-id`` of the response this came from (``None`` when the server
        sent none, and for the items of a list or a nested object)."""
    @property
    def customer(self) -> Customer: ...
    @property
    def created(self) -> bool: ...
    @property
    def warnings(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class CustomerPage:
    """One page of ``customers.list``."""

    @property
    def _request_id(self) -> Optional[str]:
        """Vivamo's ``x-request-id`` of the response this came from (``None`` when the server
        sent none, and for the items of a list or a nested object)."""
    @property
    def customers(self) -> List[Customer]: ...
    @property
    def total(self) -> int: ...
    @property
    def page(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def total_pages(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""
    def __len__(self) -> int: ...

@final
class Violation:
    """One broken rule: field path, stable code, message."""

    def __new__(cls, field: str, code: str, message: str) -> Self: ...
    @property
    def field(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> Dict[str, str]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""
    def __reduce__(self) -> Any: ...

@final
class ValidationReport:
    """The result of ``validate_customer``."""

    @property
    def normalized(self) -> Dict[str, Any]: ...
    @property
    def errors(self) -> List[Violation]: ...
    @property
    def warnings(self) -> List[Violation]: ...
    @property
    def is_valid(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

KycStatus = str
"""``pending``, ``verified``, ``verified_manually``, ``under_review``, ``rejected``,
``rejected_manually``, ``expired``; statuses added to the API later arrive as other strings."""

@final
class KycLinks:
    """Legacy verification links of a pending verification (deprecated: use
    ``client_secret_key`` with Vivamo's widget)."""

    @property
    def url(self) -> Optional[str]: ...
    @property
    def drivers_license_verification_url(self) -> Optional[str]: ...
    @property
    def passport_verification_url(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class KycVerificationInfo:
    """A customer's verification as ``customers.kyc_info`` answers it."""

    @property
    def verification_type(self) -> str: ...
    @property
    def status(self) -> KycStatus: ...
    @property
    def verified_at(self) -> datetime: ...
    @property
    def client_secret_key(self) -> Optional[str]:
        """Only while pending: the ``cs_ki_…`` widget secret (24 h). Never log it."""
    @property
    def data(self) -> Optional[KycLinks]:
        """Only while pending. Deprecated: use ``client_secret_key``."""
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class KycInfo:
    """The answer of ``customers.kyc_info``."""

    @property
    def _request_id(self) -> Optional[str]:
        """Vivamo's ``x-request-id`` of the response this came from (``None`` when the server
        sent none, and for the items of a list or a nested object)."""
    @property
    def external_customer_id(self) -> str: ...
    @property
    def kyc_verification(self) -> Optional[KycVerificationInfo]:
        """``None`` when KYC is not enabled for your integration."""
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class PaymentResult:
    """The documented fields of a payment-result webhook event."""

    @property
    def amount(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def sub_status(self) -> Optional[str]: ...
    @property
    def transaction_type(self) -> str: ...
    @property
    def external_customer_id(self) -> str: ...
    @property
    def external_payment_intent_id(self) -> str: ...
    @property
    def payment_intent_id(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]:
        """The event's JSON shape (camelCase keys)."""
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

@final
class RequestEvent:
    """An attempt about to be sent, as ``on_request=`` receives it (never the key, a header's
    value or a body)."""

    @property
    def operation(self) -> str:
        """``get_customer``, … (``request`` for ``client.request``)."""
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str:
        """The URL path, without the query."""
    @property
    def attempt(self) -> int:
        """1 for the first attempt, 2 for the first retry, …"""

@final
class ResponseEvent:
    """An attempt that ended, answered (any status) or not, as ``on_response=`` receives it."""

    @property
    def operation(self) -> str: ...
    @property
    def method(self) -> str:
        """Empty when the attempt timed out before the request was built (so is ``path``)."""
    @property
    def path(self) -> str: ...
    @property
    def status(self) -> Optional[int]:
        """The HTTP status, when a response arrived."""
    @property
    def elapsed(self) -> float:
        """Seconds the attempt took."""
    @property
    def attempt(self) -> int: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def error(self) -> Optional[str]:
        """The error kind the attempt ended in (``server``, ``timeout``, …), if it failed."""

@final
class RetryEvent:
    """A failed attempt the client is about to retry, as ``on_retry=`` receives it."""

    @property
    def operation(self) -> str: ...
    @property
    def attempt(self) -> int: ...
    @property
    def error(self) -> str:
        """The error kind (``rate_limited``, ``server``, ``timeout``, …)."""
    @property
    def status(self) -> Optional[int]: ...
    @property
    def delay(self) -> float:
        """Seconds until the next attempt (backoff, or what ``Retry-After`` asked)."""
    @property
    def request_id(self) -> Optional[str]: ...

@final
class WebhookEvent:
    """A verified webhook event: ``type`` is ``"payment_result"`` (``payment`` set) or
    ``"other"``; ``data`` is the decoded body either way."""

    @property
    def type(self) -> Literal["payment_result", "other"]: ...
    @property
    def payment(self) -> Optional[PaymentResult]: ...
    @property
    def data(self) -> Any: ...
    def to_dict(self) -> Dict[str, Any]:
        """``{"type": ..., "data": ...}``."""
    def to_json(self, *, indent: Optional[int] = 2) -> str:
        """``to_dict()`` as JSON text; ``indent=None`` for one line."""

def _webhook_sign(payload: Union[bytes, bytearray, memoryview, str], secret: str) -> str: ...
def _webhook_verify(
    payload: Union[bytes, bytearray, memoryview, str], signature: str, secret: str
) -> None: ...
def _webhook_parse(
    payload: Union[bytes, bytearray, memoryview, str], signature: str, secret: str
) -> WebhookEvent: ...

_Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
# A request's headers: a mapping with ``items()`` (a dict, Flask's, Starlette's or Django's
# ``request.headers``) or (name, value) pairs.

@final
class Verifier:
    """Verifies webhook deliveries against one or more secrets (during a rotation, the old and
    the new), reading the ``signature`` header from the request's headers, and refusing a body
    over ``max_body_bytes`` (default 1 MiB) before hashing it. ``repr()`` never shows a
    secret."""

    def __new__(cls, secrets: Sequence[str], *, max_body_bytes: int = 1048576) -> Self: ...
    def verify(self, payload: Union[bytes, bytearray, memoryview, str], signature: str) -> None:
        """Raises ``WebhookSignatureError`` unless ``signature`` matches the raw body under one
        of the secrets."""
    def verify_headers(
        self, payload: Union[bytes, bytearray, memoryview, str], headers: _Headers
    ) -> None:
        """``verify`` with the ``signature`` header taken from ``headers`` (names in any case);
        a missing header is a ``WebhookSignatureError`` saying so."""
    def parse(
        self, payload: Union[bytes, bytearray, memoryview, str], signature: str
    ) -> WebhookEvent:
        """Verifies, then decodes the delivery (as ``vivamo.webhooks.parse``)."""
    def parse_headers(
        self, payload: Union[bytes, bytearray, memoryview, str], headers: _Headers
    ) -> WebhookEvent:
        """``parse`` with the ``signature`` header taken from ``headers``."""

@final
class CustomerIterator:
    """The iterator of ``Client.customers.list_all()``."""

    def __iter__(self) -> Iterator[Customer]: ...
    def __next__(self) -> Customer: ...

@final
class AsyncCustomerIterator:
    """The async iterator of ``AsyncClient.customers.list_all()``."""

    def __aiter__(self) -> AsyncIterator[Customer]: ...
    def __anext__(self) -> Awaitable[Customer]: ...

@final
class Customers:
    """``client.customers``."""

    # BEGIN GENERATED (Customers) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    @property
    def with_raw_response(self) -> CustomersWithRawResponse:
        """The same methods, each returning a ``RawResponse``."""
    def create(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> CreatedCustomer:
        """Creates a customer, exactly once."""
    def ensure(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> EnsuredCustomer:
        """Creates the customer, or returns the existing one with the same email."""
    def list(
        self,
        *,
        page: int = 1,
        size: int = 10,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> CustomerPage:
        """One page of customers."""
    def get(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Customer:
        """Fetches a customer by your identifier."""
    def update(
        self,
        external_customer_id: str,
        data: Optional[CustomerFields] = None,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        street: Optional[str] = None,
        street2: Optional[str] = None,
        city: Optional[str] = None,
        state: Optional[str] = None,
        zip: Optional[str] = None,
        country: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Customer:
        """Changes the fields given; the others keep their values."""
    def kyc_for_review(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> List[Customer]:
        """The customers whose KYC submission awaits your decision, in creation order."""
    def kyc_info(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> KycInfo:
        """The customer's KYC verification, starting one (pending, with a widget secret) if
        none.
        """
    def approve_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> str:
        """Approves a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` or ``kyc_not_attempted`` when it cannot.
        """
    def reject_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> str:
        """Rejects a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` when it cannot.
        """
    # END GENERATED (Customers)
    def list_all(
        self,
        *,
        size: int = 100,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> CustomerIterator: ...

@final
class AsyncCustomers:
    """``aclient.customers``: the same operations as awaitables."""

    # BEGIN GENERATED (AsyncCustomers) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    @property
    def with_raw_response(self) -> AsyncCustomersWithRawResponse:
        """The same methods, each returning a ``RawResponse``."""
    def create(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[CreatedCustomer]:
        """Creates a customer, exactly once."""
    def ensure(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[EnsuredCustomer]:
        """Creates the customer, or returns the existing one with the same email."""
    def list(
        self,
        *,
        page: int = 1,
        size: int = 10,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[CustomerPage]:
        """One page of customers."""
    def get(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[Customer]:
        """Fetches a customer by your identifier."""
    def update(
        self,
        external_customer_id: str,
        data: Optional[CustomerFields] = None,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        street: Optional[str] = None,
        street2: Optional[str] = None,
        city: Optional[str] = None,
        state: Optional[str] = None,
        zip: Optional[str] = None,
        country: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[Customer]:
        """Changes the fields given; the others keep their values."""
    def kyc_for_review(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[List[Customer]]:
        """The customers whose KYC submission awaits your decision, in creation order."""
    def kyc_info(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[KycInfo]:
        """The customer's KYC verification, starting one (pending, with a widget secret) if
        none.
        """
    def approve_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[str]:
        """Approves a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` or ``kyc_not_attempted`` when it cannot.
        """
    def reject_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[str]:
        """Rejects a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` when it cannot.
        """
    # END GENERATED (AsyncCustomers)
    def list_all(
        self,
        *,
        size: int = 100,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> AsyncCustomerIterator: ...

@final
class Webhook:
    """A registered webhook (without its secret), as ``list`` and ``update`` answer it."""

    @property
    def _request_id(self) -> Optional[str]: ...
    @property
    def id(self) -> str:
        """Vivamo's identifier of the webhook (the API's ``_id``)."""
    @property
    def url(self) -> str: ...
    @property
    def status(self) -> str:
        """``"active"`` or ``"inactive"``."""
    @property
    def event_types(self) -> List[str]:
        """The event types delivered; empty means every type."""
    @property
    def headers(self) -> Dict[str, str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, *, indent: Optional[int] = 2) -> str: ...

@final
class RegisteredWebhook:
    """What ``register`` answers: the webhook and its secret key, shown this once. ``repr()``
    never shows the secret."""

    @property
    def _request_id(self) -> Optional[str]: ...
    @property
    def id(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def event_types(self) -> List[str]: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def secret_key(self) -> str:
        """The HMAC-SHA512 key of the deliveries' ``signature`` header: store it now."""
    def to_dict(self) -> Dict[str, Any]:
        """The API's JSON shape (includes the secret: do not log it)."""
    def to_json(self, *, indent: Optional[int] = 2) -> str: ...

@final
class Webhooks:
    """``client.webhooks``: the URLs Vivamo POSTs events to."""

    # BEGIN GENERATED (Webhooks) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    @property
    def with_raw_response(self) -> WebhooksWithRawResponse:
        """The same methods, each returning a ``RawResponse``."""
    def register(
        self,
        url: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RegisteredWebhook:
        """Registers a webhook; the answer carries its secret key, shown this once."""
    def list(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> List[Webhook]:
        """Your webhooks, in registration order (without their secrets)."""
    def update(
        self,
        webhook_id: str,
        *,
        url: Optional[str] = None,
        status: Optional[str] = None,
        event_types: Optional[Sequence[str]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Webhook:
        """Changes a webhook's URL, status, event types or headers; the secret never changes.
        """
    def delete(
        self,
        webhook_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> str:
        """Deletes a webhook; nothing is delivered to it afterwards. Gives Vivamo's message.
        """
    # END GENERATED (Webhooks)

@final
class AsyncWebhooks:
    """``aclient.webhooks``: the same operations as awaitables."""

    # BEGIN GENERATED (AsyncWebhooks) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    @property
    def with_raw_response(self) -> AsyncWebhooksWithRawResponse:
        """The same methods, each returning a ``RawResponse``."""
    def register(
        self,
        url: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RegisteredWebhook]:
        """Registers a webhook; the answer carries its secret key, shown this once."""
    def list(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[List[Webhook]]:
        """Your webhooks, in registration order (without their secrets)."""
    def update(
        self,
        webhook_id: str,
        *,
        url: Optional[str] = None,
        status: Optional[str] = None,
        event_types: Optional[Sequence[str]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[Webhook]:
        """Changes a webhook's URL, status, event types or headers; the secret never changes.
        """
    def delete(
        self,
        webhook_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[str]:
        """Deletes a webhook; nothing is delivered to it afterwards. Gives Vivamo's message.
        """
    # END GENERATED (AsyncWebhooks)

@final
class WebhooksWithRawResponse:
    """``client.webhooks.with_raw_response``: each method returns a ``RawResponse``."""

    # BEGIN GENERATED (WebhooksWithRawResponse) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    def register(
        self,
        url: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[RegisteredWebhook]:
        """Registers a webhook; the answer carries its secret key, shown this once."""
    def list(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[List[Webhook]]:
        """Your webhooks, in registration order (without their secrets)."""
    def update(
        self,
        webhook_id: str,
        *,
        url: Optional[str] = None,
        status: Optional[str] = None,
        event_types: Optional[Sequence[str]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[Webhook]:
        """Changes a webhook's URL, status, event types or headers; the secret never changes.
        """
    def delete(
        self,
        webhook_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[str]:
        """Deletes a webhook; nothing is delivered to it afterwards. Gives Vivamo's message.
        """
    # END GENERATED (WebhooksWithRawResponse)

@final
class AsyncWebhooksWithRawResponse:
    """``aclient.webhooks.with_raw_response``: each method returns a ``RawResponse``."""

    # BEGIN GENERATED (AsyncWebhooksWithRawResponse) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    def register(
        self,
        url: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[RegisteredWebhook]]:
        """Registers a webhook; the answer carries its secret key, shown this once."""
    def list(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[List[Webhook]]]:
        """Your webhooks, in registration order (without their secrets)."""
    def update(
        self,
        webhook_id: str,
        *,
        url: Optional[str] = None,
        status: Optional[str] = None,
        event_types: Optional[Sequence[str]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[Webhook]]:
        """Changes a webhook's URL, status, event types or headers; the secret never changes.
        """
    def delete(
        self,
        webhook_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[str]]:
        """Deletes a webhook; nothing is delivered to it afterwards. Gives Vivamo's message.
        """
    # END GENERATED (AsyncWebhooksWithRawResponse)

@final
class RawResponse(Generic[_T]):
    """What a method of ``with_raw_response`` returns: the answer's HTTP status, headers,
    request id, retries and duration, and ``parse()`` for the value the plain method returns."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Dict[str, str]:
        """Names in lower case; a header sent more than once has its values joined by ``, ``."""
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def retries_taken(self) -> int: ...
    @property
    def elapsed(self) -> timedelta: ...
    def parse(self) -> _T: ...

@final
class CustomersWithRawResponse:
    """``client.customers.with_raw_response``: each method returns a ``RawResponse``."""

    # BEGIN GENERATED (CustomersWithRawResponse) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    def create(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[CreatedCustomer]:
        """Creates a customer, exactly once."""
    def ensure(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[EnsuredCustomer]:
        """Creates the customer, or returns the existing one with the same email."""
    def list(
        self,
        *,
        page: int = 1,
        size: int = 10,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[CustomerPage]:
        """One page of customers."""
    def get(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[Customer]:
        """Fetches a customer by your identifier."""
    def update(
        self,
        external_customer_id: str,
        data: Optional[CustomerFields] = None,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        street: Optional[str] = None,
        street2: Optional[str] = None,
        city: Optional[str] = None,
        state: Optional[str] = None,
        zip: Optional[str] = None,
        country: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[Customer]:
        """Changes the fields given; the others keep their values."""
    def kyc_for_review(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[List[Customer]]:
        """The customers whose KYC submission awaits your decision, in creation order."""
    def kyc_info(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[KycInfo]:
        """The customer's KYC verification, starting one (pending, with a widget secret) if
        none.
        """
    def approve_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[str]:
        """Approves a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` or ``kyc_not_attempted`` when it cannot.
        """
    def reject_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> RawResponse[str]:
        """Rejects a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` when it cannot.
        """
    # END GENERATED (CustomersWithRawResponse)

@final
class AsyncCustomersWithRawResponse:
    """``aclient.customers.with_raw_response``: each method returns a ``RawResponse``."""

    # BEGIN GENERATED (AsyncCustomersWithRawResponse) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
    def create(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[CreatedCustomer]]:
        """Creates a customer, exactly once."""
    def ensure(
        self,
        external_customer_id: str,
        data: CustomerFields,
        *,
        verify_after_creation: bool = False,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[EnsuredCustomer]]:
        """Creates the customer, or returns the existing one with the same email."""
    def list(
        self,
        *,
        page: int = 1,
        size: int = 10,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[CustomerPage]]:
        """One page of customers."""
    def get(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[Customer]]:
        """Fetches a customer by your identifier."""
    def update(
        self,
        external_customer_id: str,
        data: Optional[CustomerFields] = None,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        street: Optional[str] = None,
        street2: Optional[str] = None,
        city: Optional[str] = None,
        state: Optional[str] = None,
        zip: Optional[str] = None,
        country: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[Customer]]:
        """Changes the fields given; the others keep their values."""
    def kyc_for_review(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[List[Customer]]]:
        """The customers whose KYC submission awaits your decision, in creation order."""
    def kyc_info(
        self,
        external_customer_id: str,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[KycInfo]]:
        """The customer's KYC verification, starting one (pending, with a widget secret) if
        none.
        """
    def approve_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[str]]:
        """Approves a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` or ``kyc_not_attempted`` when it cannot.
        """
    def reject_kyc(
        self,
        external_customer_id: str,
        type: str = "proof_of_id",
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[RawResponse[str]]:
        """Rejects a verification under review and gives Vivamo's message; fails with the kind
        ``kyc_not_under_review`` when it cannot.
        """
    # END GENERATED (AsyncCustomersWithRawResponse)

@final
class Client:
    """The synchronous client; releases the GIL while it waits."""

    def __new__(
        cls,
        api_key: Optional[str] = None,
        environment: Optional[Literal["production", "sandbox", "test"]] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        validation: Optional[Literal["strict", "warn", "off"]] = None,
        *,
        log_level: Optional[LogLevel] = None,
        proxy: Optional[str] = None,
        ca_bundle: Optional[Union[str, "os.PathLike[str]"]] = None,
        max_idle_connections: Optional[int] = None,
        app_info: Optional[Mapping[str, str]] = None,
        http2: Optional[bool] = None,
        backoff: Optional[Tuple[float, float]] = None,
        on_retry: Optional[Callable[[RetryEvent], object]] = None,
        on_request: Optional[Callable[[RequestEvent], object]] = None,
        on_response: Optional[Callable[[ResponseEvent], object]] = None,
    ) -> Self:
        """``timeout`` (per attempt, default 30 s), ``deadline`` (whole call, default 60 s) and
        ``max_retries`` (default 2) are the defaults of every call; ``log_level`` (default
        ``VIVAMO_LOG``, else ``"warn"``) is how much goes to the ``logging`` logger ``"vivamo"``;
        ``proxy`` overrides ``HTTPS_PROXY`` / ``HTTP_PROXY``; ``ca_bundle`` is a PEM file of extra
        root certificates; ``app_info`` (``{"name": …, "version": …, "url": …}``) names your
        application in the ``User-Agent``; ``http2=False`` keeps to HTTP/1.1; ``backoff=(initial,
        max)`` sets the retry waits (seconds, default ``(0.5, 8.0)``); ``on_retry`` is called with
        a ``RetryEvent`` before each retry, ``on_request`` with a ``RequestEvent`` as each attempt
        is sent and ``on_response`` with a ``ResponseEvent`` as it ends (for metrics and spans; a
        hook that raises is reported as unraisable and the call goes on)."""
    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Self:
        """A client whose calls use these options over this one's, sharing its connections."""
    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Union[Mapping[str, Union[str, int, float, bool]], Sequence[Tuple[str, Union[str, int, float, bool]]]]] = None,
        body: Optional[object] = None,
        idempotent: Optional[bool] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Any:
        """Any endpoint of the API (``"/v1/…"``) with this client's key, retries, deadline,
        logs and typed errors; returns the answer's JSON. ``body`` is sent as given (no
        validation); a ``POST`` or ``PATCH`` is retried only when the server cannot have applied
        it, unless ``idempotent=True``."""
    @property
    def customers(self) -> Customers: ...
    @property
    def webhooks(self) -> Webhooks: ...
    @property
    def environment(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def validation(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> Literal[False]: ...

@final
class AsyncClient:
    """The asyncio client."""

    def __new__(
        cls,
        api_key: Optional[str] = None,
        environment: Optional[Literal["production", "sandbox", "test"]] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        validation: Optional[Literal["strict", "warn", "off"]] = None,
        *,
        log_level: Optional[LogLevel] = None,
        proxy: Optional[str] = None,
        ca_bundle: Optional[Union[str, "os.PathLike[str]"]] = None,
        max_idle_connections: Optional[int] = None,
        app_info: Optional[Mapping[str, str]] = None,
        http2: Optional[bool] = None,
        backoff: Optional[Tuple[float, float]] = None,
        on_retry: Optional[Callable[[RetryEvent], object]] = None,
        on_request: Optional[Callable[[RequestEvent], object]] = None,
        on_response: Optional[Callable[[ResponseEvent], object]] = None,
    ) -> Self:
        """``timeout`` (per attempt, default 30 s), ``deadline`` (whole call, default 60 s) and
        ``max_retries`` (default 2) are the defaults of every call; ``log_level`` (default
        ``VIVAMO_LOG``, else ``"warn"``) is how much goes to the ``logging`` logger ``"vivamo"``;
        ``proxy`` overrides ``HTTPS_PROXY`` / ``HTTP_PROXY``; ``ca_bundle`` is a PEM file of extra
        root certificates; ``app_info`` (``{"name": …, "version": …, "url": …}``) names your
        application in the ``User-Agent``; ``http2=False`` keeps to HTTP/1.1; ``backoff=(initial,
        max)`` sets the retry waits (seconds, default ``(0.5, 8.0)``); ``on_retry`` is called with
        a ``RetryEvent`` before each retry, ``on_request`` with a ``RequestEvent`` as each attempt
        is sent and ``on_response`` with a ``ResponseEvent`` as it ends (for metrics and spans; a
        hook that raises is reported as unraisable and the call goes on)."""
    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Self:
        """A client whose calls use these options over this one's, sharing its connections."""
    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Union[Mapping[str, Union[str, int, float, bool]], Sequence[Tuple[str, Union[str, int, float, bool]]]]] = None,
        body: Optional[object] = None,
        idempotent: Optional[bool] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> Awaitable[Any]:
        """``Client.request`` as an awaitable."""
    @property
    def customers(self) -> AsyncCustomers: ...
    @property
    def webhooks(self) -> AsyncWebhooks: ...
    @property
    def environment(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def validation(self) -> str: ...
    def close(self) -> None: ...
    def aclose(self) -> Awaitable[None]: ...
    def __aenter__(self) -> Awaitable[Self]: ...
    def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> Awaitable[Literal[False]]: ...

def normalize_phone(phone: str) -> str:
    """``"(415) 555-2671"`` → ``"+14155552671"``; raises ``ValidationError``."""

def validate_customer(
    input: Mapping[str, Any],
    *,
    environment: Literal["production", "sandbox", "test"] = "production",
    operation: Literal["create", "update"] = "create",
    external_customer_id: Optional[str] = None,
) -> ValidationReport:
    """Validates and normalizes a customer with the SDK's rules; sends nothing.

    ``input`` is a whole request (``{"externalCustomerId", "data"}``) or the data dict alone;
    a data dict with no ``external_customer_id=`` is checked without the identifier rule.
    Keys are camelCase or snake_case. An unknown key, or a value that is not a string or
    ``None``, raises ``ValidationError`` naming it; ``normalized`` is always a whole request.
    """


def _shutdown() -> None:
    """The ``atexit`` hook vivamo registers on import (bounded by 1 s): after it, no vivamo
    thread enters Python and new calls raise ``VivamoError``. Not for direct use."""

@final
class Sandbox:
    """A local Vivamo served in this process on a loopback port (``vivamo.testing.Sandbox``)."""

    def __new__(
        cls,
        mode: Literal["test", "production"] = "test",
        api_keys: Optional[List[str]] = None,
        fail_rate: float = 0.0,
        lost_response_rate: float = 0.0,
        latency_ms: int = 0,
        rate_limit: Optional[int] = None,
        seed: Optional[int] = None,
        *,
        webhook_retry_unit_ms: Optional[int] = None,
        webhook_duplicate_rate: float = 0.0,
    ) -> Self:
        """``webhook_retry_unit_ms``: Vivamo retries a failed webhook delivery up to 5 times,
        the n-th retry n minutes after the attempt before; this replaces the minute (tests).
        ``webhook_duplicate_rate``: the probability (0 to 1) that an event is delivered twice,
        to test a receiver's de-duplication."""
    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:41234``."""
    @property
    def api_key(self) -> str:
        """The first API key: the operator ``client()`` uses."""
    @property
    def api_keys(self) -> List[str]:
        """Every accepted key, one operator each."""
    @property
    def mode(self) -> str:
        """``"test"`` or ``"production"``."""
    def client(
        self,
        *,
        api_key: Optional[str] = ...,
        environment: Optional[Literal["production", "sandbox", "test"]] = ...,
        base_url: Optional[str] = ...,
        timeout: Optional[float] = ...,
        deadline: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        validation: Optional[Literal["strict", "warn", "off"]] = ...,
        log_level: Optional[LogLevel] = ...,
        proxy: Optional[str] = ...,
        ca_bundle: Optional[Union[str, "os.PathLike[str]"]] = ...,
        max_idle_connections: Optional[int] = ...,
        app_info: Optional[Mapping[str, str]] = ...,
        http2: Optional[bool] = ...,
        backoff: Optional[Tuple[float, float]] = ...,
        on_retry: Optional[Callable[[RetryEvent], object]] = ...,
        on_request: Optional[Callable[[RequestEvent], object]] = ...,
        on_response: Optional[Callable[[ResponseEvent], object]] = ...,
    ) -> Client:
        """A ``Client`` for this sandbox: every keyword argument of ``vivamo.Client``; the URL,
        key and environment default to the sandbox's."""
    def async_client(
        self,
        *,
        api_key: Optional[str] = ...,
        environment: Optional[Literal["production", "sandbox", "test"]] = ...,
        base_url: Optional[str] = ...,
        timeout: Optional[float] = ...,
        deadline: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        validation: Optional[Literal["strict", "warn", "off"]] = ...,
        log_level: Optional[LogLevel] = ...,
        proxy: Optional[str] = ...,
        ca_bundle: Optional[Union[str, "os.PathLike[str]"]] = ...,
        max_idle_connections: Optional[int] = ...,
        app_info: Optional[Mapping[str, str]] = ...,
        http2: Optional[bool] = ...,
        backoff: Optional[Tuple[float, float]] = ...,
        on_retry: Optional[Callable[[RetryEvent], object]] = ...,
        on_request: Optional[Callable[[RequestEvent], object]] = ...,
        on_response: Optional[Callable[[ResponseEvent], object]] = ...,
    ) -> AsyncClient:
        """An ``AsyncClient`` for this sandbox: every keyword argument of ``vivamo.AsyncClient``."""
    def reset(self) -> int:
        """Removes every customer of every operator; returns how many were removed."""
    def seed(
        self, count: int, *, prefix: str = "seed_", api_key: Optional[str] = None
    ) -> Dict[str, Any]:
        """Creates ``count`` valid customers ``{prefix}{n}``; returns ``created``, ``total``,
        ``firstExternalCustomerId`` and ``lastExternalCustomerId``."""
    def set_kyc(
        self,
        external_customer_id: str,
        status: Union[
            Literal[
                "pending",
                "under_review",
                "verified",
                "rejected",
                "expired",
                "verified_manually",
                "rejected_manually",
            ],
            str,
        ],
        *,
        type: str = "proof_of_id",
        attempted: bool = True,
        expire_secret: bool = False,
        api_key: Optional[str] = None,
    ) -> Customer:
        """Sets the customer's latest KYC status of ``type`` (or adds one); returns the customer."""
    def trigger_webhook(
        self,
        event_type: Literal[
            "transaction", "kyc_verification", "customer_w9_required", "customer_w9_completed"
        ],
        data: Optional[Mapping[str, Any]] = None,
        *,
        api_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Sends an event to the operator's active webhooks subscribed to it (``data`` over the
        sandbox's example body); returns ``eventId``, ``eventType``, ``body`` and the
        ``deliveries`` ids. Deliveries are sent, and retried, in the background."""
    def webhook_deliveries(self) -> List[Dict[str, Any]]:
        """Every delivery so far, oldest first: event, webhook, body, ``signature``, each
        attempt (time, status, latency, error), state and next attempt."""
    def resend_webhook(self, delivery_id: str) -> Dict[str, Any]:
        """Sends a delivery's event again (same body and signature) as a new delivery."""
    def close(self) -> None:
        """Stops the server; idempotent."""
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> Literal[False]: ...
