"""The batch path gives the scalar path's results (hypothesis compares them on random records,
random histories and varied parameters)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from upskill import policy
from upskill.policy import batch, engine
from upskill.policy.records import CATEGORIES, PROGRAMS, read_record


def _id(serial: int) -> str:
    body = f"42102219800101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


PERSONS = [_id(n) for n in range(1, 7)] + ["42102219750308009X"]
OCCUPATIONS = ["中式烹调师", "家政服务员", "电工"]
REGIONS = ["421022", "420100", "421000", "420000", "110000"]
BOUNDARIES = [
    date(2019, 1, 1),
    date(2020, 1, 1),
    date(2020, 12, 31),
    date(2021, 1, 1),
    date(2021, 12, 31),
    date(2022, 1, 1),
    date(2023, 1, 1),
    date(2023, 6, 30),
    date(2023, 12, 31),
    date(2024, 1, 1),
    date(2020, 2, 29),
]

dates = st.one_of(
    st.sampled_from(BOUNDARIES), st.dates(min_value=date(2019, 1, 1), max_value=date(2024, 6, 30))
)
hours = st.one_of(
    st.none(),
    st.integers(0, 130),
    st.decimals(min_value=0, max_value=130, places=2, allow_nan=False),
)
maybe = st.none


@st.composite
def records(draw):
    on = draw(dates)
    signed = draw(
        st.one_of(st.none(), st.sampled_from([date(2020, 2, 29), date(2020, 5, 1)]), dates)
    )
    started = draw(
        st.one_of(
            st.none(),
            dates,
            st.builds(
                lambda d, k: d + timedelta(days=k), st.just(signed or on), st.integers(-2, 370)
            ),
        )
    )
    record = {
        # The id is required: without it every record is invalid and nothing is compared.
        "id": draw(st.sampled_from(["r1", "r2", "r3", "h"])),
        "person_id": draw(st.sampled_from([*PERSONS, PERSONS[-1].lower()])),
        "region": draw(st.sampled_from(REGIONS)),
        "date": on.isoformat(),
        "program": draw(st.sampled_from(PROGRAMS)),
        "categories": draw(st.lists(st.sampled_from(CATEGORIES[:4]), max_size=3, unique=True)),
        "passed": draw(st.booleans()),
        "occupation": draw(st.one_of(st.none(), st.sampled_from(OCCUPATIONS))),
        "level": draw(st.one_of(st.none(), st.integers(1, 5))),
        "total_hours": draw(hours),
        "practical_hours": draw(hours),
        "attended_hours": draw(hours),
        "insured_months": draw(st.one_of(maybe(), st.integers(0, 24))),
        "online": draw(st.booleans()),
        "contract_signed": signed.isoformat() if signed else None,
        "contract_years": draw(st.one_of(maybe(), st.sampled_from([0, 0.5, 1, 1.5, 3]))),
        "training_started": started.isoformat() if started else None,
        "consecutive_insured_months": draw(st.one_of(maybe(), st.integers(0, 6))),
        "still_employed": draw(st.one_of(maybe(), st.booleans())),
        "months": draw(st.one_of(maybe(), st.integers(0, 9))),
        "competition_level": draw(
            st.one_of(
                maybe(), st.sampled_from(["enterprise", "county", "city", "province", "national"])
            )
        ),
        "finalist": draw(st.booleans()),
        "title": draw(
            st.one_of(
                maybe(), st.sampled_from(["senior_technician", "technician", "senior_worker"])
            )
        ),
        "requested_amount": draw(
            st.one_of(maybe(), st.decimals(min_value=0, max_value=800, places=3, allow_nan=False))
        ),
    }
    return {key: value for key, value in record.items() if value is not None}


histories = st.lists(
    st.builds(
        policy.PriorTraining,
        st.sampled_from(PERSONS),
        dates,
        st.one_of(st.none(), st.sampled_from(OCCUPATIONS)),
        st.one_of(st.none(), st.integers(1, 5)),
        st.just("h"),
        st.one_of(st.just(0), st.integers(1, 7)),  # HB61-WFT-1 months paid
    ),
    max_size=4,
)


def _parameter_sets():
    base = policy.default_parameters()
    with_standard = base.with_versions(
        [
            {
                "parameter": "training_subsidy.standard",
                "region": "420000",
                "from": date(2023, 1, 1),
                "until": None,
                "value": {"中式烹调师": {"4": 1500, "3": 2000}, "电工": {"4": 0}},
                "reference": {"document": "鄂人社发〔2018〕64号", "rule": "GA23-TRN-1"},
            }
        ]
    )
    cap_changes_mid_year = base.with_versions(
        [
            {
                "parameter": "caps.trainings_per_year",
                "region": "421022",
                "from": date(2023, 7, 1),
                "until": None,
                "value": 2,
                "reference": {"document": "test", "rule": "HB45-CAP-1"},
            },
            {
                "parameter": "practice.min_share",
                "region": "420100",
                "from": date(2020, 1, 1),
                "until": None,
                "value": Decimal("0.65"),
                "reference": {"document": "test", "rule": "GA23-HRS-1"},
            },
        ]
    )
    return [base, with_standard, cap_changes_mid_year]


PARAMETER_SETS = _parameter_sets()


def _scalar_rows(results):
    return [
        (
            r.status,
            [(i.rule, i.cents) for i in r.items],
            [batch.reason_key(x.code, x.rule, x.figures) for x in r.reasons],
        )
        for r in results
        if r.status != "invalid"
    ]


def compare(raw, params, history=()):
    scalar = engine.evaluate_records(raw, params, history)
    valid = [record for record, _ in (read_record(r, i) for i, r in enumerate(raw)) if record]
    frame, apart = batch.frame_from_records(valid)
    assert not apart
    out = batch.evaluate_frame(frame, params, history)
    assert out["idx"].to_list() == [r.index for r in valid]
    assert [batch.row_lists(row) for row in out.iter_rows(named=True)] == _scalar_rows(scalar)
    assert out["total"].to_list() == [r.total_cents for r in scalar if r.status != "invalid"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=25), histories, st.sampled_from(PARAMETER_SETS))
def test_batch_equals_scalar(raw, history, params):
    compare(raw, params, history)


def test_the_random_records_reach_the_rules():
    """The equality tests compare valid records only: the strategies must produce some."""
    valid = find(records(), lambda raw: read_record(raw, 0)[0] is not None)
    assert read_record(valid, 0)[1] == []


def test_hours_finer_than_a_micro_hour_are_set_apart_for_the_scalar_path():
    record, _ = read_record(
        {
            "id": "1",
            "person_id": PERSONS[0],
            "region": "421022",
            "date": "2023-06-30",
            "program": "poverty",
            "attended_hours": Decimal("17.9999999999"),
        },
        0,
    )
    frame, apart = batch.frame_from_records([record])
    assert frame.height == 0 and apart == [record]


# HB61-WFT-1 per person (changed 2026-12-02): work-for-training records of few persons in 2020,
# with histories of months paid, so that months add up across a call and the history.
wft_dates = st.one_of(
    st.sampled_from([date(2020, 1, 1), date(2020, 6, 30), date(2020, 12, 31), date(2021, 1, 1)]),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 12, 31)),
)


@st.composite
def wft_records(draw):
    record = draw(records())
    record["program"] = draw(
        st.sampled_from(["work_for_training"] * 4 + ["new_apprentice", "post_skill"])
    )
    record["date"] = draw(wft_dates).isoformat()
    record["person_id"] = draw(st.sampled_from(PERSONS[:2]))
    record["region"] = draw(st.sampled_from(["421022", "420100", "110000"]))
    return record


wft_histories = st.lists(
    st.builds(
        policy.PriorTraining,
        st.sampled_from(PERSONS[:2]),
        wft_dates,
        st.one_of(st.none(), st.sampled_from(OCCUPATIONS)),
        st.one_of(st.none(), st.integers(1, 5)),
        st.sampled_from(["h1", "h2"]),
        st.integers(0, 7),
    ),
    max_size=3,
)

WFT_PARAMETER_SETS = [
    PARAMETER_SETS[0],
    PARAMETER_SETS[0].with_versions(
        [
            {
                "parameter": "work_for_training.max_months",
                "region": "421022",
                "from": date(2020, 7, 1),
                "until": date(2020, 12, 31),
                "value": 4,
                "reference": {"document": "test", "rule": "HB61-WFT-1"},
            }
        ]
    ),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(wft_records(), min_size=1, max_size=12),
    wft_histories,
    st.sampled_from(WFT_PARAMETER_SETS),
)
def test_batch_equals_scalar_on_work_for_training_per_person(raw, history, params):
    compare(raw, params, history)
