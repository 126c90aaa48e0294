"""A hostile server: one case of each kind the Rust suite (crates/vivamo/tests/hostile.rs)
covers, through the wheel. Each is a typed error or a correct result, never a crash or a call
that does not end."""

from __future__ import annotations

import socket
import threading
import time
from typing import Dict, Iterator, Type

import pytest

import vivamo

CUSTOMER = (b'{"externalCustomerId":"u1","data":{"email":"jane@example.com"},'
            b'"createdAt":"2024-01-01T00:00:00Z"}')


def http(status: str, body: bytes, extra: bytes = b"", length: int = -1) -> bytes:
    n = len(body) if length < 0 else length
    head = (f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {n}\r\n"
            f"connection: close\r\n").encode() + extra + b"\r\n"
    return head + body


REPLIES: Dict[str, bytes] = {
    "retryafter": http("429 Too Many Requests", b'{"message":"slow down"}',
                       b"retry-after: 1e20\r\n"),
    "nested": http("200 OK", b"[" * 100_000 + b"]" * 100_000),
    "utf8": http("200 OK", b'{"externalCustomerId":"u\xff\xfe","data":{"email":"a@b.co"}}'),
    "bigheader": http("200 OK", CUSTOMER, b"x-junk: " + b"9" * (1 << 20) + b"\r\n"),
    "longer": http("200 OK", CUSTOMER, length=len(CUSTOMER) + 1000),
    "shorter": http("200 OK", CUSTOMER, length=len(CUSTOMER) // 2),
    "customers": http("200 OK", b'{"customers":[' + CUSTOMER + b'],"total":1000000000000,'
                      b'"page":1,"limit":1,"totalPages":1000000000000}'),
}


class HostileServer:
    """Answers by the request path's last segment; `drip` sends a body a byte a second."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(30)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                name = data.split(b" ")[1].split(b"?")[0].rsplit(b"/", 1)[-1].decode()
                if name == "drip":
                    conn.sendall(http("200 OK", b"", length=len(CUSTOMER)))
                    for i in range(len(CUSTOMER)):
                        time.sleep(1)
                        conn.sendall(CUSTOMER[i:i + 1])
                    return
                conn.sendall(REPLIES.get(name, REPLIES["shorter"]))
            except OSError:
                return

    def client(self, **options: object) -> vivamo.Client:
        settings: Dict[str, object] = dict(api_key="sk_test_hostile", environment="sandbox",
                                           base_url=self.url, max_retries=0, timeout=2,
                                           deadline=5)
        settings.update(options)
        return vivamo.Client(**settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.sock.close()


def test_absurd_retry_after_is_a_rate_limit_error(hostile: HostileServer) -> None:
    started = time.monotonic()
    with pytest.raises(vivamo.RateLimitError) as info:
        hostile.client(max_retries=1).customers.get("retryafter")
    assert info.value.retry_after == 60.0
    assert time.monotonic() - started < 5


def test_the_same_page_forever_ends_list_all(hostile: HostileServer) -> None:
    ids = [c.external_customer_id for c in hostile.client().customers.list_all(size=1)]
    assert ids == ["u1"]


def test_a_dripped_body_times_out(hostile: HostileServer) -> None:
    started = time.monotonic()
    with pytest.raises(vivamo.APITimeoutError):
        hostile.client().customers.get("drip")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "case,cls",
    [
        ("nested", vivamo.DecodeError),
        ("utf8", vivamo.DecodeError),
        ("bigheader", vivamo.APIConnectionError),
        ("longer", vivamo.VivamoError),
        ("shorter", vivamo.DecodeError),
    ],
)
def test_malformed_answers_are_typed_errors(hostile: HostileServer, case: str,
                                            cls: Type[vivamo.VivamoError]) -> None:
    with pytest.raises(cls) as info:
        hostile.client().customers.get(case)
    assert info.value.kind in ("decode", "connection")
    assert len(str(info.value)) < 2000


