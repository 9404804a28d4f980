"""The eligibility rules (policy/eligibility.py), case by case from ``eligibility/cases.yaml``:
GA23-OBJ-1/2/3, WH20-OBJ-1, HB61-MIG-1. They are the policy package's, dated and regional, and
no door of the calculator reaches them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from upskill import policy
from upskill.policy import eligibility
from upskill.policy.eligibility import Facts, HeldCategory
from upskill.policy.parameters import ParameterError, default_parameters

CASES_FILE = Path(__file__).parent / "eligibility" / "cases.yaml"
DATA = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
CASES = DATA["cases"]


def _date(value) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def _facts(case: dict) -> Facts:
    raw = {**DATA["base"], **case.get("facts", {})}
    categories = tuple(
        HeldCategory(
            code=c["code"],
            name=c.get("name", c["code"]),
            valid_from=_date(c.get("valid_from")),
            valid_until=_date(c.get("valid_until")),
            source=c.get("source", ""),
            source_kind=c.get("source_kind", ""),
        )
        for c in raw.pop("categories", [])
    )
    for key in ("start", "end", "employer_insured_since", "town_residence_since"):
        if key in raw:
            raw[key] = _date(raw[key])
    return Facts(categories=categories, **raw)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    params = default_parameters()
    if case.get("versions"):
        params = params.with_versions(case["versions"])
    verdict = eligibility.check(_facts(case), params)
    assert verdict.rules == case["refused"], verdict.messages("en")
    assert verdict.admitted == (not case["refused"])
    if "missing" in case:
        assert [r.missing for r in verdict.refusals] == case["missing"]
    if "applied" in case:
        assert verdict.applied == case["applied"]
    for refusal in verdict.refusals:
        # each sentence cites its rule, in both languages
        assert refusal.rule in refusal.message("zh") and refusal.rule in refusal.message("en")
        assert refusal.missing_name("zh") and refusal.missing_name("en")
    if "message_contains" in case:
        text = " ".join(verdict.messages("zh") + verdict.messages("en"))
        assert case["message_contains"] in text


def test_every_eligibility_rule_has_a_case():
    rules = {"GA23-OBJ-1", "GA23-OBJ-2", "GA23-OBJ-3", "WH20-OBJ-1", "HB61-MIG-1"}
    names = " ".join(case["name"] for case in CASES)
    assert all(rule in names for rule in rules)
    params = default_parameters()
    for name in params.definitions:
        if name.startswith("eligibility."):
            assert params.definitions[name].rule in rules


def test_the_calculator_does_not_reach_the_eligibility_rules():
    """GA23-OBJ-2 is not the calculator's: a `poverty` record without any category is priced
    as the contract says (its program asserts the training), township fee included."""
    record = {
        "id": "1",
        "person_id": "421022197503080014",
        "region": "421022",
        "date": "2023-06-30",
        "program": "poverty",
        "categories": [],
        "passed": True,
        "total_hours": 60,
        "practical_hours": 36,
        "attended_hours": 60,
    }
    [result] = policy.evaluate({"records": [record]})["results"]
    assert result["status"] == "accepted"
    assert "GA23-FEE-1" in [item["rule"] for item in result["items"]]
    assert not any(r["rule"].startswith("GA23-OBJ") for r in result["reasons"])


@pytest.mark.parametrize(
    "value",
    [[], "poverty", ["a", "a"], ["rural_revitalisation", "someone"]],
)
def test_a_wrong_code_list_is_refused(value):
    params = default_parameters()
    with pytest.raises(ParameterError):
        params.with_versions(
            [
                {
                    "parameter": "eligibility.poverty_roster_sources",
                    "region": "421022",
                    "from": "2024-01-01",
                    "value": value,
                    "reference": {"document": "公人社发〔2023〕5号"},
                }
            ]
        )
