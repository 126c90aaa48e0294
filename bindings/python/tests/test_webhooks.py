"""The shared webhook vectors (testdata/webhooks.json, computed with Python's hmac) through
vivamo.webhooks, on bytes and str."""

from __future__ import annotations

import hashlib
import hmac
import json
import pathlib

import pytest

import vivamo
from vivamo import webhooks

VECTORS = json.loads(
    (pathlib.Path(__file__).resolve().parents[3] / "testdata" / "webhooks.json").read_text("utf-8")
)["vectors"]


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(v: dict) -> None:  # type: ignore[type-arg]
    for payload in (v["payload"].encode("utf-8"), v["payload"]):
        if v["valid"]:
            webhooks.verify(payload, v["signature"], v["secret"])
            event = webhooks.parse(payload, v["signature"], v["secret"])
            assert event.type == v["event"]
            assert event.data == json.loads(v["payload"])
            if event.type == "payment_result":
                assert event.payment is not None
                assert event.payment.amount == json.loads(v["payload"])["amount"]
        else:
            with pytest.raises(vivamo.WebhookSignatureError) as e:
                webhooks.verify(payload, v["signature"], v["secret"])
            assert e.value.kind == "webhook_signature"
            assert v["secret"] not in str(e.value)
            with pytest.raises(vivamo.WebhookSignatureError):
                webhooks.parse(payload, v["signature"], v["secret"])


def test_sign_agrees_with_the_standard_library() -> None:
    body = b'{"amount":"1.00"}'
    assert webhooks.sign(body, "s") == hmac.new(b"s", body, hashlib.sha512).hexdigest()
    assert webhooks.sign(bytearray(body), "s") == webhooks.sign(memoryview(body), "s")


def test_odd_inputs_raise_typed_errors() -> None:
    with pytest.raises(vivamo.ConfigError):
        webhooks.verify(b"{}", webhooks.sign(b"{}", "s"), "")
    with pytest.raises(vivamo.DecodeError):
        webhooks.parse(b"nope", webhooks.sign(b"nope", "s"), "s")
    with pytest.raises(vivamo.WebhookSignatureError):
        webhooks.verify(b"{}", "\u00e9" * 64, "s")
    with pytest.raises(TypeError):
        webhooks.verify(42, "ab", "s")  # type: ignore[arg-type]
