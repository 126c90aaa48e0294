"""Extra body fields (``extra_body=``): JSON the SDK does not know yet, sent as given on create
and update; the sandbox's request log shows each body as it arrived. An unknown key in the
typed ``data`` is a ``ValidationError`` naming it and pointing to ``extra_body``."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any, Dict, List

import pytest

import vivamo

from conftest import Sandbox, email, uid


def bodies(sb: Sandbox, method: str, path: str) -> List[Any]:
    """The logged bodies of the requests to ``method path``, oldest first."""
    with urllib.request.urlopen(sb.base_url + "/__sandbox/requests", timeout=10) as resp:
        entries: List[Dict[str, Any]] = json.loads(resp.read())["requests"]
    return [e["body"] for e in entries if e["method"] == method and e["path"] == path]


def posted(sb: Sandbox, id: str) -> List[Any]:
    return [
        b for b in bodies(sb, "POST", "/v1/customers") if b["externalCustomerId"] == id
    ]


def test_create_and_update_send_extra_fields_verbatim(sandbox: Sandbox) -> None:
    client = sandbox.client()
    id = uid("xb")
    created = client.customers.create(
        id,
        {"email": email(id), "first_name": "Jo"},
        extra_body={
            "data": {"nickname": "Jojo", "preferences": {"sms": False, "channels": ["email", None]}},
            "campaign": 42.5,
        },
    )
    assert created.customer.external_customer_id == id
    [sent] = posted(sandbox, id)
    assert sent["data"] == {
        "email": email(id),
        "firstName": "Jo",
        "nickname": "Jojo",
        "preferences": {"sms": False, "channels": ["email", None]},
    }
    assert sent["campaign"] == 42.5

    updated = client.customers.update(
        id, city="Boston", extra_body={"data": {"nickname": "J"}, "note": None}
    )
    assert updated.data.city == "Boston"
    path = f"/v1/customers/{id}"
    assert bodies(sandbox, "PATCH", path) == [
        {"data": {"city": "Boston", "nickname": "J"}, "note": None}
    ]

    # Not validated by the SDK: the API's own refusal of a null on update is the answer.
    with pytest.raises(vivamo.BadRequestError):
        client.customers.update(id, city="Austin", extra_body={"data": {"lastName": None}})
    assert bodies(sandbox, "PATCH", path)[1] == {"data": {"city": "Austin", "lastName": None}}


def test_async_client_and_with_options_merge_a_calls_fields_over_the_clients(
    sandbox: Sandbox,
) -> None:
    id = uid("xb")

    async def main() -> None:
        async with sandbox.async_client() as client:
            tagged = client.with_options(extra_body={"data": {"source": "crm", "tier": "silver"}})
            await tagged.customers.create(
                id, {"email": email(id)}, extra_body={"data": {"tier": "gold"}}
            )

    asyncio.run(main())
    [sent] = posted(sandbox, id)
    assert sent["data"] == {"email": email(id), "source": "crm", "tier": "gold"}


def test_an_extra_body_that_is_not_a_dict_is_refused_by_name_before_sending(
    sandbox: Sandbox,
) -> None:
    client = sandbox.client()
    id = uid("xb")
    for bad in (["x"], "data", 3):
        with pytest.raises(TypeError, match="extra_body must be a dict"):
            client.customers.create(id, {"email": email(id)}, extra_body=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="extra_body must be a dict"):
        client.with_options(extra_body=["x"])  # type: ignore[arg-type]
    # A value JSON cannot carry is named by its path.
    with pytest.raises(vivamo.ValidationError, match=r"extra_body\.data\.tags"):
        client.customers.create(id, {"email": email(id)}, extra_body={"data": {"tags": {1, 2}}})
    assert posted(sandbox, id) == []


def test_an_unknown_key_in_typed_data_names_the_key_and_points_to_extra_body(
    sandbox: Sandbox,
) -> None:
    client = sandbox.client()
    id = uid("xb")
    for call in (
        lambda: client.customers.create(id, {"email": email(id), "nickname": "Jo"}),  # type: ignore[typeddict-unknown-key]
        lambda: client.customers.update(id, {"nickname": "Jo"}),  # type: ignore[typeddict-unknown-key]
    ):
        with pytest.raises(vivamo.ValidationError) as caught:
            call()
        [violation] = caught.value.violations
        assert violation.field == "data.nickname"
        assert violation.message.startswith('unknown customer field "nickname"')
        assert "extra-body option" in str(caught.value)
        assert 'Python `extra_body={"data": {"nickname": …}}`' in str(caught.value)
    assert posted(sandbox, id) == []
    assert bodies(sandbox, "PATCH", f"/v1/customers/{id}") == []
