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


INPUT_VECTORS = VECTORS.with_name("validate_customer.json")
INPUT_CASES: List[Dict[str, Any]] = json.loads(INPUT_VECTORS.read_text())["cases"]


@pytest.mark.parametrize("case", INPUT_CASES, ids=[c["name"] for c in INPUT_CASES])
def test_input_vector(case: Dict[str, Any]) -> None:
    call = lambda: vivamo.validate_customer(  # noqa: E731
        case["input"], environment=case["environment"], operation=case["operation"]
    )
    if "rejected" in case:
        with pytest.raises(vivamo.ValidationError) as info:
            call()
        assert info.value.kind == "validation"
        assert pairs([v.to_dict() for v in info.value.violations]) == pairs(case["rejected"])
        return
    report = call()
    expected = case["expected"]
    assert report.normalized == expected["normalized"]
    assert pairs([v.to_dict() for v in report.errors]) == pairs(expected["errors"])
    assert pairs([v.to_dict() for v in report.warnings]) == pairs(expected["warnings"])


def test_bad_options_and_python_only_types() -> None:
    with pytest.raises(vivamo.ConfigError):
        vivamo.validate_customer({}, environment="staging")  # type: ignore[arg-type]
    with pytest.raises(vivamo.ConfigError):
        vivamo.validate_customer({}, operation="delete")  # type: ignore[arg-type]
    with pytest.raises(vivamo.ValidationError) as info:
        vivamo.validate_customer({"email": object()})
    assert info.value.violations[0].field == "email"
    assert "not object" in info.value.violations[0].message


def test_normalize_phone() -> None:
    assert vivamo.normalize_phone("(415) 555-2671") == "+14155552671"
    with pytest.raises(vivamo.ValidationError) as info:
        vivamo.normalize_phone("12")
    assert info.value.violations[0].field == "data.phone"
