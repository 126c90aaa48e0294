"""Throughput of `customers.get`: vivamo against httpx, sync (sequential) and async (64 in
flight), in alternating rounds (A B A B ...) after a warm-up.

    VIVAMO_BASE_URL=... VIVAMO_API_KEY=... python bench/get.py   # as `cargo xtask bench` runs it
    VIVAMO_SANDBOX_BIN=target/release/vivamo-sandbox python bench/get.py   # its own sandbox

VIVAMO_BENCH_QUICK=1 runs briefly. The last line printed is a JSON object for the harness.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from typing import Any, Awaitable, Callable, Dict, List

import httpx

import vivamo

QUICK = bool(os.environ.get("VIVAMO_BENCH_QUICK"))
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


def bench_sync(base: str, key: str) -> Dict[str, Any]:
    client = vivamo.Client(api_key=key, environment="sandbox", base_url=base)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=headers) as h:

        def via_httpx() -> Any:
            r = h.get(f"/v1/customers/{ID}")
            r.raise_for_status()
            return r.json()

        def via_vivamo() -> Any:
            return client.customers.get(ID)

        sync_rate(via_vivamo, 200)  # warm-up: connections, caches
        sync_rate(via_httpx, 200)
        a: List[float] = []
        b: List[float] = []
        for _ in range(ROUNDS):
            a.append(sync_rate(via_vivamo, SYNC_N))
            b.append(sync_rate(via_httpx, SYNC_N))
    return {"a": stats(a), "b": stats(b), "unit": "req/s"}


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
        result = {"sync": bench_sync(base, key), "async": asyncio.run(bench_async(base, key))}
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
    for name, r in result.items():
        a, b = r["a"]["median"], r["b"]["median"]
        print(f"get, {name}: vivamo {a:,.0f}/s, httpx {b:,.0f}/s (x{a / b:.2f})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
