"""Per-call control and observability against the sandbox binary: request options and
`with_options`, `_request_id`, logs through `logging`, Ctrl-C during a blocking call, a
forward proxy, extra root certificates, and fields Vivamo adds tomorrow."""

from __future__ import annotations

import _thread
import asyncio
import json
import logging
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import vivamo

from conftest import KEY, Sandbox, email, uid


def request_log(sb: Sandbox) -> List[Dict[str, Any]]:
    with urllib.request.urlopen(sb.base_url + "/__sandbox/requests", timeout=10) as resp:
        entries: List[Dict[str, Any]] = json.loads(resp.read())["requests"]
        return entries


@pytest.fixture(scope="module")
def failing(spawn: Callable[..., Sandbox]) -> Sandbox:
    return spawn("--fail-rate", "1")


@pytest.fixture(scope="module")
def spawn() -> Iterator[Callable[..., Sandbox]]:
    started: List[Sandbox] = []

    def start(*args: str) -> Sandbox:
        s = Sandbox(*args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def test_extra_headers_arrive_and_request_ids_match(sandbox: Sandbox) -> None:
    client = sandbox.client().with_options(extra_headers={"x-team": "checkout"})
    id = uid("opt")
    created = client.customers.create(
        id, {"email": email(id)}, extra_headers={"x-correlation-id": "order_981"}
    )
    last = request_log(sandbox)[-1]
    assert last["headers"]["x-correlation-id"] == "order_981"
    assert last["headers"]["x-team"] == "checkout"
    assert created._request_id == last["requestId"]
    assert created._request_id is not None and created._request_id.startswith("req_")
    assert created.customer._request_id is None

    customer = client.customers.get(id, timeout=5.0, deadline=10.0, max_retries=1)
    assert customer._request_id == request_log(sandbox)[-1]["requestId"]
    page = client.customers.list(size=5)
    assert page._request_id == request_log(sandbox)[-1]["requestId"]
    assert all(c._request_id is None for c in page.customers)
    ensured = client.customers.ensure(id, {"email": email(id)})
    assert ensured.created is False
    assert ensured._request_id == request_log(sandbox)[-1]["requestId"]
    # Equality is about the value, not the response it came from.
    assert client.customers.get(id) == customer
    info = client.customers.kyc_info(id, extra_headers={"x-step": "kyc"})
    last = request_log(sandbox)[-1]
    assert info._request_id == last["requestId"]
    assert last["headers"]["x-step"] == "kyc"


def test_the_sdk_owns_authorization_content_type_and_user_agent(sandbox: Sandbox) -> None:
    client = sandbox.client()
    for name in ["Authorization", "content-type", "User-Agent"]:
        with pytest.raises(vivamo.ConfigError, match=name):
            client.with_options(extra_headers={name: "x"})
        with pytest.raises(vivamo.ConfigError, match=name):
            client.customers.get("u1", extra_headers={name: "x"})
    with pytest.raises(vivamo.ConfigError, match="timeout"):
        client.with_options(timeout=-1)
    with pytest.raises(vivamo.ConfigError, match="max_retries"):
        client.customers.get("u1", max_retries=-1)


def test_per_call_max_retries_0_fails_at_once_while_the_client_still_retries(
    failing: Sandbox,
) -> None:
    client = failing.client(max_retries=2)
    before = len(request_log(failing))
    with pytest.raises(vivamo.InternalServerError):
        client.customers.get("u1", max_retries=0)
    once = len(request_log(failing))
    assert once - before == 1
    with pytest.raises(vivamo.InternalServerError):
        client.customers.get("u1")
    assert len(request_log(failing)) - once == 3
    # A derived client's retry budget, and the parent's left as it was.
    with pytest.raises(vivamo.InternalServerError):
        client.with_options(max_retries=0).customers.get("u1")
    assert len(request_log(failing)) - once == 4


@pytest.fixture(scope="module")
def stuck(spawn: Callable[..., Sandbox]) -> Sandbox:
    """A sandbox that answers after a minute: a call that ends early was cut short."""
    return spawn("--latency-ms", "60000")


def wait_for(what: str, check: Callable[[], bool], ceiling: float = 30.0) -> None:
    """Polls `check` until it is true; fails after `ceiling` seconds (a generous bound that
    only ends a test that would otherwise hang)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < ceiling, f"gave up waiting for {what}"
        time.sleep(0.01)


# How soon a deadline takes effect is measured by the bench; the bounds here, with seconds
# of slack, only tell "cut short" from "waited the minute of latency out".
def test_a_300_ms_deadline_against_a_minute_of_latency_ends_the_call_early(stuck: Sandbox) -> None:
    client = stuck.client()
    started = time.monotonic()
    with pytest.raises(vivamo.APITimeoutError):
        client.customers.get("u1", deadline=0.3)
    assert time.monotonic() - started < 20


def test_async_calls_take_the_same_options(sandbox: Sandbox, stuck: Sandbox) -> None:
    async def main() -> None:
        async with sandbox.async_client() as aclient:
            derived = aclient.with_options(extra_headers={"x-team": "async"})
            id = uid("aopt")
            created = await derived.customers.create(
                id, {"email": email(id)}, extra_headers={"x-call": "1"}
            )
            last = request_log(sandbox)[-1]
            assert last["headers"]["x-team"] == "async"
            assert last["headers"]["x-call"] == "1"
            assert created._request_id == last["requestId"]
            got = await derived.customers.get(id)
            assert got._request_id == request_log(sandbox)[-1]["requestId"]
            queue = await derived.customers.kyc_for_review(max_retries=0)
            assert isinstance(queue, list)
        async with stuck.async_client() as astuck:
            started = time.monotonic()
            with pytest.raises(vivamo.APITimeoutError):
                await astuck.customers.get("u1", deadline=0.3)
            assert time.monotonic() - started < 20

    asyncio.run(main())


def test_vivamo_log_info_logs_one_line_per_attempt_and_never_the_key(
    failing: Sandbox, sandbox: Sandbox, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG, logger="vivamo")
    monkeypatch.setenv("VIVAMO_LOG", "info")
    client = failing.client(max_retries=2)
    with pytest.raises(vivamo.InternalServerError):
        client.customers.get("log_1")
    attempts = [r for r in caplog.records if r.name == "vivamo" and "attempt" in r.getMessage()]
    assert [r.levelname for r in attempts] == ["WARNING", "WARNING", "ERROR"], attempts
    assert "GET /v1/customers/log_1 -> 500" in attempts[0].getMessage()
    assert "retrying in" in attempts[0].getMessage()

    caplog.clear()
    ok = sandbox.client()
    id = uid("log")
    ok.customers.create(id, {"email": email(id)})
    lines = [r for r in caplog.records if r.name == "vivamo"]
    assert len(lines) == 1 and lines[0].levelname == "INFO", lines
    assert "POST /v1/customers -> 200" in lines[0].getMessage() or "-> 201" in lines[0].getMessage()
    for r in caplog.records:
        assert KEY not in r.getMessage()
        assert email(id) not in r.getMessage()

    # The option wins over the environment.
    caplog.clear()
    quiet = sandbox.client(log_level="off")
    quiet.customers.get(id)
    assert [r for r in caplog.records if r.name == "vivamo"] == []
    with pytest.raises(vivamo.ConfigError, match="log level"):
        sandbox.client(log_level="loud")


def test_update_warnings_reach_logging_by_default(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIVAMO_LOG", raising=False)
    caplog.set_level(logging.WARNING, logger="vivamo")
    client = sandbox.client()
    id = uid("warn")
    client.customers.create(id, {"email": email(id)})
    client.customers.update(id, email="someone@mailinator.com")
    warnings = [
        r for r in caplog.records if r.name == "vivamo" and r.levelno == logging.WARNING
    ]
    assert any(f"update {id}" in r.getMessage() for r in warnings), caplog.records


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """SIGINT raising KeyboardInterrupt, as in a program started at a terminal, whatever this
    run inherited: a process started in the background by a shell without job control (`cmd &`
    in a script, `nohup`) begins with SIGINT ignored, and `_thread.interrupt_main()` then does
    nothing at all."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupt_when(ready: Callable[[], bool]) -> Dict[str, float]:
    """Sends SIGINT to the main thread (as Ctrl-C does) once `ready()` holds; returns when it
    was sent."""
    sent: Dict[str, float] = {}

    def fire() -> None:
        wait_for("the call to be in flight", ready)
        sent["at"] = time.monotonic()
        _thread.interrupt_main()

    threading.Thread(target=fire, daemon=True).start()
    return sent


def arrived(sb: Sandbox, path: str, count: int = 1) -> Callable[[], bool]:
    return lambda: sum(1 for r in request_log(sb) if r["path"] == path) >= count


# How soon KeyboardInterrupt comes is the bench's business; the bound here, with seconds of
# slack, only tells "interrupted" from "waited the call out".
def test_ctrl_c_interrupts_a_blocking_call(stuck: Sandbox, sandbox: Sandbox, ctrl_c: None) -> None:
    client = stuck.client()
    sent = interrupt_when(arrived(stuck, "/v1/customers/sigint_1"))
    with pytest.raises(KeyboardInterrupt):
        client.customers.get("sigint_1")
    took = time.monotonic() - sent["at"]
    assert took < 20, f"KeyboardInterrupt {took:.1f} s after SIGINT"
    # The SDK still works afterwards.
    id = uid("after_sigint")
    sandbox.client().customers.create(id, {"email": email(id)})
    assert sandbox.client().customers.get(id).external_customer_id == id


def test_ctrl_c_interrupts_a_call_waiting_between_retries(failing: Sandbox, ctrl_c: None) -> None:
    # Ten retries with the default backoff (0.5 s doubling to 8 s) take about a minute.
    client = failing.client(max_retries=10, deadline=120.0)
    sent = interrupt_when(arrived(failing, "/v1/customers/sigint_2", count=2))
    with pytest.raises(KeyboardInterrupt):
        client.customers.get("sigint_2")
    took = time.monotonic() - sent["at"]
    assert took < 20, f"KeyboardInterrupt {took:.1f} s after SIGINT"
    assert sum(1 for r in request_log(failing) if r["path"] == "/v1/customers/sigint_2") < 11



class InterruptedHandler(logging.Handler):
    """A log handler during which Ctrl-C lands: SIGINT's handler runs wherever the main thread
    next runs Python, here inside the handler, and raises there."""

    def emit(self, record: logging.LogRecord) -> None:
        raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["logging", "on_request"])
def test_ctrl_c_raised_inside_a_log_handler_or_hook_still_ends_the_call(
    failing: Sandbox, ctrl_c: None, where: str
) -> None:
    # Without the interrupt kept, the call goes through its retries and raises the 500.
    path = "/v1/customers/sigint_in_" + where
    if where == "logging":
        handler = InterruptedHandler()
        logging.getLogger("vivamo").addHandler(handler)
        client = failing.client(max_retries=3)
    else:
        handler = None

        def on_request(event: vivamo.RequestEvent) -> None:
            raise KeyboardInterrupt

        client = failing.client(max_retries=3, on_request=on_request)
    try:
        with pytest.raises(KeyboardInterrupt):
            client.customers.get("sigint_in_" + where)
    finally:
        if handler is not None:
            logging.getLogger("vivamo").removeHandler(handler)
    assert sum(1 for r in request_log(failing) if r["path"] == path) < 4


class ForwardProxy:
    """A small HTTP forward proxy over loopback (absolute-form requests and CONNECT) that
    records the request lines it forwards."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.server.getsockname()[1]
        self.seen: List[str] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        first = head.split(b"\r\n", 1)[0].decode()
        self.seen.append(first)
        method, target = first.split(" ")[:2]
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
        else:
            host, _, port = target.removeprefix("http://").split("/", 1)[0].partition(":")
        upstream = socket.create_connection((host, int(port or 80)))
        if method == "CONNECT":
            client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        else:
            upstream.sendall(head)
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self) -> None:
        self.server.close()


def pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def test_requests_go_through_an_explicit_proxy(sandbox: Sandbox) -> None:
    proxy = ForwardProxy()
    try:
        client = sandbox.client(proxy=proxy.url, max_idle_connections=2)
        assert isinstance(client.customers.list(size=1), vivamo.CustomerPage)
        assert any(
            line.startswith(f"GET {sandbox.base_url}/v1/customers") for line in proxy.seen
        ), proxy.seen
    finally:
        proxy.close()
    with pytest.raises(vivamo.ConfigError, match="proxy"):
        sandbox.client(proxy="::nonsense")


def test_a_ca_bundle_adds_a_root_and_a_bad_one_is_a_config_error(sandbox: Sandbox) -> None:
    pem = Path(__file__).resolve().parents[3] / "testdata" / "tls" / "private-ca.pem"
    client = sandbox.client(ca_bundle=pem)
    assert client.customers.list(size=1).page == 1
    with pytest.raises(vivamo.ConfigError, match="ca_bundle"):
        sandbox.client(ca_bundle="/nonexistent/ca.pem")


class TlsFront:
    """TLS over loopback in front of the sandbox (certificate of testdata/tls/connect, signed
    by its private CA): calls through it go through the wheel's own TLS stack (rustls with
    ring), handshake included. It offers `h2` and `http/1.1` by ALPN, as Vivamo's front does;
    the sandbox behind it speaks both."""

    def __init__(self, upstream_url: str) -> None:
        tls = Path(__file__).resolve().parents[3] / "testdata" / "tls" / "connect"
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(tls / "server.pem", tls / "server.key")
        self.context.set_alpn_protocols(["h2", "http/1.1"])
        self.protocols: List[Optional[str]] = []
        self.ca = tls / "ca.pem"
        host, _, port = upstream_url.removeprefix("http://").partition(":")
        self.upstream = (host, int(port.rstrip("/")))
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = "https://localhost:%d" % self.server.getsockname()[1]
        self.handshakes = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, raw: socket.socket) -> None:
        try:
            client = self.context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()
            return
        self.handshakes += 1
        self.protocols.append(client.selected_alpn_protocol())
        upstream = socket.create_connection(self.upstream)
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self) -> None:
        self.server.close()


def test_https_to_a_server_of_a_private_ca(sandbox: Sandbox) -> None:
    front = TlsFront(sandbox.base_url)
    try:
        client = sandbox.client(base_url=front.url, ca_bundle=front.ca)
        id = uid("tls")
        client.customers.create(id, {"email": email(id)})
        assert client.customers.get(id).external_customer_id == id
        assert front.handshakes >= 1
        # Without the private root the same server is refused, as a connection error.
        with pytest.raises(vivamo.APIConnectionError):
            sandbox.client(base_url=front.url, max_retries=0).customers.get(id)
    finally:
        front.close()


def test_unknown_fields_from_the_server_are_readable(spawn: Callable[..., Sandbox]) -> None:
    sb = spawn()
    client = sb.client()
    id = uid("extra")
    client.customers.create(id, {"email": email(id)})
    sb.control("/__sandbox/extra-fields", {"fields": {"loyaltyTier": "gold", "score": 7}})
    customer = client.customers.get(id)
    assert customer.extra == {"loyaltyTier": "gold", "score": 7}
    assert customer.to_dict()["loyaltyTier"] == "gold"
    page = client.customers.list(size=10)
    assert page.customers[0].extra["loyaltyTier"] == "gold"
    sb.control("/__sandbox/extra-fields", {"fields": {}})
    assert client.customers.get(id).extra == {}


def test_app_info_names_the_application_in_the_user_agent(sandbox: Sandbox) -> None:
    client = sandbox.client(
        app_info={"name": "acme-onboarding", "version": "1.4.2", "url": "https://acme.example"}
    )
    client.customers.list()
    agent = request_log(sandbox)[-1]["headers"]["user-agent"]
    assert agent.startswith("vivamo-python/"), agent
    assert agent.endswith(" acme-onboarding/1.4.2 (+https://acme.example)"), agent
    with pytest.raises(vivamo.ConfigError, match="app_info.name"):
        sandbox.client(app_info={"name": "acme onboarding"})
    with pytest.raises(vivamo.ConfigError, match='unknown key "nmae"'):
        sandbox.client(app_info={"nmae": "acme"})
    with pytest.raises(vivamo.ConfigError, match="needs a name"):
        sandbox.client(app_info={"version": "1"})


@pytest.mark.parametrize(
    ("http2", "version", "alpn"), [(None, "HTTP/2.0", "h2"), (False, "HTTP/1.1", "http/1.1")]
)
def test_http2_where_offered_and_switched_off(
    sandbox: Sandbox, http2: Optional[bool], version: str, alpn: str
) -> None:
    front = TlsFront(sandbox.base_url)
    try:
        client = sandbox.client(base_url=front.url, ca_bundle=front.ca, http2=http2)
        assert client.customers.list().page == 1
        assert request_log(sandbox)[-1]["httpVersion"] == version
        assert front.protocols[-1] == alpn
    finally:
        front.close()


def test_on_retry_sees_each_retry_and_backoff_sets_the_waits(failing: Sandbox) -> None:
    events: List[vivamo.RetryEvent] = []
    client = failing.client(max_retries=2, backoff=(0.01, 0.02), on_retry=events.append)
    with pytest.raises(vivamo.InternalServerError):
        client.customers.get("u1")
    assert [(e.attempt, e.error, e.status) for e in events] == [(1, "server", 500), (2, "server", 500)]
    assert all(e.operation == "get_customer" and 0 < e.delay <= 0.02 for e in events), events
    assert "RetryEvent(operation='get_customer', attempt=1" in repr(events[0])


def test_a_failing_on_retry_hook_does_not_break_the_call(
    failing: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event: vivamo.RetryEvent) -> None:
        raise RuntimeError("hook failed")

    reported: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    client = failing.client(max_retries=1, backoff=(0.01, 0.01), on_retry=broken)
    with pytest.raises(vivamo.InternalServerError):
        client.customers.get("u1")
    # The hook's exception is reported as unraisable; the call went on to its own error.
    assert [type(r.exc_value) for r in reported] == [RuntimeError]
    with pytest.raises(vivamo.ConfigError, match="on_retry"):
        failing.client(on_retry=42)
    with pytest.raises(vivamo.ConfigError, match="backoff"):
        failing.client(backoff=(0, 1))


def test_on_retry_in_the_async_client(failing: Sandbox) -> None:
    events: List[vivamo.RetryEvent] = []

    async def main() -> None:
        async with failing.async_client(
            max_retries=1, backoff=(0.01, 0.01), on_retry=events.append
        ) as client:
            with pytest.raises(vivamo.InternalServerError):
                await client.customers.get("u1")

    asyncio.run(main())
    assert [e.attempt for e in events] == [1]
