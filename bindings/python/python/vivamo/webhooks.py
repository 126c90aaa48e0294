"""Webhook signatures: check a delivery's ``signature`` header before trusting its body.

Vivamo signs every delivery with the lowercase hex HMAC-SHA512 of the raw request body under
the webhook's secret key. Pass the body exactly as received (``bytes``; a ``str`` is taken as
its UTF-8 bytes), before any JSON parsing, and expect the same event more than once: Vivamo
retries deliveries that were not answered 200, so de-duplicate by content.

A receiver usually wants :class:`Verifier`: it reads the ``signature`` header from the
request's headers (``verifier.parse_headers(request.get_data(), request.headers)`` in Flask,
``await request.body()`` and ``request.headers`` in FastAPI), accepts every secret of a
rotation (``Verifier([old, new])``), and refuses a body over ``max_body_bytes`` (1 MiB by
default) before hashing it.

The work is done by the Rust SDK (``vivamo::webhooks``, RustCrypto ``hmac`` + ``sha2``,
compared in constant time); this module only names it.
"""

from __future__ import annotations

from typing import Union

from vivamo._native import (
    PaymentResult,
    Verifier,
    WebhookEvent,
    _webhook_parse,
    _webhook_sign,
    _webhook_verify,
)

__all__ = ["PaymentResult", "Verifier", "WebhookEvent", "parse", "sign", "verify"]

Payload = Union[bytes, bytearray, memoryview, str]


def sign(payload: Payload, secret: str) -> str:
    """The signature Vivamo would send for ``payload`` (lowercase hex), to test a receiver."""
    return _webhook_sign(payload, secret)


def verify(payload: Payload, signature: str, secret: str) -> None:
    """Raises :class:`vivamo.WebhookSignatureError` unless ``signature`` (the ``signature``
    header; any hex case, surrounding whitespace ignored) matches the raw body and secret.
    An empty secret raises :class:`vivamo.ConfigError`."""
    _webhook_verify(payload, signature, secret)


def parse(payload: Payload, signature: str, secret: str) -> WebhookEvent:
    """Verifies (as :func:`verify`), then decodes: a payment result is typed
    (``event.payment``), anything else is kept as JSON (``event.data``)."""
    return _webhook_parse(payload, signature, secret)
