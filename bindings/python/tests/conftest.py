"""Fixtures: the real `vivamo-sandbox` binary (path from VIVAMO_SANDBOX_BIN), spawned with
`--port 0`, its URL read from its first stdout line."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from typing import Callable, Iterator, List

import pytest

import vivamo
from receivers import Receiver

KEY = "sk_test_vivamo_sandbox"


class Sandbox:
    def __init__(self, *args: str) -> None:
        binary = os.environ.get("VIVAMO_SANDBOX_BIN")
        if not binary:
            raise RuntimeError("VIVAMO_SANDBOX_BIN is not set (cargo xtask test-python sets it)")
        self.proc = subprocess.Popen(
            [binary, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.proc.kill()
            raise RuntimeError(f"unexpected first line from the sandbox: {line!r}")
        self.base_url = line[len(prefix):]
        self.api_key = KEY

    def client(self, **options: object) -> vivamo.Client:
        options.setdefault("api_key", self.api_key)
        options.setdefault("environment", "sandbox")
        options.setdefault("base_url", self.base_url)
        return vivamo.Client(**options)  # type: ignore[arg-type]

    def async_client(self, **options: object) -> vivamo.AsyncClient:
        options.setdefault("api_key", self.api_key)
        options.setdefault("environment", "sandbox")
        options.setdefault("base_url", self.base_url)
        return vivamo.AsyncClient(**options)  # type: ignore[arg-type]

    def control(self, path: str, body: object) -> object:
        req = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read().decode()
            return json.loads(text) if text else None

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    s = Sandbox()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def prod_sandbox() -> Iterator[Sandbox]:
    s = Sandbox("--mode", "production")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def failing() -> Iterator[Sandbox]:
    """A sandbox whose every request fails with a 500 (one per test module)."""
    s = Sandbox("--fail-rate", "1")
    yield s
    s.stop()


@pytest.fixture
def spawn() -> Iterator[Callable[..., Sandbox]]:
    started: List[Sandbox] = []

    def start(*args: str) -> Sandbox:
        s = Sandbox(*args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def uid(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def email(id: str) -> str:
    return f"{id}@example.com"


@pytest.fixture
def receiver_of() -> Iterator[Callable[[List[int]], Receiver]]:
    started: List[Receiver] = []

    def start(statuses: List[int]) -> Receiver:
        r = Receiver(statuses)
        started.append(r)
        return r

    yield start
    for r in started:
        r.close()
