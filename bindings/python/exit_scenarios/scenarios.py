"""Ways a Python program using vivamo ends, one per process: `cargo xtask test` runs each many
times against a sandbox with latency (so calls are in flight at exit) and checks the exit
status, that stderr holds nothing unexpected and that exit takes no longer than its bound.

Usage: python scenarios.py SCENARIO BASE_URL (the API key is the sandbox default's). Each
scenario prints `exiting <unix time>` just before the program starts to end, so the runner can
measure how long the exit itself takes. `setup` creates the customer the others read.

Not a pytest module (it lives outside `tests/`): it only makes sense as separate processes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from typing import Callable, Dict, List

import vivamo

import logging

KEY = "sk_test_vivamo_sandbox"
CUSTOMER = "exit_s1"


class Kept(logging.Handler):
    """Formats and keeps every record: the clients log at `debug`, so each attempt calls into
    `logging` from a runtime thread, up to the moment the interpreter exits."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


LOGGER = logging.getLogger("vivamo")
LOGGER.addHandler(Kept())
LOGGER.setLevel(logging.DEBUG)
LOGGER.propagate = False


# The event hooks are called from the same threads as the log sink, up to exit too.
EVENTS: List[object] = []


def exiting() -> None:
    print(f"exiting {time.time():.6f}", flush=True)


def sync_client(url: str) -> vivamo.Client:
    return vivamo.Client(
        api_key=KEY, environment="sandbox", base_url=url, log_level="debug",
        on_request=EVENTS.append, on_response=EVENTS.append,
    )


def async_client(url: str) -> vivamo.AsyncClient:
    return vivamo.AsyncClient(
        api_key=KEY, environment="sandbox", base_url=url, log_level="debug",
        on_request=EVENTS.append, on_response=EVENTS.append,
    )


def setup(url: str) -> None:
    client = sync_client(url)
    client.customers.ensure(CUSTOMER, {"email": "exit@example.com"})
    client.close()


def async_open(url: str) -> None:
    """The script of issue 16: an AsyncClient never closed, 16 gets, end of script."""
    a = async_client(url)

    async def main() -> None:
        await asyncio.gather(*[a.customers.get(CUSTOMER) for _ in range(16)])

    asyncio.run(main())
    exiting()


def async_closed(url: str) -> None:
    """`async with`, 64 gets and an `async for` over list_all, end of script."""

    async def main() -> None:
        async with async_client(url) as a:
            await asyncio.gather(*[a.customers.get(CUSTOMER) for _ in range(64)])
            async for _ in a.customers.list_all(size=2):
                pass

    asyncio.run(main())
    exiting()


async def get(a: vivamo.AsyncClient) -> None:
    await a.customers.get(CUSTOMER)


def async_pending(url: str) -> None:
    """`asyncio.run` returns while vivamo calls are still pending: its shutdown cancels them."""
    a = async_client(url)

    async def main() -> None:
        for _ in range(32):
            asyncio.ensure_future(get(a))
        await asyncio.sleep(0.002)

    asyncio.run(main())
    exiting()


def sync_open(url: str) -> None:
    """A Client used from a few threads and never closed, plus one closed by `with`."""
    client = sync_client(url)
    threads = [
        threading.Thread(target=client.customers.get, args=(CUSTOMER,)) for _ in range(8)
    ]
    for t in threads:
        t.start()
    with sync_client(url) as closed:
        closed.customers.get(CUSTOMER)
    for t in threads:
        t.join()
    exiting()


def loop_calls(client: vivamo.Client, calls: int) -> None:
    for _ in range(calls):
        client.customers.get(CUSTOMER)


def sys_exit_in_flight(url: str) -> None:
    """`sys.exit(3)` from the main thread while daemon threads are inside blocking calls
    (forever) and other threads finish theirs; an asyncio call is in flight too."""
    client = sync_client(url)
    for _ in range(4):
        threading.Thread(target=loop_calls, args=(client, 1_000_000), daemon=True).start()
    for _ in range(2):
        threading.Thread(target=loop_calls, args=(client, 3)).start()
    a = async_client(url)

    def run_async() -> None:
        async def forever() -> None:
            while True:
                await a.customers.get(CUSTOMER)

        asyncio.run(forever())

    threading.Thread(target=run_async, daemon=True).start()
    time.sleep(0.03)
    exiting()
    sys.exit(3)


KEEP: List[object] = []


def sandbox_open(url: str) -> None:
    """An in-process `vivamo.testing.Sandbox` (with latency) never closed, daemon threads in
    blocking calls to it and an asyncio call in flight, end of script."""
    from vivamo.testing import Sandbox

    sandbox = Sandbox(latency_ms=5)
    KEEP.append(sandbox)  # alive until the interpreter exits, not until this function returns
    client = sandbox.client()
    client.customers.ensure(CUSTOMER, {"email": "exit@example.com"})
    for _ in range(4):
        threading.Thread(target=loop_calls, args=(client, 1_000_000), daemon=True).start()
    a = sandbox.async_client()

    def run_async() -> None:
        async def forever() -> None:
            while True:
                await a.customers.get(CUSTOMER)

        asyncio.run(forever())

    threading.Thread(target=run_async, daemon=True).start()
    time.sleep(0.03)
    exiting()


class ScenarioError(Exception):
    pass


def unhandled(url: str) -> None:
    """An unhandled exception while sync and async calls are in flight: exit status 1."""
    client = sync_client(url)
    threading.Thread(target=loop_calls, args=(client, 1_000_000), daemon=True).start()
    a = async_client(url)

    async def main() -> None:
        for _ in range(16):
            asyncio.ensure_future(get(a))
        await asyncio.sleep(0.003)
        exiting()
        raise ScenarioError("deliberate")

    asyncio.run(main())


def sigterm(url: str) -> None:
    """SIGTERM with the default handler while calls are in flight: killed by the signal."""
    client = sync_client(url)
    for _ in range(4):
        threading.Thread(target=loop_calls, args=(client, 1_000_000), daemon=True).start()
    a = async_client(url)

    async def main() -> None:
        for _ in range(16):
            asyncio.ensure_future(get(a))
        await asyncio.sleep(0.003)
        exiting()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(10)

    asyncio.run(main())


def fork_child_exit(url: str) -> None:
    """`os._exit` in forked children (one after a call of its own, one at once) while the
    parent's calls are in flight; the parent then ends normally."""
    client = sync_client(url)
    for _ in range(2):
        threading.Thread(target=loop_calls, args=(client, 1_000_000), daemon=True).start()
    client.customers.get(CUSTOMER)
    statuses = []
    for call_first in (True, False):
        pid = os.fork()
        if pid == 0:
            if call_first:
                client.customers.get(CUSTOMER)
            os._exit(7)
        statuses.append(os.waitpid(pid, 0)[1])
    if statuses != [7 << 8, 7 << 8]:
        raise SystemExit(f"forked children ended with wait statuses {statuses}, wanted 7")
    exiting()


SCENARIOS: Dict[str, Callable[[str], None]] = {
    "setup": setup,
    "async_open": async_open,
    "async_closed": async_closed,
    "async_pending": async_pending,
    "sync_open": sync_open,
    "sys_exit_in_flight": sys_exit_in_flight,
    "unhandled": unhandled,
    "sigterm": sigterm,
    "fork_child_exit": fork_child_exit,
    "sandbox_open": sandbox_open,
}


def main(argv: List[str]) -> None:
    if len(argv) != 3 or argv[1] not in SCENARIOS:
        raise SystemExit(f"usage: {argv[0]} {{{','.join(SCENARIOS)}}} BASE_URL")
    SCENARIOS[argv[1]](argv[2])


if __name__ == "__main__":
    main(sys.argv)
