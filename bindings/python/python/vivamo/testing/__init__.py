"""Test your code against a local Vivamo: the Rust sandbox, served in this process.

``Sandbox()`` starts the same sandbox the Rust SDK tests against on a free loopback port (no
subprocess, no Rust toolchain): customers live in memory, Vivamo's rules and errors apply, and
faults can be injected. Use it as a context manager, or through the pytest fixtures
``vivamo_sandbox`` and ``vivamo_client`` that this package registers with pytest::

    from vivamo.testing import Sandbox

    with Sandbox() as sandbox, sandbox.client() as client:
        client.customers.create("user_1", {"email": "ada@example.com"})
        sandbox.set_kyc("user_1", "under_review")
        sandbox.reset()

Importing this module does not import pytest; the fixtures live in
``vivamo.testing.pytest_plugin``, which only pytest loads.
"""

from vivamo._native import Sandbox

__all__ = ["Sandbox"]
