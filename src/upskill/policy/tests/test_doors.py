"""The calculator's doors on the batch path give the scalar path's output byte for byte, in
both languages, on random records: valid ones of every program, malformed ones, odd ids, the
caps and work-for-training months shared by a person (hypothesis, issue 19 item 3)."""

from __future__ import annotations

from decimal import Decimal

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upskill.policy.batch.doors import evaluate_raws
from upskill.policy.contract import decode, encode, evaluate_json

from .test_batch import PARAMETER_SETS, PERSONS, WFT_PARAMETER_SETS, records, wft_records

FIELDS = [
    "id",
    "person_id",
    "region",
    "date",
    "program",
    "categories",
    "passed",
    "level",
    "total_hours",
    "attended_hours",
    "insured_months",
    "contract_signed",
    "contract_years",
    "months",
    "competition_level",
    "title",
    "requested_amount",
]
odd_values = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.text(max_size=4),
    st.booleans(),
    st.just([1]),
    st.just(["rural", 3]),
    st.decimals(min_value=-1, max_value=5, places=1, allow_nan=False),
    st.sampled_from(["2023-02-29", "2023-6-1", "0999-01-01", "421022", "42102219800101002x"]),
)
ids = st.one_of(
    st.sampled_from(["r1", "r2", "h"]),
    st.text(max_size=6),  # quotes, backslashes, control characters, any script
)


@st.composite
def door_records(draw, base=records):
    record = draw(base())
    record["id"] = draw(ids)
    if draw(st.integers(0, 7)) == 0:  # now and then a malformed (or oddly typed) value
        record[draw(st.sampled_from(FIELDS))] = draw(odd_values)
    return record


def _body(raw) -> bytes:
    return encode({"records": raw})


def assert_same(body: bytes, params) -> None:
    for lang in ("zh", "en"):
        batch = evaluate_json(body, params=params, lang=lang)
        scalar = evaluate_json(body, params=params, lang=lang, batch=False)
        assert batch == scalar


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(door_records(), st.sampled_from([1, "x", None, []])).filter(
            lambda r: not isinstance(r, list)
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(PARAMETER_SETS),
)
def test_doors_equal_the_scalar_path(raw, params):
    assert_same(_body(raw), params)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=40), st.sampled_from(PARAMETER_SETS))
def test_well_formed_calls_run_on_the_batch_path(raw, params):
    """Records as the contract writes them never fall back to the scalar path."""
    body = _body(raw)
    for lang in ("zh", "en"):
        out = evaluate_raws(decode(body), params, lang, encode)
        assert out is not None
        assert out == evaluate_json(body, params=params, lang=lang, batch=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(door_records(wft_records), min_size=1, max_size=15),
    st.sampled_from(WFT_PARAMETER_SETS),
)
def test_doors_equal_the_scalar_path_on_work_for_training_per_person(raw, params):
    assert_same(_body(raw), params)


def test_caps_sentences_name_the_earlier_record():
    """HB45-CAP-1 over columns: the repeat names the first accepted record, the year counts."""
    base = {
        "person_id": PERSONS[0],
        "region": "421022",
        "program": "employment",
        "categories": ["rural"],
        "passed": True,
        "occupation": "电工",
        "level": 4,
        "total_hours": 60,
        "practical_hours": 40,
        "attended_hours": Decimal("58.5"),
    }
    raw = [
        {**base, "id": "a", "date": "2023-03-01"},
        {**base, "id": "b", "date": "2023-04-01"},
        {**base, "id": "c", "date": "2023-05-01", "level": 3},
        {**base, "id": "d", "date": "2023-06-01", "occupation": "焊工"},
        {**base, "id": "e", "date": "2023-07-01", "occupation": "育婴员"},
    ]
    body = _body(raw)
    out = evaluate_raws(decode(body), PARAMETER_SETS[0], "zh", encode)
    assert out == evaluate_json(body, batch=False)
    results = orjson.loads(out)["results"]
    assert [r["status"] for r in results] == [
        "accepted",
        "rejected",
        "accepted",
        "accepted",
        "rejected",
    ]
    assert "记录 a" in results[1]["reasons"][0]["message"]
    assert "2023 年已享受 3 次" in results[4]["reasons"][0]["message"]
    assert "考勤 58.5 课时" in results[0]["items"][0]["message"]
