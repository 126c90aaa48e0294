"""Every operation, sync and async, against the sandbox."""

from __future__ import annotations

import asyncio
import datetime
import os
import subprocess
import sys
import pathlib
from typing import Callable

import pytest

import vivamo
from conftest import Sandbox, email, uid


def test_create_get_update_list(sandbox: Sandbox) -> None:
    id = uid()
    with sandbox.client() as client:
        created = client.customers.create(
            external_customer_id=id,
            data={"email": email(id), "phone": "(415) 555-2671", "first_name": "Jane", "lastName": "Doe"},
        )
        assert isinstance(created, vivamo.CreatedCustomer)
        c = created.customer
        assert c.external_customer_id == id
        assert c.data.email == email(id)
        assert c.data.phone == "+14155552671"
        assert c.data.first_name == "Jane" and c.data.last_name == "Doe"
        assert isinstance(created.warnings, list)
        assert created.verification_links is None
        assert isinstance(c.created_at, datetime.datetime) and c.created_at.tzinfo is not None

        got = client.customers.get(id)
        assert got == c
        assert got.to_dict()["externalCustomerId"] == id
        assert got.to_dict()["data"]["firstName"] == "Jane"
        assert id in repr(got)

        moved = client.customers.update(id, city="Boston")
        assert moved.data.city == "Boston" and moved.data.first_name == "Jane"
        moved2 = client.customers.update(id, {"state": "MA", "country": "us"})
        assert moved2.data.state == "MA" and moved2.data.country == "US"

        page = client.customers.list(page=1, size=50)
        assert page.page == 1 and page.limit == 50 and page.total >= 1
        assert page.total_pages >= 1 and len(page.customers) >= 1
        assert page.to_dict()["totalPages"] == page.total_pages


def test_verify_after_creation_and_kyc(sandbox: Sandbox) -> None:
    id = uid()
    client = sandbox.client()
    created = client.customers.create(id, {"email": email(id)}, verify_after_creation=True)
    links = created.verification_links
    assert links is not None and links.verification_link
    sandbox.control(f"/__sandbox/customers/{id}/kyc", {"status": "verified"})
    c = client.customers.get(id)
    assert c.kyc_verifications, c
    assert c.kyc_verifications[-1].status == "verified"
    assert isinstance(c.kyc_verifications[0].created_at, datetime.datetime)


def test_ensure(sandbox: Sandbox) -> None:
    id = uid()
    client = sandbox.client()
    first = client.customers.ensure(external_customer_id=id, data={"email": email(id)})
    assert first.created is True
    second = client.customers.ensure(external_customer_id=id, data={"email": email(id)})
    assert second.created is False and second.customer.external_customer_id == id
    with pytest.raises(vivamo.CustomerAlreadyExistsError):
        client.customers.ensure(external_customer_id=id, data={"email": "other_" + email(id)})


def test_data_keys_are_checked(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(vivamo.ValidationError) as info:
        client.customers.create(uid(), {"email": "a@example.com", "mail": "x", "phone": 5})
    fields = {(v.field, v.code) for v in info.value.violations}
    assert fields == {("data.mail", "unknown_field"), ("data.phone", "invalid_type")}
    assert "mail" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_list_all_walks_250_customers(spawn: Callable[..., Sandbox]) -> None:
    s = spawn()
    s.control("/__sandbox/seed", {"count": 250})
    client = s.client()
    ids = [c.external_customer_id for c in client.customers.list_all(size=100)]
    assert len(ids) == 250 and len(set(ids)) == 250

    async def walk() -> int:
        async with s.async_client() as aclient:
            n = 0
            async for c in aclient.customers.list_all(size=30):
                assert isinstance(c, vivamo.Customer)
                n += 1
            return n

    assert asyncio.run(walk()) == 250


def test_async_operations(sandbox: Sandbox) -> None:
    async def main() -> None:
        id = uid()
        async with sandbox.async_client() as aclient:
            created = await aclient.customers.create(id, {"email": email(id)})
            assert created.customer.external_customer_id == id
            c = await aclient.customers.get(id)
            assert c.data.email == email(id)
            moved = await aclient.customers.update(id, city="Boston")
            assert moved.data.city == "Boston"
            page = await aclient.customers.list(page=1, size=5)
            assert page.total >= 1
            ensured = await aclient.customers.ensure(id, {"email": email(id)})
            assert ensured.created is False
            with pytest.raises(vivamo.NotFoundError):
                await aclient.customers.get(uid("missing"))
        with pytest.raises(vivamo.ConfigError):
            await aclient.customers.get(id)

    asyncio.run(main())


def test_closed_client_refuses(sandbox: Sandbox) -> None:
    client = sandbox.client()
    client.close()
    with pytest.raises(vivamo.ConfigError, match="closed"):
        client.customers.get("x")


def test_quickstart_example_runs(sandbox: Sandbox) -> None:
    example = pathlib.Path(__file__).resolve().parent.parent / "examples" / "quickstart.py"
    env = dict(os.environ)
    env.update(
        VIVAMO_BASE_URL=sandbox.base_url,
        VIVAMO_API_KEY=sandbox.api_key,
        VIVAMO_ENVIRONMENT="sandbox",
    )
    done = subprocess.run([sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "+14155552671" in done.stdout
