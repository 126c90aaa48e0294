"""The pytest plugin of ``vivamo`` (registered through the ``pytest11`` entry point).

Fixtures:

- ``vivamo_sandbox``: a running ``vivamo.testing.Sandbox`` with no customers. One sandbox
  serves the whole session and is reset before each test; a test marked
  ``@pytest.mark.vivamo_sandbox(mode="production", fail_rate=0.2, ...)`` gets its own sandbox
  with those ``Sandbox`` arguments instead.
- ``vivamo_client``: a ``vivamo.Client`` connected to ``vivamo_sandbox``.
"""

from typing import Iterator

import pytest

from vivamo import Client
from vivamo.testing import Sandbox


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "vivamo_sandbox(**kwargs): give this test its own vivamo.testing.Sandbox(**kwargs)",
    )


@pytest.fixture(scope="session")
def _vivamo_session_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def vivamo_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A running sandbox with no customers (see the module's documentation)."""
    marker = request.node.get_closest_marker("vivamo_sandbox")
    if marker is not None:
        with Sandbox(*marker.args, **marker.kwargs) as own:
            yield own
        return
    shared: Sandbox = request.getfixturevalue("_vivamo_session_sandbox")
    shared.reset()
    yield shared


@pytest.fixture
def vivamo_client(vivamo_sandbox: Sandbox) -> Iterator[Client]:
    """A ``vivamo.Client`` for ``vivamo_sandbox``."""
    with vivamo_sandbox.client() as client:
        yield client
