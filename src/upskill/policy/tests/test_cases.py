"""The policy's rules, case by case, from the documents (``cases/*.yaml``): each case sends its
records through the Python door (the scalar engine) and through the batch engine, and checks
status, items and the rules its reasons cite on both; the two paths must also agree exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from upskill import policy

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[tuple[str, dict, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append((f"{path.stem}: {case['name']}", data.get("base", {}), case))
    return out


CASES = _load()


def _records(base: dict, case: dict) -> list[dict]:
    base = {**base, **case.get("base", {})}
    records = []
    for number, overrides in enumerate(case["records"]):
        record = {"id": str(number), **base, **overrides}
        records.append({k: v for k, v in record.items() if k in overrides or v is not None})
    return records


def _history(base: dict, case: dict) -> list[policy.PriorTraining]:
    """A case's ``history``: the person's earlier subsidised trainings (inside the product)."""
    return [
        policy.PriorTraining(
            person_id=prior.get("person_id", base.get("person_id")),
            date=date.fromisoformat(prior["date"]),
            occupation=prior.get("occupation"),
            level=prior.get("level"),
            id=prior.get("id", ""),
            months=prior.get("months", 0),
        )
        for prior in case.get("history", [])
    ]


@pytest.mark.parametrize(("name", "base", "case"), CASES, ids=[c[0] for c in CASES])
def test_case(name, base, case):
    results = policy.evaluate({"records": _records(base, case)}, history=_history(base, case))[
        "results"
    ]
    assert len(results) == len(case["expect"])
    for result, expected in zip(results, case["expect"], strict=True):
        assert result["status"] == expected["status"], result
        if "items" in expected:
            got = [f"{item['rule']} {item['amount'].normalize():f}" for item in result["items"]]
            assert got == expected["items"], result
        if "reasons" in expected:
            assert [reason["rule"] for reason in result["reasons"]] == expected["reasons"], result
        assert result["total"] == sum((i["amount"] for i in result["items"]), Decimal(0))
        assert all(item["amount"] > 0 for item in result["items"])
        if result["status"] != "accepted":
            assert result["items"] == [] and result["total"] == 0 and result["reasons"]
    if "message_contains" in case:
        messages = [m["message"] for r in results for m in r["items"] + r["reasons"]]
        assert any(case["message_contains"] in message for message in messages), messages


def _expected_lists(expected: dict) -> tuple[str, list[str] | None, list[str] | None]:
    return expected["status"], expected.get("items"), expected.get("reasons")


@pytest.mark.parametrize(("name", "base", "case"), CASES, ids=[c[0] for c in CASES])
def test_case_through_the_batch_path(name, base, case):
    """The same case through the batch engine (Polars): the same statuses, items and reason
    rules as the case expects, and exactly the scalar engine's results (codes, fen, totals)."""
    from upskill.policy import batch, engine
    from upskill.policy.records import read_record

    from .test_batch import compare

    raw, history = _records(base, case), _history(base, case)
    compare(raw, policy.default_parameters(), history)
    valid = [record for record, _ in (read_record(r, i) for i, r in enumerate(raw)) if record]
    frame, apart = batch.frame_from_records(valid)
    assert apart == []
    rows = [
        batch.row_lists(row)
        for row in batch.evaluate_frame(frame, policy.default_parameters(), history).iter_rows(
            named=True
        )
    ]
    expected = [e for e in case["expect"] if e["status"] != engine.INVALID]
    assert len(rows) == len(expected) == len(valid)
    for (status, items, reasons), (want_status, want_items, want_reasons) in zip(
        rows, map(_expected_lists, expected), strict=True
    ):
        assert status == want_status, (status, items, reasons)
        if want_items is not None:
            got = [f"{rule} {Decimal(fen).scaleb(-2).normalize():f}" for rule, fen in items]
            assert got == want_items, (status, items, reasons)
        if want_reasons is not None:
            assert [key.split("|")[1] for key in reasons] == want_reasons, reasons


def test_every_rule_the_calculator_uses_has_a_case():
    """Each rule id of a parameter the formulas read appears in a case name: the table covers
    the calculator. GA23-TRN-1 has no shipped value; test_engine.py sets one as an
    administrator would. (Other apps' parameters, e.g. supervision's, are tested there.)"""
    source = "".join(
        path.read_text(encoding="utf-8")
        for path in (Path(policy.__file__).parent / "formulas").glob("*.py")
    ) + (Path(policy.__file__).parent / "engine.py").read_text(encoding="utf-8")
    names = " ".join(name for name, _, _ in CASES)
    rules = {
        d.rule for d in policy.default_parameters().definitions.values() if f'"{d.name}"' in source
    }
    assert rules, "the formulas read parameters by name"
    assert sorted(rule for rule in rules - {"GA23-TRN-1"} if rule not in names) == []
