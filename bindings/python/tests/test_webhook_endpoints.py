"""`client.webhooks`: register, list, update and delete webhook endpoints against the
sandbox, which then delivers signed events to them (only active ones, only subscribed types)."""

from __future__ import annotations

import asyncio
import json
from typing import Callable, List

import pytest

import vivamo
from vivamo.testing import Sandbox

from receivers import Receiver, wait_for


def test_an_approval_delivers_one_signed_kyc_event(
    receiver_of: Callable[[List[int]], Receiver],
) -> None:
    receiver = receiver_of([])
    with Sandbox() as sandbox, sandbox.client() as client:
        client.customers.create("kyc_1", {"email": "kyc_1@example.com"})
        sandbox.set_kyc("kyc_1", "under_review")
        hook = client.webhooks.register(receiver.url, headers={"x-pre-shared-key": "psk_1"})
        assert (hook.status, hook.url, hook.event_types) == ("active", receiver.url, [])
        assert hook._request_id is not None
        assert hook.secret_key not in repr(hook) and "[redacted]" in repr(hook)

        client.customers.approve_kyc("kyc_1")
        wait_for("the delivery", lambda: len(receiver.received) == 1)
        body, headers, _ = receiver.received[0]
        vivamo.webhooks.verify(body, headers["signature"], hook.secret_key)
        assert headers["x-pre-shared-key"] == "psk_1"
        event = json.loads(body)
        assert event["eventType"] == "kyc_verification"
        assert event["externalCustomerId"] == "kyc_1"
        assert event["status"] == "verified_manually"
        # Exactly one: the log has one delivery, delivered, and nothing pending.
        wait_for("delivered", lambda: sandbox.webhook_deliveries()[0]["state"] == "delivered")
        assert len(sandbox.webhook_deliveries()) == 1
        assert len(receiver.received) == 1


def test_inactive_webhooks_and_unsubscribed_types_get_nothing(
    receiver_of: Callable[[List[int]], Receiver],
) -> None:
    paused, payments = receiver_of([]), receiver_of([])
    with Sandbox() as sandbox, sandbox.client() as client:
        client.customers.create("kyc_2", {"email": "kyc_2@example.com"})
        sandbox.set_kyc("kyc_2", "under_review")
        p = client.webhooks.register(paused.url)
        updated = client.webhooks.update(p.id, status="inactive")
        assert (updated.id, updated.status) == (p.id, "inactive")
        t = client.webhooks.register(payments.url)
        assert client.webhooks.update(t.id, event_types=["transaction"]).event_types == [
            "transaction"
        ]

        client.customers.reject_kyc("kyc_2")
        triggered = sandbox.trigger_webhook("transaction", {"amount": "10.00"})
        # The deliveries are decided when the event happens: one, to the payments webhook.
        assert len(triggered["deliveries"]) == 1
        log = [(d["webhookId"], d["eventType"]) for d in sandbox.webhook_deliveries()]
        assert log == [(t.id, "transaction")]
        wait_for("the transaction event", lambda: len(payments.received) == 1)
        assert json.loads(payments.received[0][0])["transactionType"] == "payment"
        assert paused.received == []


def test_a_duplicate_registration_is_a_conflict_and_list_update_delete() -> None:
    url = "http://127.0.0.1:9/hooks"
    with Sandbox() as sandbox, sandbox.client() as client:
        first = client.webhooks.register(url)
        with pytest.raises(vivamo.ConflictError) as conflict:
            client.webhooks.register(url)
        assert conflict.value.status_code == 409
        # Disjoint event types on one URL are allowed; overlapping ones are not.
        client.webhooks.update(first.id, event_types=["transaction"])
        second = client.webhooks.register("http://127.0.0.1:9/other")
        client.webhooks.update(second.id, url=url, event_types=["kyc_verification"])
        with pytest.raises(vivamo.ConflictError):
            client.webhooks.update(second.id, event_types=["transaction"])

        raw = client.webhooks.with_raw_response.list()
        assert raw.status_code == 200 and raw.request_id
        listed = raw.parse()
        assert [(w.id, w.event_types) for w in listed] == [
            (first.id, ["transaction"]),
            (second.id, ["kyc_verification"]),
        ]
        assert all(not hasattr(w, "secret_key") for w in listed)
        assert isinstance(client.webhooks.delete(second.id), str)
        assert len(client.webhooks.list()) == 1
        with pytest.raises(vivamo.NotFoundError):
            client.webhooks.delete(second.id)
        with pytest.raises(vivamo.ValidationError, match="status"):
            client.webhooks.update(first.id, status="paused")
        with pytest.raises(vivamo.ValidationError, match="url"):
            client.webhooks.register(" ")
        with pytest.raises(TypeError):
            client.webhooks.update(first.id, event_types="transaction")  # type: ignore[arg-type]


def test_the_async_client_has_the_same_operations() -> None:
    async def main(client: vivamo.AsyncClient) -> None:
        hook = await client.webhooks.register("http://127.0.0.1:9/async")
        assert [w.id for w in await client.webhooks.list()] == [hook.id]
        raw = await client.webhooks.with_raw_response.update(hook.id, status="inactive")
        assert raw.parse().status == "inactive"
        await client.webhooks.delete(hook.id)
        assert await client.webhooks.list() == []

    with Sandbox() as sandbox:
        asyncio.run(main(vivamo.AsyncClient(api_key=sandbox.api_key, base_url=sandbox.url)))


def test_a_duplicate_rate_of_1_delivers_each_event_twice(
    receiver_of: Callable[[List[int]], Receiver],
) -> None:
    receiver = receiver_of([])
    with Sandbox(webhook_duplicate_rate=1) as sandbox, sandbox.client() as client:
        secret = client.webhooks.register(receiver.url).secret_key
        triggered = sandbox.trigger_webhook("transaction")
        assert len(triggered["deliveries"]) == 2
        wait_for("both deliveries", lambda: len(receiver.received) == 2)
        (a, _, _), (b, headers, _) = receiver.received
        assert a == b
        vivamo.webhooks.verify(b, headers["signature"], secret)
        assert [d["duplicate"] for d in sandbox.webhook_deliveries()] == [False, True]
    with pytest.raises(vivamo.ConfigError, match="webhook_duplicate_rate"):
        Sandbox(webhook_duplicate_rate=2)
