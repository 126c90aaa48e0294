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


BODY = b'{"type":"kyc_verification","externalCustomerId":"user_123","status":"approved"}'


def test_verifier_reads_the_header_and_accepts_every_secret_of_a_rotation() -> None:
    verifier = webhooks.Verifier(["whsec_old", "whsec_new"])
    for secret in ["whsec_old", "whsec_new"]:
        signature = webhooks.sign(BODY, secret)
        # Header names in any case, as frameworks hand them over; a dict or pairs.
        verifier.verify_headers(BODY, {"Content-Type": "application/json", "Signature": signature})
        verifier.verify_headers(BODY, [("signature", signature)])
        event = verifier.parse_headers(BODY, {"signature": signature})
        assert event.type == "other" and event.data["status"] == "approved"
        verifier.verify(BODY, signature)
    with pytest.raises(vivamo.WebhookSignatureError):
        verifier.verify(BODY, webhooks.sign(BODY, "whsec_other"))
    with pytest.raises(vivamo.WebhookSignatureError, match="no `signature` header"):
        verifier.verify_headers(BODY, {"content-type": "application/json"})
    with pytest.raises(TypeError, match="headers"):
        verifier.verify_headers(BODY, 42)  # type: ignore[arg-type]


def test_verifier_refuses_a_large_body_before_hashing_and_hides_its_secrets() -> None:
    verifier = webhooks.Verifier(["whsec_secret_value"], max_body_bytes=16)
    with pytest.raises(vivamo.WebhookSignatureError, match="over the 16-byte limit"):
        verifier.verify(BODY, webhooks.sign(BODY, "whsec_secret_value"))
    assert "whsec_secret_value" not in repr(verifier)
    assert repr(verifier) == "vivamo.webhooks.Verifier(secrets=[1 redacted], max_body_bytes=16)"
    with pytest.raises(vivamo.ConfigError):
        webhooks.Verifier([])
    with pytest.raises(vivamo.ConfigError, match="#2 is empty"):
        webhooks.Verifier(["whsec_a", ""])
