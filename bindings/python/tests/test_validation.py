"""The shared vectors of testdata/validation.json through vivamo.validate_customer."""

from __future__ import annotations

import collections
import json
import pathlib
from typing import Any, Dict, List

import pytest

import vivamo

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "testdata" / "validation.json"
CASES: List[Dict[str, Any]] = json.loads(VECTORS.read_text())["cases"]


def pairs(vs: List[Any]) -> "collections.Counter[tuple[str, str]]":
    return collections.Counter((v["field"], v["code"]) for v in vs)


def test_there_are_vectors() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: Dict[str, Any]) -> None:
    report = vivamo.validate_customer(
        case["input"], environment=case["environment"], operation=case["operation"]
    )
    expected = case["expected"]
    assert report.normalized == expected["normalized"]
    assert pairs([v.to_dict() for v in report.errors]) == pairs(expected.get("errors", []))
    assert pairs([v.to_dict() for v in report.warnings]) == pairs(expected.get("warnings", []))
    for want in expected.get("errors", []) + expected.get("warnings", []):
        if "message" in want:
            assert any(v.message == want["message"] for v in report.errors + report.warnings)


def test_data_dict_with_keyword_id() -> None:
    r = vivamo.validate_customer({"email": " Jane@Example.com ", "first_name": "Jane"},
                                 external_customer_id="u1")
    assert r.normalized == {"externalCustomerId": "u1",
                            "data": {"email": "Jane@example.com", "firstName": "Jane"}}
    assert r.errors == [] and r.is_valid


def test_data_dict_alone_gets_every_data_rule_but_no_id_check() -> None:
    # Same semantics as Node's validateCustomer({ email, phone }): vivamo_rules::validate_create_data.
    r = vivamo.validate_customer({"email": "x@mailinator.com", "phone": "12"})
    assert pairs([v.to_dict() for v in r.errors]) == pairs(
        [{"field": "data.email", "code": "disposable_email"},
         {"field": "data.phone", "code": "invalid_phone"}])
    missing = vivamo.validate_customer({"phone": "+14155552671"})
    assert [(v.field, v.code) for v in missing.errors] == [("data.email", "missing_field")]
    whole = vivamo.validate_customer({"data": {"email": "jane@example.com"}})
    assert [(v.field, v.code) for v in whole.errors] == [("externalCustomerId", "missing_field")]


def test_unknown_keys_and_bad_arguments() -> None:
    with pytest.raises(vivamo.ValidationError) as info:
        vivamo.validate_customer({"data": {"emial": "x"}})
    assert info.value.violations[0].field == "data.emial"
    with pytest.raises(vivamo.ValidationError):
        vivamo.validate_customer({"data": {}, "extra": 1})
    with pytest.raises(vivamo.ConfigError):
        vivamo.validate_customer({}, environment="staging")  # type: ignore[arg-type]
    with pytest.raises(vivamo.ConfigError):
        vivamo.validate_customer({}, operation="delete")  # type: ignore[arg-type]


def test_normalize_phone() -> None:
    assert vivamo.normalize_phone("(415) 555-2671") == "+14155552671"
    with pytest.raises(vivamo.ValidationError) as info:
        vivamo.normalize_phone("12")
    assert info.value.violations[0].field == "data.phone"
