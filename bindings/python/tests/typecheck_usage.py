"""Uses the whole public API; `mypy --strict tests/typecheck_usage.py` must pass. Not a test
module (pytest does not collect it): it is only type-checked."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any, Dict, List, Optional

import vivamo


def sync_usage() -> None:
    with vivamo.Client(api_key=None, environment="production", base_url=None, timeout=30.0,
                       deadline=60.0, max_retries=2, validation="strict") as client:
        env: str = client.environment
        url: str = client.base_url
        mode: str = client.validation
        created: vivamo.CreatedCustomer = client.customers.create(
            external_customer_id="user_123",
            data={"email": "jane@example.com", "phone": "4155552671", "first_name": None},
            verify_after_creation=False,
        )
        customer: vivamo.Customer = created.customer
        warnings: List[str] = created.warnings
        links: Optional[vivamo.VerificationLinks] = created.verification_links
        if links is not None:
            link: Optional[str] = links.verification_link
            print(link, links.drivers_license_verification_link, links.passport_verification_link,
                  links.verification_link_error, links.to_dict())
        c = client.customers.get("user_123")
        ext: str = c.external_customer_id
        email: str = c.data.email
        first: Optional[str] = c.data.first_name
        for field in (c.data.phone, c.data.last_name, c.data.street, c.data.street2, c.data.city,
                      c.data.state, c.data.zip, c.data.country):
            print(field)
        kyc: List[vivamo.KycVerification] = c.kyc_verifications
        status: Optional[str] = kyc[0].status if kyc else None
        kind: Optional[str] = kyc[0].verification_type if kyc else None
        at: Optional[datetime.datetime] = c.created_at
        as_dict: Dict[str, Any] = c.to_dict()
        print(c.data.to_dict(), kyc[0].to_dict() if kyc else None, kyc[0].created_at if kyc else None)
        updated: vivamo.Customer = client.customers.update("user_123", city="Boston")
        updated = client.customers.update("user_123", {"state": "MA"}, country="US")
        page: vivamo.CustomerPage = client.customers.list(page=1, size=50)
        counts: List[int] = [page.total, page.page, page.limit, page.total_pages, len(page)]
        people: List[vivamo.Customer] = page.customers
        print(page.to_dict())
        for person in client.customers.list_all(size=100):
            print(person.external_customer_id)
        ensured: vivamo.EnsuredCustomer = client.customers.ensure(
            external_customer_id="user_123", data={"email": "jane@example.com"})
        was_new: bool = ensured.created
        print(ensured.customer, ensured.warnings, ensured.to_dict(), created.to_dict())
        client.close()
        print(env, url, mode, warnings, ext, email, first, status, kind, at, as_dict, updated,
              counts, people, was_new)


async def async_usage() -> None:
    async with vivamo.AsyncClient(environment="sandbox") as aclient:
        c: vivamo.Customer = await aclient.customers.get("user_123")
        created: vivamo.CreatedCustomer = await aclient.customers.create("u", {"email": "a@b.co"})
        ensured: vivamo.EnsuredCustomer = await aclient.customers.ensure("u", {"email": "a@b.co"})
        updated: vivamo.Customer = await aclient.customers.update("u", city="Boston")
        page: vivamo.CustomerPage = await aclient.customers.list(page=2, size=10)
        async for customer in aclient.customers.list_all():
            print(customer.data.email)
        print(c, created, ensured, updated, page, aclient.environment, aclient.base_url,
              aclient.validation)
        await aclient.aclose()
        aclient.close()


def validation_usage() -> None:
    phone: str = vivamo.normalize_phone("(415) 555-2671")
    report: vivamo.ValidationReport = vivamo.validate_customer(
        {"externalCustomerId": "u1", "data": {"email": "a@b.co"}}, environment="production",
        operation="create")
    report = vivamo.validate_customer({"email": "a@b.co"}, external_customer_id="u1",
                                      environment="sandbox", operation="update")
    normalized: Dict[str, Any] = report.normalized
    for v in report.errors + report.warnings:
        parts: List[str] = [v.field, v.code, v.message]
        print(parts, v.to_dict())
    ok: bool = report.is_valid
    print(phone, normalized, ok, report.to_dict(), vivamo.__version__,
          vivamo.Violation("data.email", "invalid_email", "bad"))


def error_usage() -> None:
    try:
        sync_usage()
    except vivamo.ValidationError as e:
        vs: List[vivamo.Violation] = e.violations
        print(vs)
    except (vivamo.CustomerAlreadyExistsError, vivamo.EmailAlreadyInUseError,
            vivamo.EmailDomainNotSupportedError, vivamo.PhoneNotMobileError) as e:
        print(e.status_code, e.message, e.errors, e.request_id)
    except (vivamo.BadRequestError, vivamo.PermissionDeniedError, vivamo.NotFoundError,
            vivamo.RateLimitError, vivamo.InternalServerError) as e:
        retry: Optional[float] = e.retry_after
        print(retry)
    except vivamo.APIError as e:
        code: Optional[int] = e.status_code
        headers: Optional[Dict[str, str]] = e.headers
        print(code, headers)
    except (vivamo.APITimeoutError, vivamo.APIConnectionError, vivamo.DecodeError,
            vivamo.ConfigError) as e:
        print(e.kind)
    except vivamo.VivamoError as e:
        k: str = e.kind
        print(k)


def kyc_and_webhooks_usage(raw: bytes, header: str) -> None:
    client = vivamo.Client(api_key="sk_test", environment="sandbox")
    info: vivamo.KycInfo = client.customers.kyc_info("u1")
    v: Optional[vivamo.KycVerificationInfo] = info.kyc_verification
    if v is not None:
        secret: Optional[str] = v.client_secret_key
        links: Optional[vivamo.KycLinks] = v.data
        print(v.status, v.verification_type, v.verified_at, secret is None, links)
    queue: List[vivamo.Customer] = client.customers.kyc_for_review()
    message: str = client.customers.approve_kyc("u1")
    message = client.customers.reject_kyc("u1", type="proof_of_id")
    try:
        vivamo.webhooks.verify(raw, header, "whsec")
        vivamo.webhooks.verify(raw.decode(), header, "whsec")
        event: vivamo.WebhookEvent = vivamo.webhooks.parse(raw, header, "whsec")
        payment: Optional[vivamo.PaymentResult] = event.payment
        if payment is not None:
            amount: str = payment.amount
            print(amount)
        print(event.type, event.data, vivamo.webhooks.sign(raw, "whsec"))
    except vivamo.WebhookSignatureError as e:
        print(e.kind)
    except (vivamo.KycNotUnderReviewError, vivamo.KycNotAttemptedError) as e:
        print(e.status_code)
    print(queue, message)


def options_usage() -> None:
    client = vivamo.Client(api_key="sk_test", environment="sandbox", log_level="info",
                           proxy="http://proxy.internal:3128", ca_bundle="/etc/ssl/private-ca.pem",
                           max_idle_connections=8)
    checkout: vivamo.Client = client.with_options(timeout=2.0, deadline=2.0, max_retries=0,
                                                  extra_headers={"x-team": "checkout"})
    created = checkout.customers.create("u1", {"email": "a@b.co"}, timeout=1.5, deadline=3.0,
                                        max_retries=1, extra_headers={"x-correlation-id": "o1"})
    ids: List[Optional[str]] = [created._request_id, created.customer._request_id]
    c = client.customers.get("u1", deadline=0.5)
    extra: Dict[str, Any] = c.extra
    ids += [c._request_id, client.customers.ensure("u1", {"email": "a@b.co"}, max_retries=0)._request_id,
            client.customers.list(size=1, timeout=1.0)._request_id,
            client.customers.kyc_info("u1", extra_headers={"x-a": "b"})._request_id,
            client.customers.update("u1", city="Boston", deadline=1.0)._request_id,
            client.customers.update("u1", city="Boston",
                                    extra_body={"data": {"nickname": "Jo"}, "note": None})._request_id]
    for person in client.customers.list_all(size=10, max_retries=3):
        print(person._request_id)
    client.customers.kyc_for_review(timeout=1.0)
    client.customers.approve_kyc("u1", deadline=1.0)
    client.customers.reject_kyc("u1", "proof_of_id", max_retries=0)
    print(ids, extra)


async def async_options_usage() -> None:
    aclient = vivamo.AsyncClient(api_key="sk_test", environment="sandbox", log_level="off")
    derived: vivamo.AsyncClient = aclient.with_options(max_retries=5, extra_headers={"x": "y"})
    c: vivamo.Customer = await derived.customers.get("u1", timeout=1.0, deadline=2.0)
    info: vivamo.KycInfo = await derived.customers.kyc_info("u1", max_retries=0)
    print(c._request_id, info._request_id,
          await derived.customers.approve_kyc("u1", extra_headers={"x-a": "b"}))


async def async_kyc_usage() -> None:
    async with vivamo.AsyncClient(api_key="sk_test", environment="sandbox") as aclient:
        info: vivamo.KycInfo = await aclient.customers.kyc_info("u1")
        queue: List[vivamo.Customer] = await aclient.customers.kyc_for_review()
        message: str = await aclient.customers.approve_kyc("u1", "proof_of_id")
        message = await aclient.customers.reject_kyc("u1")
        print(info, queue, message)


def model_protocols_usage(customer: vivamo.Customer, event: vivamo.WebhookEvent,
                          payment: vivamo.PaymentResult) -> None:
    import copy
    import pickle

    back: vivamo.Customer = pickle.loads(pickle.dumps(customer))
    same: vivamo.Customer = copy.deepcopy(copy.copy(customer))
    text: str = customer.to_json()
    line: str = customer.to_json(indent=None)
    body: Dict[str, Any] = event.to_dict()
    fields: Dict[str, Any] = payment.to_dict()
    print(back == same, text, line, body, fields, event.to_json(), payment.to_json(indent=4),
          customer.data.to_json())


def testing_usage() -> None:
    from vivamo.testing import Sandbox

    with Sandbox(mode="production", api_keys=["sk_a", "sk_b"], fail_rate=0.0,
                 lost_response_rate=0.0, latency_ms=0, rate_limit=None, seed=1) as sandbox:
        url: str = sandbox.url
        key: str = sandbox.api_key
        keys: List[str] = sandbox.api_keys
        mode: str = sandbox.mode
        removed: int = sandbox.reset()
        seeded: Dict[str, Any] = sandbox.seed(10, prefix="s_", api_key="sk_b")
        customer: vivamo.Customer = sandbox.set_kyc(
            "s_1", "under_review", type="proof_of_id", attempted=False, expire_secret=False,
            api_key="sk_b",
        )
        other: vivamo.Customer = sandbox.set_kyc("s_2", "escalated")
        with sandbox.client(max_retries=0, timeout=5.0) as client:
            page: vivamo.CustomerPage = client.customers.list()
        aclient: vivamo.AsyncClient = sandbox.async_client(validation="off")
        aclient.close()
        print(url, key, keys, mode, removed, seeded, customer, other, page)
    sandbox.close()


if __name__ == "__main__":
    validation_usage()
    error_usage()
    asyncio.run(async_usage())


def raw_response_usage(client: vivamo.Client) -> None:
    raw: vivamo.RawResponse[vivamo.Customer] = client.customers.with_raw_response.get("user_123")
    status: int = raw.status_code
    headers: Dict[str, str] = raw.headers
    request_id: Optional[str] = raw.request_id
    retries: int = raw.retries_taken
    elapsed: datetime.timedelta = raw.elapsed
    customer: vivamo.Customer = raw.parse()
    queue: List[vivamo.Customer] = client.customers.with_raw_response.kyc_for_review().parse()
    message: str = client.customers.with_raw_response.approve_kyc("user_123").parse()
    print(status, headers, request_id, retries, elapsed, customer, queue, message)


async def async_raw_response_usage(aclient: vivamo.AsyncClient) -> None:
    raw = await aclient.customers.with_raw_response.create("user_1", {"email": "a@example.com"})
    created: vivamo.CreatedCustomer = raw.parse()
    page: vivamo.CustomerPage = (await aclient.customers.with_raw_response.list()).parse()
    print(created, page, raw.status_code)


def webhook_endpoints_usage(client: vivamo.Client) -> None:
    hook: vivamo.RegisteredWebhook = client.webhooks.register(
        "https://example.com/hooks", headers={"x-pre-shared-key": "psk"}
    )
    secret: str = hook.secret_key
    updated: vivamo.Webhook = client.webhooks.update(
        hook.id, status="inactive", event_types=["kyc_verification"]
    )
    listed: List[vivamo.Webhook] = client.webhooks.list()
    raw: vivamo.RawResponse[List[vivamo.Webhook]] = client.webhooks.with_raw_response.list()
    message: str = client.webhooks.delete(hook.id)
    types: List[str] = updated.event_types
    headers: Dict[str, str] = updated.headers
    print(secret, listed, raw.status_code, message, types, headers, updated.to_json())


async def async_webhook_endpoints_usage(aclient: vivamo.AsyncClient) -> None:
    hook: vivamo.RegisteredWebhook = await aclient.webhooks.register("https://example.com/h")
    listed: List[vivamo.Webhook] = await aclient.webhooks.list()
    print(hook.id, listed, await aclient.webhooks.delete(hook.id))
