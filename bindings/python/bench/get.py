"""Throughput of `customers.get`: vivamo vs httpx, sync (sequential) and async (64 in flight),
and the time of `python -c "import vivamo"`.

    VIVAMO_SANDBOX_BIN=target/debug/vivamo-sandbox python bench/get.py [--requests N] [--json]

Spawns one `vivamo-sandbox --port 0` (release build recommended), creates one customer, and
measures each client against it in the same run. Prints one line per figure (or JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from typing import Any, Dict

import httpx

import vivamo

KEY = "sk_test_vivamo_sandbox"
ID = "bench_user"


def spawn_sandbox() -> "tuple[subprocess.Popen[str], str]":
    binary = os.environ.get("VIVAMO_SANDBOX_BIN", "vivamo-sandbox")
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    return proc, line.split("listening on ", 1)[1]


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def bench_sync(base: str, n: int) -> Dict[str, float]:
    client = vivamo.Client(api_key=KEY, environment="sandbox", base_url=base)
    for _ in range(50):
        client.customers.get(ID)
    t = time.perf_counter()
    for _ in range(n):
        client.customers.get(ID)
    ours = rate(n, time.perf_counter() - t)

    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}) as h:
        for _ in range(50):
            h.get(f"/v1/customers/{ID}").raise_for_status()
        t = time.perf_counter()
        for _ in range(n):
            r = h.get(f"/v1/customers/{ID}")
            r.raise_for_status()
            r.json()
        theirs = rate(n, time.perf_counter() - t)
    return {"vivamo_sync_rps": ours, "httpx_sync_rps": theirs, "sync_ratio": ours / theirs}


async def bench_async(base: str, n: int, in_flight: int = 64) -> Dict[str, float]:
    async def run(get: Any) -> float:
        remaining = n

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await get()

        await asyncio.gather(*(worker() for _ in range(in_flight)))  # warm-up pass
        remaining = n
        t = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return rate(n, time.perf_counter() - t)

    aclient = vivamo.AsyncClient(api_key=KEY, environment="sandbox", base_url=base)
    ours = await run(lambda: aclient.customers.get(ID))
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {KEY}"},
                                 limits=limits) as h:
        async def hget() -> None:
            r = await h.get(f"/v1/customers/{ID}")
            r.raise_for_status()
            r.json()

        theirs = await run(hget)
    return {"vivamo_async_rps": ours, "httpx_async_rps": theirs, "async_ratio": ours / theirs}


def bench_import(runs: int = 7) -> Dict[str, float]:
    def best(code: str) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - t)
        return min(times) * 1000

    return {"import_vivamo_ms": best("import vivamo"), "python_startup_ms": best("pass")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    proc, base = spawn_sandbox()
    try:
        vivamo.Client(api_key=KEY, environment="sandbox", base_url=base).customers.ensure(
            ID, {"email": "bench@example.com"})
        results: Dict[str, float] = {}
        results.update(bench_sync(base, args.requests))
        results.update(asyncio.run(bench_async(base, args.requests * 2)))
        results.update(bench_import())
    finally:
        proc.kill()
        proc.wait()
    if args.json:
        print(json.dumps(results))
    else:
        for k, v in results.items():
            print(f"{k:20} {v:10.1f}")


if __name__ == "__main__":
    main()
