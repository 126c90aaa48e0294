"""`on_request=` and `on_response=`: each attempt as it is sent and as it ends, with the
method, path, status, timing, attempt and request id — never the key or a body — against the
sandbox binary."""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Callable, List

import pytest

import vivamo

from conftest import Sandbox, email, uid


def test_each_attempt_is_told_as_sent_and_as_ended(sandbox: Sandbox) -> None:
    requests: List[vivamo.RequestEvent] = []
    responses: List[vivamo.ResponseEvent] = []
    client = sandbox.client(on_request=requests.append, on_response=responses.append)
    id = uid("hooks")
    created = client.customers.create(id, {"email": email(id)})
    client.customers.get(id)
    with pytest.raises(vivamo.NotFoundError):
        client.customers.get(uid("nobody"))

    assert [(e.operation, e.method, e.attempt) for e in requests] == [
        ("create_customer", "POST", 1),
        ("get_customer", "GET", 1),
        ("get_customer", "GET", 1),
    ]
    assert requests[0].path == "/v1/customers"
    assert requests[1].path == f"/v1/customers/{id}"
    assert [(e.operation, e.status, e.error) for e in responses] == [
        ("create_customer", 200, None),
        ("get_customer", 200, None),
        ("get_customer", 404, "not_found"),
    ]
    assert responses[0].request_id == created._request_id
    assert all(e.elapsed > 0 for e in responses)
    # Nothing secret in what a hook can see.
    shown = " ".join(repr(e) for e in [*requests, *responses])
    assert sandbox.api_key not in shown and email(id) not in shown
    assert f"RequestEvent(operation='create_customer', method='POST', path='/v1/customers'" in repr(
        requests[0]
    )


def test_retried_attempts_are_each_told(failing: Sandbox) -> None:
    requests: List[vivamo.RequestEvent] = []
    responses: List[vivamo.ResponseEvent] = []
    client = failing.client(
        max_retries=2,
        backoff=(0.001, 0.002),
        on_request=requests.append,
        on_response=responses.append,
    )
    with pytest.raises(vivamo.InternalServerError):
        client.customers.get("u1")
    assert [e.attempt for e in requests] == [1, 2, 3]
    assert [(e.attempt, e.status, e.error) for e in responses] == [
        (1, 500, "server"),
        (2, 500, "server"),
        (3, 500, "server"),
    ]


def test_a_hook_that_raises_does_not_break_the_call(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event: Any) -> None:
        raise RuntimeError("hook failed")

    reported: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    client = sandbox.client(on_request=broken, on_response=broken)
    id = uid("broken")
    assert client.customers.create(id, {"email": email(id)}).customer.external_customer_id == id
    assert [type(r.exc_value) for r in reported] == [RuntimeError, RuntimeError]
    for option in ("on_request", "on_response"):
        with pytest.raises(vivamo.ConfigError, match=option):
            sandbox.client(**{option: 42})


def test_hooks_in_the_async_client(sandbox: Sandbox) -> None:
    seen: List[str] = []
    record: Callable[[Any], None] = lambda e: seen.append(type(e).__name__)

    async def main() -> None:
        async with sandbox.async_client(on_request=record, on_response=record) as aclient:
            await aclient.customers.list(size=1)

    asyncio.run(main())
    assert seen == ["RequestEvent", "ResponseEvent"]
