"""`client.customers.with_raw_response`: every operation's answer with its status, headers,
request id, retries and duration, sync and async, against the sandbox binary."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Callable

import pytest

import vivamo

from conftest import Sandbox, email, uid


def test_every_operation_gives_its_response(sandbox: Sandbox) -> None:
    client = sandbox.client()
    raw = client.customers.with_raw_response
    assert isinstance(raw, vivamo.CustomersWithRawResponse)
    id = uid("rawresp")

    created = raw.create(id, {"email": email(id)})
    assert isinstance(created, vivamo.RawResponse)
    assert created.status_code == 200
    assert created.headers["content-type"].startswith("application/json")
    assert created.request_id is not None
    assert created.headers["x-request-id"] == created.request_id
    assert created.retries_taken == 0
    assert isinstance(created.elapsed, timedelta) and created.elapsed > timedelta(0)
    value = created.parse()
    assert isinstance(value, vivamo.CreatedCustomer)
    assert value.customer.external_customer_id == id
    assert value._request_id == created.request_id
    assert repr(created) == f'<vivamo.RawResponse [200] request_id="{created.request_id}">'

    got = raw.get(id)
    assert got.status_code == 200
    assert isinstance(got.parse(), vivamo.Customer)
    assert got.request_id != created.request_id

    updated = raw.update(id, first_name="Jane")
    assert updated.parse().data.first_name == "Jane"
    page = raw.list(size=5)
    assert isinstance(page.parse(), vivamo.CustomerPage)
    assert raw.ensure(id, {"email": email(id)}).status_code == 200

    # Results without `_request_id` (a list, a message) get theirs from the raw response.
    queue = raw.kyc_for_review()
    assert isinstance(queue.parse(), list) and queue.request_id is not None
    info = raw.kyc_info(id)
    assert isinstance(info.parse(), vivamo.KycInfo)
    sandbox.control(f"/__sandbox/customers/{id}/kyc", {"status": "under_review"})
    approved = raw.approve_kyc(id)
    assert isinstance(approved.parse(), str) and approved.request_id is not None


def test_errors_are_raised_as_by_the_plain_methods(sandbox: Sandbox) -> None:
    raw = sandbox.client().customers.with_raw_response
    with pytest.raises(vivamo.NotFoundError) as e:
        raw.get(uid("nobody"))
    assert e.value.status_code == 404
    id = uid("twice")
    raw.create(id, {"email": email(id)})
    with pytest.raises(vivamo.CustomerAlreadyExistsError):
        raw.create(id, {"email": email(id)})
    with pytest.raises(vivamo.ConfigError, match="timeout"):
        raw.get("x", timeout=-1)


def test_retries_taken_counts_the_retries(spawn: Callable[..., Sandbox]) -> None:
    limited = spawn("--rate-limit", "1")
    raw = limited.client(max_retries=2).customers.with_raw_response
    raw.list()
    second = raw.list()
    assert second.retries_taken == 1, "the second call in a second gets a 429, then waits"
    assert second.elapsed > timedelta(milliseconds=100)


def test_async_client_has_it_too(sandbox: Sandbox) -> None:
    async def main() -> None:
        async with sandbox.async_client() as aclient:
            raw = aclient.customers.with_raw_response
            assert isinstance(raw, vivamo.AsyncCustomersWithRawResponse)
            id = uid("araw")
            created = await raw.create(id, {"email": email(id)})
            assert created.status_code == 200
            assert created.parse().customer.external_customer_id == id
            got = await raw.get(id)
            assert got.headers["x-request-id"] == got.request_id
            with pytest.raises(vivamo.NotFoundError):
                await raw.get(uid("nobody"))

    asyncio.run(main())
