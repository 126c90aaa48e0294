"""Every exception class, from real failures; pickling; the key never shown."""

from __future__ import annotations

import pickle
import socket
import threading
import time
from typing import Callable, Iterator, List, Type

import pytest

import vivamo
from conftest import Sandbox, email, uid

ALL_ERRORS: List[Type[vivamo.VivamoError]] = [
    vivamo.VivamoError,
    vivamo.APIError,
    vivamo.BadRequestError,
    vivamo.CustomerAlreadyExistsError,
    vivamo.EmailAlreadyInUseError,
    vivamo.EmailDomainNotSupportedError,
    vivamo.PhoneNotMobileError,
    vivamo.PermissionDeniedError,
    vivamo.NotFoundError,
    vivamo.RateLimitError,
    vivamo.InternalServerError,
    vivamo.APIConnectionError,
    vivamo.APITimeoutError,
    vivamo.DecodeError,
    vivamo.ValidationError,
    vivamo.ConfigError,
]


def test_hierarchy() -> None:
    for cls in ALL_ERRORS:
        assert issubclass(cls, vivamo.VivamoError) and issubclass(cls, Exception)
    for cls in (vivamo.BadRequestError, vivamo.PermissionDeniedError, vivamo.NotFoundError,
                vivamo.RateLimitError, vivamo.InternalServerError):
        assert issubclass(cls, vivamo.APIError)
    for cls in (vivamo.CustomerAlreadyExistsError, vivamo.EmailAlreadyInUseError,
                vivamo.EmailDomainNotSupportedError, vivamo.PhoneNotMobileError):
        assert issubclass(cls, vivamo.BadRequestError)
    assert issubclass(vivamo.APITimeoutError, vivamo.APIConnectionError)
    assert not issubclass(vivamo.APIConnectionError, vivamo.APIError)
    assert issubclass(vivamo.ValidationError, ValueError)
    assert issubclass(vivamo.ConfigError, ValueError)
    for cls in (vivamo.KycNotUnderReviewError, vivamo.KycNotAttemptedError):
        assert issubclass(cls, vivamo.BadRequestError)
    assert issubclass(vivamo.WebhookSignatureError, ValueError)


@pytest.mark.parametrize("cls", ALL_ERRORS)
def test_every_class_pickles(cls: Type[vivamo.VivamoError]) -> None:
    e = cls(
        "something failed",
        kind="k",
        api_message="api says",
        status_code=400,
        errors=[{"isEmail": "email must be an email"}],
        request_id="req_1",
        violations=[vivamo.Violation("data.email", "invalid_email", "bad")],
        retry_after=1.5,
    )
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls
    assert str(back) == "something failed"
    assert (back.kind, back.message, back.status_code, back.errors, back.request_id, back.retry_after) == (
        "k", "api says", 400, [{"isEmail": "email must be an email"}], "req_1", 1.5)
    assert back.violations == e.violations
    plain = pickle.loads(pickle.dumps(cls("x")))
    assert plain.kind == cls.kind


def check(e: vivamo.VivamoError, cls: Type[vivamo.VivamoError], kind: str) -> None:
    assert type(e) is cls, repr(e)
    assert e.kind == kind
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls and back.kind == kind and str(back) == str(e)
    assert back.status_code == e.status_code and back.request_id == e.request_id


def test_api_400_kinds(prod_sandbox: Sandbox) -> None:
    client = prod_sandbox.client(environment="production", validation="off", max_retries=0)
    id = uid()
    client.customers.create(id, {"email": email(id)})

    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.create(id, {"email": "other_" + email(id)})
    check(info.value, vivamo.CustomerAlreadyExistsError, "customer_already_exists")
    assert info.value.status_code == 400

    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.create(uid(), {"email": email(id)})
    check(info.value, vivamo.EmailAlreadyInUseError, "email_already_in_use")

    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.create(uid(), {"email": "jane@mailinator.com"})
    check(info.value, vivamo.EmailDomainNotSupportedError, "email_domain_not_supported")

    with pytest.raises(vivamo.VivamoError) as info:
        x = uid()
        client.customers.create(x, {"email": email(x), "phone": "+15551234567"})
    check(info.value, vivamo.PhoneNotMobileError, "phone_not_mobile")

    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.create(uid(), {"email": "not-an-email"})
    check(info.value, vivamo.BadRequestError, "bad_request")
    assert info.value.errors or info.value.message


def test_not_found_and_validation(sandbox: Sandbox, prod_sandbox: Sandbox) -> None:
    with pytest.raises(vivamo.VivamoError) as info:
        sandbox.client().customers.get(uid("missing"))
    check(info.value, vivamo.NotFoundError, "not_found")
    assert info.value.status_code == 404

    strict = prod_sandbox.client(environment="production")
    assert strict.validation == "strict"
    with pytest.raises(vivamo.VivamoError) as info:
        strict.customers.create(uid(), {"email": "a+b@mailinator.com"})
    check(info.value, vivamo.ValidationError, "validation")
    codes = sorted(v.code for v in info.value.violations)
    assert codes == ["disposable_email", "plus_suffix_email"]
    back = pickle.loads(pickle.dumps(info.value))
    assert back.violations == info.value.violations


def test_permission_denied_never_shows_the_key(sandbox: Sandbox) -> None:
    secret = "sk_test_wrong_key_0123456789"
    client = sandbox.client(api_key=secret, max_retries=0)
    assert secret not in repr(client) and secret not in repr(client.customers)
    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.get("anyone")
    check(info.value, vivamo.PermissionDeniedError, "permission_denied")
    assert info.value.status_code in (401, 403)
    assert secret not in str(info.value) and secret not in repr(info.value)
    assert secret not in repr(info.value.__dict__)


def test_server_error(spawn: Callable[..., Sandbox]) -> None:
    s = spawn("--fail-rate", "1", "--seed", "1")
    with pytest.raises(vivamo.VivamoError) as info:
        s.client(max_retries=0).customers.get("x")
    check(info.value, vivamo.InternalServerError, "server")
    assert info.value.status_code == 500


def test_rate_limit(spawn: Callable[..., Sandbox]) -> None:
    s = spawn("--rate-limit", "1")
    client = s.client(max_retries=0)
    with pytest.raises(vivamo.VivamoError) as info:
        for _ in range(5):
            client.customers.list()
    check(info.value, vivamo.RateLimitError, "rate_limited")
    assert info.value.status_code == 429
    # The sandbox sends `Retry-After: 1`.
    assert info.value.retry_after == 1.0
    assert info.value.headers is not None and info.value.headers["retry-after"] == "1"


def test_timeout(spawn: Callable[..., Sandbox]) -> None:
    s = spawn("--latency-ms", "1000")
    with pytest.raises(vivamo.VivamoError) as info:
        s.client(timeout=0.1, deadline=5.0, max_retries=0).customers.get("x")
    check(info.value, vivamo.APITimeoutError, "timeout")


def test_connection_refused() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = vivamo.Client(api_key="sk_test_x", environment="sandbox",
                           base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.get("x")
    check(info.value, vivamo.APIConnectionError, "connection")


def test_config_errors() -> None:
    with pytest.raises(vivamo.ConfigError) as info:
        vivamo.Client(api_key="sk_live_secretsecret", base_url="http://api.example.com")
    assert info.value.kind == "config" and "secretsecret" not in str(info.value)
    with pytest.raises(vivamo.ConfigError, match="environment"):
        vivamo.Client(api_key="sk_test_x", environment="prod")  # type: ignore[arg-type]
    with pytest.raises(vivamo.ConfigError, match="validation"):
        vivamo.Client(api_key="sk_test_x", validation="loose")  # type: ignore[arg-type]
    with pytest.raises(vivamo.ConfigError, match="timeout"):
        vivamo.Client(api_key="sk_test_x", timeout=-1)
    with pytest.raises(vivamo.ConfigError, match="max_retries"):
        vivamo.Client(api_key="sk_test_x", max_retries=-1)
    with pytest.raises(vivamo.ConfigError, match="publishable"):
        vivamo.AsyncClient(api_key="pk_test_x")


def test_an_invalid_vivamo_environment_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIVAMO_ENVIRONMENT", "prod")
    with pytest.raises(vivamo.ConfigError) as info:
        vivamo.Client(api_key="sk_test_x")
    assert info.value.kind == "config"
    assert "VIVAMO_ENVIRONMENT" in str(info.value) and "production" in str(info.value)
    with pytest.raises(vivamo.ConfigError, match="VIVAMO_ENVIRONMENT"):
        vivamo.AsyncClient(api_key="sk_test_x")
    # An explicit environment wins over the variable.
    assert vivamo.Client(api_key="sk_test_x", environment="sandbox").environment == "sandbox"


# Needs the `test-hooks` build (`cargo xtask test-hooks`); release wheels have no such hook.
@pytest.mark.test_hooks
def test_panic_becomes_vivamo_error() -> None:
    with pytest.raises(vivamo.VivamoError) as info:
        vivamo._native._panic_for_tests()  # type: ignore[attr-defined]
    assert type(info.value) is vivamo.VivamoError and info.value.kind == "internal"


# A tiny raw HTTP server that answers every request with one canned response.
class RawServer:
    def __init__(self, response: bytes) -> None:
        self.response = response
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                conn.sendall(self.response)

    def close(self) -> None:
        self.sock.close()


def http(status: str, body: bytes, content_type: str = "application/json", length: int = -1) -> bytes:
    n = len(body) if length < 0 else length
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {n}\r\n"
            f"Connection: close\r\n\r\n").encode() + body


@pytest.fixture
def raw() -> Iterator[Callable[[bytes], RawServer]]:
    servers: List[RawServer] = []

    def start(response: bytes) -> RawServer:
        s = RawServer(response)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.close()


@pytest.mark.parametrize(
    "response,cls,kind",
    [
        (http("200 OK", b'{"externalCustomerId": "x", "data": {"em'), vivamo.DecodeError, "decode"),
        (http("200 OK", b""), vivamo.DecodeError, "decode"),
        (http("502 Bad Gateway", b"<html><body>Bad Gateway</body></html>", "text/html"),
         vivamo.InternalServerError, "server"),
    ],
    ids=["truncated-json", "empty-200", "html-502"],
)
def test_malformed_responses(raw: Callable[[bytes], RawServer], response: bytes,
                             cls: Type[vivamo.VivamoError], kind: str) -> None:
    server = raw(response)
    client = vivamo.Client(api_key="sk_test_x", environment="sandbox", base_url=server.url,
                           max_retries=0, timeout=5, deadline=10)
    with pytest.raises(vivamo.VivamoError) as info:
        client.customers.get("x")
    check(info.value, cls, kind)
    if kind == "server":
        assert info.value.status_code == 502


def test_async_errors_map_the_same(sandbox: Sandbox) -> None:
    import asyncio

    async def main() -> None:
        aclient = sandbox.async_client(api_key="sk_test_nope", max_retries=0)
        with pytest.raises(vivamo.PermissionDeniedError):
            await aclient.customers.get("x")
        with pytest.raises(vivamo.ValidationError):
            await aclient.customers.create("x", {"email": "a@b.co", "nope": "1"})

    asyncio.run(main())
    time.sleep(0)
