"""Concurrency, the GIL released while waiting, fork safety."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List

import vivamo
from conftest import Sandbox, email, uid


def test_64_concurrent_calls_from_threads(sandbox: Sandbox) -> None:
    client = sandbox.client()
    ids = [uid() for _ in range(64)]
    with ThreadPoolExecutor(64) as pool:
        created = list(pool.map(lambda i: client.customers.create(i, {"email": email(i)}), ids))
        got = list(pool.map(client.customers.get, ids))
    assert [c.customer.external_customer_id for c in created] == ids
    assert [c.external_customer_id for c in got] == ids


def test_64_concurrent_calls_from_asyncio(sandbox: Sandbox) -> None:
    ids = [uid() for _ in range(64)]

    async def main() -> List[vivamo.Customer]:
        async with sandbox.async_client() as aclient:
            await asyncio.gather(*(aclient.customers.create(i, {"email": email(i)}) for i in ids))
            return await asyncio.gather(*(aclient.customers.get(i) for i in ids))

    got = asyncio.run(main())
    assert [c.external_customer_id for c in got] == ids


def test_the_gil_is_released_while_waiting(spawn: Callable[..., Sandbox]) -> None:
    s = spawn("--latency-ms", "300")
    client = s.client()
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=spin)
    t.start()
    while ticks == 0:  # the spinning thread has started
        time.sleep(0.001)
    before = ticks
    started = time.monotonic()
    page = client.customers.list()
    elapsed = time.monotonic() - started
    during = ticks - before
    stop.set()
    t.join()
    assert page.total == 0
    assert elapsed >= 0.3
    # With the GIL held for 300 ms the spinning thread could not count at all.
    assert during > 10_000, during


def test_async_calls_do_not_block_the_event_loop(spawn: Callable[..., Sandbox]) -> None:
    s = spawn("--latency-ms", "300")

    async def main() -> int:
        aclient = s.async_client()
        beats = 0

        async def heartbeat() -> None:
            nonlocal beats
            while True:
                await asyncio.sleep(0.01)
                beats += 1

        hb = asyncio.ensure_future(heartbeat())
        await aclient.customers.list()
        hb.cancel()
        return beats

    assert asyncio.run(main()) >= 10


def test_a_client_created_before_fork_works_in_the_child(sandbox: Sandbox) -> None:
    client = sandbox.client()
    id = uid()
    client.customers.create(id, {"email": email(id)})  # the runtime and pool exist pre-fork
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            signal.alarm(20)
            ok = client.customers.get(id).external_customer_id == id
            child_id = uid()
            client.customers.create(child_id, {"email": email(child_id)})
            code = 0 if ok else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    # The parent's client still works after the fork.
    assert client.customers.get(id).external_customer_id == id


def test_repr_never_shows_the_key(sandbox: Sandbox) -> None:
    client = sandbox.client()
    aclient = sandbox.async_client()
    for shown in (repr(client), str(client), repr(aclient), repr(client.customers), repr(aclient.customers)):
        assert sandbox.api_key not in shown
        assert "sk_" not in shown
    assert "environment='sandbox'" in repr(client)
