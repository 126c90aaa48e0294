"""A user's test suite, as it would be written: only ``vivamo`` and ``pytest`` installed, the
sandbox coming from the ``vivamo_sandbox`` / ``vivamo_client`` fixtures the package registers."""

import sys

import pytest

import vivamo
from vivamo.testing import Sandbox

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])

from signup import kyc_state, register_member  # noqa: E402


def test_register_member_normalizes_the_email(vivamo_client: vivamo.Client) -> None:
    assert register_member(vivamo_client, "m1", "  ada@Example.COM ") == "ada@example.com"
    assert vivamo_client.customers.get("m1").data.email == "ada@example.com"


def test_each_test_starts_with_no_customers(vivamo_client: vivamo.Client) -> None:
    with pytest.raises(vivamo.NotFoundError):
        vivamo_client.customers.get("m1")
    assert vivamo_client.customers.list().total == 0


def test_registering_twice_is_harmless(vivamo_client: vivamo.Client) -> None:
    register_member(vivamo_client, "m2", "grace@example.com")
    register_member(vivamo_client, "m2", "grace@example.com")
    assert vivamo_client.customers.list().total == 1


def test_a_taken_email_is_a_typed_error(vivamo_client: vivamo.Client) -> None:
    register_member(vivamo_client, "m3", "linus@example.com")
    with pytest.raises(vivamo.EmailAlreadyInUseError):
        register_member(vivamo_client, "m4", "linus@example.com")


def test_kyc_state_follows_the_review(vivamo_sandbox: Sandbox, vivamo_client: vivamo.Client) -> None:
    register_member(vivamo_client, "m5", "joan@example.com")
    assert kyc_state(vivamo_client, "m5") == "waiting"
    vivamo_sandbox.set_kyc("m5", "under_review")
    assert kyc_state(vivamo_client, "m5") == "needs_review"
    vivamo_client.customers.approve_kyc("m5")
    assert kyc_state(vivamo_client, "m5") == "approved"


def test_seeded_customers_are_listed(vivamo_sandbox: Sandbox, vivamo_client: vivamo.Client) -> None:
    vivamo_sandbox.seed(25)
    assert vivamo_client.customers.list(size=10).total == 25


@pytest.mark.vivamo_sandbox(mode="production")
def test_production_refuses_a_phone_that_is_not_mobile(vivamo_sandbox: Sandbox) -> None:
    # validation="off": the sandbox, not the client, refuses it, as Vivamo's production does.
    with vivamo_sandbox.client(validation="off") as client:
        with pytest.raises(vivamo.PhoneNotMobileError):
            register_member(client, "m6", "ada@example.com", phone="+15551234567")


def test_importing_vivamo_testing_does_not_import_pytest() -> None:
    import subprocess

    code = "import sys, vivamo, vivamo.testing; sys.exit(1 if 'pytest' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
