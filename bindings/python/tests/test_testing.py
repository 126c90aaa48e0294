"""`vivamo.testing.Sandbox`, the in-process sandbox, and the pytest plugin's fixtures."""

from __future__ import annotations

import subprocess
import sys

import pytest

import vivamo
from vivamo.testing import Sandbox


def test_defaults_and_a_client() -> None:
    with Sandbox() as sandbox:
        assert sandbox.url.startswith("http://127.0.0.1:")
        assert sandbox.api_key == "sk_test_vivamo_sandbox"
        assert sandbox.api_keys == [sandbox.api_key]
        assert sandbox.mode == "test"
        assert sandbox.api_key not in repr(sandbox)
        with sandbox.client() as client:
            assert client.base_url == sandbox.url
            assert client.environment == "sandbox"
            created = client.customers.create("u1", {"email": "ada@example.com"})
            assert created.customer.external_customer_id == "u1"
            assert client.customers.get("u1").data.email == "ada@example.com"


def test_reset_seed_and_set_kyc() -> None:
    with Sandbox() as sandbox, sandbox.client() as client:
        seeded = sandbox.seed(3, prefix="s_")
        assert seeded == {
            "created": 3,
            "total": 3,
            "firstExternalCustomerId": "s_0",
            "lastExternalCustomerId": "s_2",
        }
        assert client.customers.list().total == 3
        customer = sandbox.set_kyc("s_2", "under_review")
        assert isinstance(customer, vivamo.Customer)
        assert [k.status for k in customer.kyc_verifications] == ["under_review"]
        assert [c.external_customer_id for c in client.customers.kyc_for_review()] == ["s_2"]
        sandbox.set_kyc("s_1", "under_review", attempted=False)
        with pytest.raises(vivamo.KycNotAttemptedError):
            client.customers.approve_kyc("s_1")
        assert sandbox.reset() == 3
        assert client.customers.list().total == 0


def test_control_errors_name_the_problem() -> None:
    with Sandbox(api_keys=["sk_a", "sk_b"]) as sandbox:
        assert sandbox.api_keys == ["sk_a", "sk_b"]
        with pytest.raises(ValueError, match="missing.*not found"):
            sandbox.set_kyc("missing", "verified")
        with pytest.raises(ValueError, match="unknown API key"):
            sandbox.seed(1, api_key="sk_c")
        with pytest.raises(ValueError, match="count"):
            sandbox.seed(2_000_000)
        sandbox.seed(2, api_key="sk_b")
        with sandbox.client() as a, sandbox.client(api_key="sk_b") as b:
            assert a.customers.list().total == 0
            assert b.customers.list().total == 2


def test_production_mode_and_faults() -> None:
    with Sandbox(mode="production", fail_rate=1.0, seed=7) as sandbox:
        assert sandbox.mode == "production"
        with sandbox.client(max_retries=0) as client:
            assert client.environment == "production"
            with pytest.raises(vivamo.InternalServerError):
                client.customers.list()


def test_rate_limit() -> None:
    with Sandbox(rate_limit=1) as sandbox, sandbox.client(max_retries=0) as client:
        with pytest.raises(vivamo.RateLimitError):
            for _ in range(20):
                client.customers.list()


def test_bad_options_are_config_errors() -> None:
    with pytest.raises(vivamo.ConfigError, match="mode"):
        Sandbox(mode="staging")  # type: ignore[arg-type]
    with pytest.raises(vivamo.ConfigError, match="fail_rate"):
        Sandbox(fail_rate=2.0)


def test_close_is_idempotent_and_stops_the_server() -> None:
    sandbox = Sandbox()
    with sandbox.client(max_retries=0, timeout=5) as client:
        client.customers.list()
        sandbox.close()
        sandbox.close()
        with pytest.raises(vivamo.APIConnectionError):
            client.customers.list()


async def _async_roundtrip(sandbox: Sandbox) -> str:
    async with sandbox.async_client() as client:
        await client.customers.create("a1", {"email": "async@example.com"})
        return (await client.customers.get("a1")).data.email


def test_async_client() -> None:
    import asyncio

    with Sandbox() as sandbox:
        assert asyncio.run(_async_roundtrip(sandbox)) == "async@example.com"


def test_fixtures_reset_between_tests_first(vivamo_client: vivamo.Client) -> None:
    vivamo_client.customers.create("f1", {"email": "fixture@example.com"})
    assert vivamo_client.customers.list().total == 1


def test_fixtures_reset_between_tests_second(
    vivamo_sandbox: Sandbox, vivamo_client: vivamo.Client
) -> None:
    assert vivamo_client.customers.list().total == 0
    assert vivamo_client.base_url == vivamo_sandbox.url


@pytest.mark.vivamo_sandbox(mode="production", api_keys=["sk_marked"])
def test_marker_gives_an_own_sandbox(vivamo_sandbox: Sandbox) -> None:
    assert vivamo_sandbox.mode == "production"
    assert vivamo_sandbox.api_key == "sk_marked"


def test_importing_vivamo_testing_does_not_import_pytest() -> None:
    code = (
        "import sys, vivamo, vivamo.testing\n"
        "assert 'pytest' not in sys.modules, 'pytest imported'\n"
        "assert 'vivamo.testing.pytest_plugin' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_running_sandbox_at_exit_neither_crashes_nor_hangs() -> None:
    code = (
        "from vivamo.testing import Sandbox\n"
        "s = Sandbox()\n"
        "c = s.client()\n"
        "c.customers.create('x1', {'email': 'exit@example.com'})\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
