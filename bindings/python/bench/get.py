"""Throughput of `customers.get`: vivamo against httpx, sync (sequential) and async (64 in
flight), in alternating rounds (A B A B ...) after a warm-up. The sync round also runs
Python's own `http.client` on one keep-alive connection and a raw keep-alive socket round trip
(the floor: `sendall` the request, `recv` until the whole response is in, no parsing).

    VIVAMO_BASE_URL=... VIVAMO_API_KEY=... python bench/get.py   # as `cargo xtask bench` runs it
    VIVAMO_SANDBOX_BIN=target/release/vivamo-sandbox python bench/get.py   # its own sandbox

VIVAMO_BENCH_QUICK=1 runs briefly; VIVAMO_BENCH_SYNC_ONLY=1 skips the async pair. The last line
printed is a JSON object for the harness.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import subprocess
import time
import urllib.parse
from typing import Any, Awaitable, Callable, Dict, List

import httpx

import vivamo

QUICK = bool(os.environ.get("VIVAMO_BENCH_QUICK"))
SYNC_ONLY = bool(os.environ.get("VIVAMO_BENCH_SYNC_ONLY"))
ROUNDS = 2 if QUICK else 7
SYNC_N = 300 if QUICK else 2000
ASYNC_N = 1000 if QUICK else 5000
IN_FLIGHT = 64
ID = os.environ.get("VIVAMO_BENCH_ID", "bench_user")


def stats(xs: List[float]) -> Dict[str, float]:
    s = sorted(xs)
    return {"median": s[len(s) // 2], "min": s[0], "max": s[-1]}


def sync_rate(get: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        get()
    return n / (time.perf_counter() - start)


async def async_rate(get: Callable[[], Awaitable[Any]], n: int) -> float:
    remaining = n

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await get()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return n / (time.perf_counter() - start)


class RawSocket:
    """One keep-alive connection driven by hand: the least work a round trip can take."""

    def __init__(self, base: str, key: str) -> None:
        url = urllib.parse.urlsplit(base)
        host, port = url.hostname or "127.0.0.1", url.port or 80
        self.address = (host, port)
        self.connect()
        self.request = (
            f"GET /v1/customers/{ID} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {key}\r\nAccept: application/json\r\n\r\n"
        ).encode()

    def connect(self) -> None:
        self.sock = socket.create_connection(self.address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def get(self) -> bytes:
        try:
            return self.round_trip()
        except ConnectionError:
            # The server closed the idle connection between rounds: reconnect, as every
            # client does.
            self.sock.close()
            self.connect()
            return self.round_trip()

    def round_trip(self) -> bytes:
        self.sock.sendall(self.request)
        data = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the sandbox closed the connection")
            data += chunk
            end = data.find(b"\r\n\r\n")
            if end < 0:
                continue
            head = data[:end].lower()
            at = head.find(b"content-length:")
            if at < 0:
                raise ValueError("no content-length in the response")
            length = int(head[at + 15 :].split(b"\r\n", 1)[0])
            if len(data) >= end + 4 + length:
                if not data.startswith(b"HTTP/1.1 200"):
                    raise ValueError(data[:64])
                return data

    def close(self) -> None:
        self.sock.close()


def bench_sync(base: str, key: str) -> Dict[str, Any]:
    """vivamo, httpx, http.client and a raw socket, alternating, each on one connection."""
    client = vivamo.Client(api_key=key, environment="sandbox", base_url=base)
    headers = {"Authorization": f"Bearer {key}"}
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80)
    raw = RawSocket(base, key)
    path = f"/v1/customers/{ID}"
    with httpx.Client(base_url=base, headers=headers) as h:

        def via_httpx() -> Any:
            r = h.get(path)
            r.raise_for_status()
            return r.json()

        def via_http_client() -> Any:
            try:
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
            except ConnectionError:  # an idle connection closed between rounds: reconnect
                conn.close()
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise ValueError(r.status)
            return json.loads(body)

        def via_vivamo() -> Any:
            return client.customers.get(ID)

        clients = {
            "vivamo": via_vivamo,
            "httpx": via_httpx,
            "http_client": via_http_client,
            "raw_socket": raw.get,
        }
        for get in clients.values():
            sync_rate(get, 200)  # warm-up: connections, caches
        rates: Dict[str, List[float]] = {name: [] for name in clients}
        for _ in range(ROUNDS):
            for name, get in clients.items():
                rates[name].append(sync_rate(get, SYNC_N))
    conn.close()
    raw.close()
    a = stats(rates["vivamo"])
    return {
        name: {"a": a, "b": stats(rates[other]), "unit": "req/s"}
        for name, other in [
            ("sync", "httpx"),
            ("sync_http_client", "http_client"),
            ("sync_raw_socket", "raw_socket"),
        ]
    }


async def bench_async(base: str, key: str) -> Dict[str, Any]:
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    headers = {"Authorization": f"Bearer {key}"}
    async with vivamo.AsyncClient(api_key=key, environment="sandbox", base_url=base) as aclient:
        async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as h:

            async def via_httpx() -> Any:
                r = await h.get(f"/v1/customers/{ID}")
                r.raise_for_status()
                return r.json()

            async def via_vivamo() -> Any:
                return await aclient.customers.get(ID)

            await async_rate(via_vivamo, 500)  # warm-up
            await async_rate(via_httpx, 500)
            a: List[float] = []
            b: List[float] = []
            for _ in range(ROUNDS):
                a.append(await async_rate(via_vivamo, ASYNC_N))
                b.append(await async_rate(via_httpx, ASYNC_N))
    return {"a": stats(a), "b": stats(b), "unit": "req/s"}


def main() -> None:
    base = os.environ.get("VIVAMO_BASE_URL")
    key = os.environ.get("VIVAMO_API_KEY")
    proc = None
    if not base or not key:
        binary = os.environ.get("VIVAMO_SANDBOX_BIN", "vivamo-sandbox")
        proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        base = proc.stdout.readline().strip().split("listening on ", 1)[1]
        key = "sk_test_vivamo_sandbox"
    try:
        client = vivamo.Client(api_key=key, environment="sandbox", base_url=base)
        client.customers.ensure(
            external_customer_id=ID, data={"email": "bench@example.com", "phone": "4155552671"}
        )
        result = bench_sync(base, key)
        if not SYNC_ONLY:
            result["async"] = asyncio.run(bench_async(base, key))
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
    for name, r in result.items():
        a, b = r["a"]["median"], r["b"]["median"]
        print(f"get, {name}: vivamo {a:,.0f}/s, baseline {b:,.0f}/s (x{a / b:.2f})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
