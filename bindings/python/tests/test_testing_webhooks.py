"""`vivamo.testing.Sandbox` delivers webhooks: a receiver in the test gets signed events, with
Vivamo's retries on a short retry unit, and the test reads the delivery log and resends."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import vivamo
from vivamo.testing import Sandbox


class Receiver:
    """An HTTP server on a loopback port answering each delivery with the next status."""

    def __init__(self, statuses: List[int]) -> None:
        self.received: List[Tuple[bytes, Dict[str, str], float]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append((body, headers, time.monotonic()))
                status = statuses.pop(0) if statuses else 200
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_of() -> Iterator[Callable[[List[int]], Receiver]]:
    started: List[Receiver] = []

    def start(statuses: List[int]) -> Receiver:
        r = Receiver(statuses)
        started.append(r)
        return r

    yield start
    for r in started:
        r.close()


def wait_for(what: str, check: Callable[[], bool], seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_a_failing_receiver_gets_vivamos_retries_then_the_event(
    receiver_of: Callable[[List[int]], Receiver],
) -> None:
    receiver = receiver_of([500, 500, 200])
    unit = 0.3
    with Sandbox(webhook_retry_unit_ms=int(unit * 1000)) as sandbox, sandbox.client() as client:
        endpoint: Any = client.request("POST", "/v1/operators/webhooks", body={"url": receiver.url})
        secret = endpoint["secretKey"]
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
