"""WH20-PRG-1 in the engine's explanation (issue 17 item 6): an online class's record takes
its hours from the watched time, and the explanation says so, naming the rule, with the
record's hours, in Chinese and English, the same sentence on the scalar and the batch path."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest

from upskill.policy.contract import encode, evaluate_json

PERSON = "42102219750308009X"
ONLINE = {
    "person_id": PERSON,
    "region": "420100",
    "date": "2020-09-30",
    "program": "online_skill_level",
    "level": 4,
    "insured_months": 12,
    "online": True,
    "passed": True,
}
ZH = (
    "考勤课时 {hours} 课时，其中线上理论课时按实际观看时长计"
    "（武企联【2020】14号 三(三)，WH20-PRG-1）"
)
EN = (
    "{hours} class hours attended, the online theory hours taken from the time actually watched "
    "(武企联【2020】14号 三(三), WH20-PRG-1)"
)

# (case, the record's fields over ONLINE, status, the rules of its reasons in order, hours)
CASES = [
    (
        "paid: the note alone",
        {"attended_hours": Decimal("12.5")},
        "accepted",
        ["WH20-PRG-1"],
        "12.5",
    ),
    ("whole hours", {"attended_hours": 24}, "accepted", ["WH20-PRG-1"], "24"),
    ("nothing watched", {"attended_hours": 0}, "accepted", ["WH20-PRG-1"], "0"),
    (
        "refused (WH20-OBJ-1): the hours are still explained, after the refusal",
        {"attended_hours": 3, "insured_months": 2},
        "rejected",
        ["WH20-SUB-1", "WH20-PRG-1"],
        "3",
    ),
    (
        "not online: after the enterprise subsidy's note",
        {"attended_hours": Decimal("7.5"), "online": False, "level": 3},
        "accepted",
        ["WH20-SUB-3", "WH20-PRG-1"],
        "7.5",
    ),
    ("no hours given: no note", {}, "accepted", [], None),
    (
        "a classroom programme's hours are not watched time",
        {
            "program": "employment",
            "attended_hours": 60,
            "total_hours": 60,
            "practical_hours": 36,
            "occupation": "电工",
        },
        None,
        None,
        None,
    ),
]


def _results(records: list[dict], lang: str, *, batch: bool) -> list[dict]:
    body = encode({"records": records})
    return orjson.loads(evaluate_json(body, lang=lang, batch=batch))["results"]


@pytest.mark.parametrize("batch", [False, True], ids=["scalar", "batch"])
@pytest.mark.parametrize(
    ("case", "fields", "status", "rules", "hours"), CASES, ids=[c[0] for c in CASES]
)
def test_wh20_prg_1_the_explanation_names_the_watched_hours(
    case, fields, status, rules, hours, batch
):
    record = {**ONLINE, "id": "r1", **fields}
    for lang, sentence in (("zh", ZH), ("en", EN)):
        (result,) = _results([record], lang, batch=batch)
        notes = [r["message"] for r in result["reasons"] if r["rule"] == "WH20-PRG-1"]
        if hours is None:
            assert notes == []
            continue
        assert result["status"] == status
        assert [r["rule"] for r in result["reasons"]] == rules
        assert notes == [sentence.format(hours=hours)]


def test_wh20_prg_1_both_paths_give_the_same_bytes_on_a_mixed_call():
    """Many records with different hours: the batch path prints each record's own hours (a
    template over the column), byte for byte the scalar path's output."""
    records = [
        {**ONLINE, "id": f"r{n}", "attended_hours": Decimal(n) / 4, "insured_months": 6 + n % 10}
        for n in range(40)
    ]
    records.append({**ONLINE, "id": "none"})
    for lang in ("zh", "en"):
        body = encode({"records": records})
        batch = evaluate_json(body, lang=lang)
        assert batch == evaluate_json(body, lang=lang, batch=False)
    found = {r["id"]: r for r in _results(records, "zh", batch=True)}
    assert found["r10"]["reasons"][-1]["message"] == ZH.format(hours="2.5")
    assert found["r3"]["status"] == "rejected"  # 9 insured months
    assert found["r3"]["reasons"][-1]["message"] == ZH.format(hours="0.75")
