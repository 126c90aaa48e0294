"""KYC against the real sandbox, sync and async: kyc_info, kyc_for_review, approve_kyc,
reject_kyc and every refusal as its exception class."""

from __future__ import annotations

import asyncio
import re

import pytest

import vivamo
from conftest import Sandbox, email, uid


def _customer(sandbox: Sandbox, client: vivamo.Client) -> str:
    id = uid("kyc")
    client.customers.create(id, {"email": email(id)})
    return id


def _force(sandbox: Sandbox, id: str, **body: object) -> None:
    sandbox.control(f"/__sandbox/customers/{id}/kyc", body)


def test_kyc_info_starts_a_pending_verification(sandbox: Sandbox) -> None:
    client = sandbox.client()
    id = _customer(sandbox, client)
    info = client.customers.kyc_info(id)
    assert info.external_customer_id == id
    v = info.kyc_verification
    assert v is not None
    assert (v.verification_type, v.status) == ("proof_of_id", "pending")
    assert v.verified_at.tzinfo is not None
    assert v.client_secret_key is not None and re.fullmatch(r"cs_ki_[0-9a-f]+", v.client_secret_key)
    assert v.client_secret_key not in repr(info), "repr redacts the secret"
    assert v.data is not None and (v.data.url or "").startswith("https://")
    _force(sandbox, id, status="verified")
    decided = client.customers.kyc_info(id).kyc_verification
    assert decided is not None
    assert (decided.status, decided.client_secret_key, decided.data) == ("verified", None, None)


def test_review_queue_approve_and_reject(spawn) -> None:  # type: ignore[no-untyped-def]
    sandbox = spawn()
    client = sandbox.client()
    a, b = _customer(sandbox, client), _customer(sandbox, client)
    assert client.customers.kyc_for_review() == []
    _force(sandbox, b, status="under_review")
    _force(sandbox, a, status="under_review")
    queue = client.customers.kyc_for_review()
    assert [c.external_customer_id for c in queue] == [a, b]
    assert isinstance(client.customers.approve_kyc(a), str)
    assert isinstance(client.customers.reject_kyc(b, type="proof_of_id"), str)

    def status(id: str) -> str:
        v = client.customers.kyc_info(id).kyc_verification
        assert v is not None
        return v.status

    assert (status(a), status(b)) == ("verified_manually", "rejected_manually")
    assert client.customers.kyc_for_review() == []


def test_refusals_are_typed(sandbox: Sandbox) -> None:
    client = sandbox.client()
    id = _customer(sandbox, client)
    with pytest.raises(vivamo.KycNotUnderReviewError) as e:
        client.customers.approve_kyc(id)
    assert e.value.kind == "kyc_not_under_review" and e.value.status_code == 400
    assert isinstance(e.value, vivamo.BadRequestError)
    _force(sandbox, id, status="under_review", attempted=False)
    with pytest.raises(vivamo.KycNotAttemptedError, match="reject it or wait") as na:
        client.customers.approve_kyc(id)
    assert na.value.kind == "kyc_not_attempted" and na.value.status_code == 400
    assert isinstance(na.value, vivamo.BadRequestError)
    with pytest.raises(vivamo.BadRequestError, match="type must be one of the following values: proof_of_id"):
        client.customers.reject_kyc(id, "selfie")
    with pytest.raises(vivamo.ValidationError) as v:
        client.customers.reject_kyc(id, "")
    assert v.value.violations[0].field == "type"
    with pytest.raises(vivamo.NotFoundError):
        client.customers.kyc_info("nobody_" + id)
    with pytest.raises(vivamo.NotFoundError):
        client.customers.approve_kyc("nobody_" + id)
    with pytest.raises(TypeError):
        client.customers.kyc_info(42)  # type: ignore[arg-type]
    assert isinstance(client.customers.reject_kyc(id), str)


def test_async_kyc(sandbox: Sandbox) -> None:
    id = _customer(sandbox, sandbox.client())

    async def main() -> None:
        async with sandbox.async_client() as aclient:
            info = await aclient.customers.kyc_info(id)
            assert info.kyc_verification is not None
            assert info.kyc_verification.status == "pending"
            _force(sandbox, id, status="under_review")
            queue = await aclient.customers.kyc_for_review()
            assert id in [c.external_customer_id for c in queue]
            assert isinstance(await aclient.customers.approve_kyc(id), str)
            with pytest.raises(vivamo.KycNotUnderReviewError):
                await aclient.customers.reject_kyc(id)
            after = await aclient.customers.kyc_info(id)
            assert after.kyc_verification is not None
            assert after.kyc_verification.status == "verified_manually"

    asyncio.run(main())
