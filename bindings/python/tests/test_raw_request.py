"""`client.request`: any endpoint with the client's key, retries, deadline and typed errors,
against the sandbox binary (its request log shows what arrived)."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any, Dict, List

import pytest

import vivamo

from conftest import Sandbox, email, uid


def request_log(sb: Sandbox) -> List[Dict[str, Any]]:
    with urllib.request.urlopen(sb.base_url + "/__sandbox/requests", timeout=10) as resp:
        entries: List[Dict[str, Any]] = json.loads(resp.read())["requests"]
        return entries


def test_get_with_query_and_post_with_a_body(sandbox: Sandbox) -> None:
    client = sandbox.client()
    id = uid("raw")
    created = client.request(
        "post", "/v1/customers", body={"externalCustomerId": id, "data": {"email": email(id)}}
    )
    assert created["externalCustomerId"] == id
    page = client.request("GET", "/v1/customers", query={"page": 1, "size": 100})
    assert page["page"] == 1
    assert id in [c["externalCustomerId"] for c in page["customers"]]
    last = request_log(sandbox)[-1]
    assert (last["method"], last["path"]) == ("GET", "/v1/customers")
    assert last["headers"]["authorization"] == "[redacted]"
    # Pairs work too, and per-call headers arrive.
    client.request("GET", "/v1/customers", query=[("size", 2)], extra_headers={"x-team": "ops"})
    assert request_log(sandbox)[-1]["headers"]["x-team"] == "ops"


def test_errors_are_typed_by_status_and_bad_arguments_name_themselves(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(vivamo.NotFoundError) as e:
        client.request("GET", "/v1/customers/nobody_" + uid("x"))
    assert e.value.status_code == 404
    with pytest.raises(vivamo.APIError) as bad:
        client.request("POST", "/v1/customers", body={"externalCustomerId": ""})
    assert bad.value.status_code == 400
    with pytest.raises(vivamo.ConfigError, match="single `/`"):
        client.request("GET", "v1/customers")
    with pytest.raises(vivamo.ConfigError, match="query or fragment"):
        client.request("GET", "/v1/customers?page=2")
    with pytest.raises(vivamo.ConfigError, match="not an HTTP method"):
        client.request("GE T", "/v1/customers")
    with pytest.raises(vivamo.ConfigError, match="query="):
        client.request("GET", "/v1/customers", query={"page": object()})
    with pytest.raises(vivamo.ValidationError, match=r"body\.x"):
        client.request("POST", "/v1/customers", body={"x": object()})


def test_a_post_is_retried_only_when_idempotent(failing: Sandbox) -> None:
    client = failing.client(max_retries=2, backoff=(0.001, 0.002))
    before = len(request_log(failing))
    with pytest.raises(vivamo.InternalServerError):
        client.request("POST", "/v1/customers", body={"externalCustomerId": "u1"})
    assert len(request_log(failing)) - before == 1, "a 500 to a POST may have been applied"
    before = len(request_log(failing))
    with pytest.raises(vivamo.InternalServerError):
        client.request("POST", "/v1/customers", body={"externalCustomerId": "u1"}, idempotent=True)
    assert len(request_log(failing)) - before == 3
    before = len(request_log(failing))
    with pytest.raises(vivamo.InternalServerError):
        client.request("GET", "/v1/customers")
    assert len(request_log(failing)) - before == 3


def test_async_request(sandbox: Sandbox) -> None:
    async def main() -> Any:
        async with sandbox.async_client() as client:
            id = uid("araw")
            await client.request(
                "POST", "/v1/customers", body={"externalCustomerId": id, "data": {"email": email(id)}}
            )
            got = await client.request("GET", "/v1/customers/" + id)
            with pytest.raises(vivamo.NotFoundError):
                await client.request("GET", "/v1/customers/nobody_" + id)
            return got

    assert asyncio.run(main())["data"]["email"].startswith("araw")
