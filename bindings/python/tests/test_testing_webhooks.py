"""`vivamo.testing.Sandbox` delivers webhooks: a receiver in the test gets signed events, with
Vivamo's retries on a short retry unit, and the test reads the delivery log and resends."""

from __future__ import annotations

import json
from typing import Callable, List

import pytest

import vivamo
from vivamo.testing import Sandbox

from receivers import Receiver, wait_for


def test_a_failing_receiver_gets_vivamos_retries_then_the_event(
    receiver_of: Callable[[List[int]], Receiver],
) -> None:
    receiver = receiver_of([500, 500, 200])
    unit = 0.3
    with Sandbox(webhook_retry_unit_ms=int(unit * 1000)) as sandbox, sandbox.client() as client:
        secret = client.webhooks.register(receiver.url).secret_key
        triggered = sandbox.trigger_webhook("transaction", {"amount": "42.00", "status": "success"})
        assert len(triggered["deliveries"]) == 1
        wait_for("three attempts", lambda: len(receiver.received) == 3)

        bodies = {body for body, _, _ in receiver.received}
        signatures = {headers["signature"] for _, headers, _ in receiver.received}
        assert len(bodies) == 1 and len(signatures) == 1, "every attempt sends the same event"
        body = bodies.pop()
        assert json.loads(body)["amount"] == "42.00"
        vivamo.webhooks.verify(body, signatures.pop(), secret)
        event = vivamo.webhooks.parse(body, receiver.received[0][1]["signature"], secret)
        assert event.payment is not None and event.payment.status == "success"
        # The n-th retry comes n units after the attempt before: never sooner (a loaded
        # machine may only make it later, so the upper bounds are loose).
        times = [at for _, _, at in receiver.received]
        first, second = times[1] - times[0], times[2] - times[1]
        assert 0.9 * unit <= first < unit + 5, f"first retry after {first:.3f} s"
        assert 1.8 * unit <= second < 2 * unit + 5, f"second retry after {second:.3f} s"

        wait_for(
            "the log to say delivered",
            lambda: sandbox.webhook_deliveries()[-1]["state"] == "delivered",
        )
        [delivery] = sandbox.webhook_deliveries()
        assert delivery["id"] == triggered["deliveries"][0]
        assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]
        assert delivery["signature"] == receiver.received[0][1]["signature"]

        again = sandbox.resend_webhook(delivery["id"])
        assert again["resendOf"] == delivery["id"]
        wait_for("the resend", lambda: len(receiver.received) == 4)
        assert receiver.received[3][0] == body


def test_bad_arguments_are_refused_by_name() -> None:
    with Sandbox() as sandbox:
        with pytest.raises(ValueError, match="eventType"):
            sandbox.trigger_webhook("payment_made")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="data"):
            sandbox.trigger_webhook("transaction", ["not", "a", "dict"])  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="no delivery"):
            sandbox.resend_webhook("dlv_nobody")
        assert sandbox.webhook_deliveries() == []
    with pytest.raises(vivamo.ConfigError, match="webhook_retry_unit_ms"):
        Sandbox(webhook_retry_unit_ms=0)
