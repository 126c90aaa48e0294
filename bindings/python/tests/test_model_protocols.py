"""Every result class behaves like a Python value: pickle round trips to an equal object,
``copy.copy`` / ``copy.deepcopy`` work, ``to_dict()`` and ``to_json()`` agree."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any, Dict

import pytest

import vivamo
from vivamo import webhooks
from vivamo.testing import Sandbox

SECRET = "whsec_protocols"


def every_model() -> Dict[str, Any]:
    """One instance of each class, from a real sandbox."""
    with Sandbox() as sandbox, sandbox.client() as client:
        created = client.customers.create(
            "u1",
            {"email": "ada@example.com", "phone": "+14155552671", "first_name": "Ada",
             "country": "US"},
            verify_after_creation=True,
        )
        assert created.verification_links is not None
        ensured = client.customers.ensure("u2", {"email": "grace@example.com"})
        info = client.customers.kyc_info("u1")
        assert info.kyc_verification is not None and info.kyc_verification.data is not None
        customer = sandbox.set_kyc("u1", "under_review")
        page = client.customers.list()
        registered = client.webhooks.register(
            "http://127.0.0.1:9/hooks", headers={"x-pre-shared-key": "psk"}
        )
        webhook = client.webhooks.update(registered.id, event_types=["transaction"])
    report = vivamo.validate_customer({"email": "not-an-email"}, external_customer_id="u3")
    payment_body = json.dumps({
        "amount": "125.50", "status": "failed", "subStatus": "declined",
        "transactionType": "payment", "externalCustomerId": "u1",
        "externalPaymentIntentId": "order_1", "paymentIntentId": "pi_1",
    })
    payment_event = webhooks.parse(payment_body, webhooks.sign(payment_body, SECRET), SECRET)
    assert payment_event.payment is not None
    other_body = json.dumps({"event": "customer.updated", "nested": {"list": [1, "два", None]}})
    other_event = webhooks.parse(other_body, webhooks.sign(other_body, SECRET), SECRET)
    return {
        "Customer": customer,
        "CustomerData": customer.data,
        "KycVerification": customer.kyc_verifications[0],
        "VerificationLinks": created.verification_links,
        "CreatedCustomer": created,
        "EnsuredCustomer": ensured,
        "CustomerPage": page,
        "KycInfo": info,
        "KycVerificationInfo": info.kyc_verification,
        "KycLinks": info.kyc_verification.data,
        "Violation": report.errors[0],
        "ValidationReport": report,
        "PaymentResult": payment_event.payment,
        "WebhookEvent (payment_result)": payment_event,
        "WebhookEvent (other)": other_event,
        "RegisteredWebhook": registered,
        "Webhook": webhook,
    }


MODELS = every_model()


def test_every_public_model_is_covered() -> None:
    covered = {type(m).__name__ for m in MODELS.values()}
    public = {
        name for name in vivamo.__all__
        if isinstance(getattr(vivamo, name), type)
        and hasattr(getattr(vivamo, name), "to_dict")
    }
    assert public <= covered, public - covered


@pytest.mark.parametrize("name", list(MODELS))
def test_pickle_round_trip(name: str) -> None:
    model = MODELS[name]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(model, protocol=protocol))
        assert type(back) is type(model)
        assert back == model
        assert back.to_dict() == model.to_dict()
        assert repr(back) == repr(model)
        assert getattr(back, "_request_id", None) == getattr(model, "_request_id", None)


@pytest.mark.parametrize("name", list(MODELS))
def test_copy_and_deepcopy(name: str) -> None:
    model = MODELS[name]
    for copied in (copy.copy(model), copy.deepcopy(model)):
        assert type(copied) is type(model)
        assert copied == model
        assert copied.to_dict() == model.to_dict()


@pytest.mark.parametrize("name", list(MODELS))
def test_to_json_is_to_dict(name: str) -> None:
    model = MODELS[name]
    assert json.loads(model.to_json()) == model.to_dict()
    assert "\n" not in model.to_json(indent=None)
    assert model.to_json().startswith("{\n  ")


def test_the_request_id_of_a_response_survives_a_pickle() -> None:
    for name in ("CreatedCustomer", "EnsuredCustomer", "CustomerPage", "KycInfo"):
        model = MODELS[name]
        assert model._request_id, name
        assert pickle.loads(pickle.dumps(model))._request_id == model._request_id
        assert copy.deepcopy(model)._request_id == model._request_id


def test_unequal_models_stay_unequal() -> None:
    assert MODELS["Customer"] != MODELS["EnsuredCustomer"].customer
    assert MODELS["WebhookEvent (payment_result)"] != MODELS["WebhookEvent (other)"]


def test_deepcopy_of_an_event_copies_its_data() -> None:
    event = MODELS["WebhookEvent (other)"]
    copied = copy.deepcopy(event)
    assert copied.data == event.data and copied.data is not event.data


def test_a_corrupt_state_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a pickled vivamo object"):
        vivamo.Customer._from_state("{}")  # type: ignore[attr-defined]


def test_the_secret_survives_a_round_trip_but_not_repr() -> None:
    info: vivamo.KycVerificationInfo = MODELS["KycVerificationInfo"]
    back = pickle.loads(pickle.dumps(info))
    assert back.client_secret_key == info.client_secret_key
    secret = info.client_secret_key
    assert secret is not None and secret not in repr(back)

