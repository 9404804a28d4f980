"""The input table: records read into a frame of exact integers (micro-units, fen), and the
parameters looked up once per distinct (region, date) and joined."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import polars as pl

from ..parameters import ParameterSet
from ..records import Record, cents

MICRO = 1_000_000

SCHEMA: dict[str, pl.DataType] = {
    "idx": pl.Int64,
    "id": pl.String,
    "person": pl.String,
    "region": pl.String,
    "date": pl.Date,
    "program": pl.String,
    "pa": pl.Boolean,
    "ed": pl.Boolean,
    "rural": pl.Boolean,
    "passed": pl.Boolean,
    "occupation": pl.String,
    "level": pl.Int64,
    "total": pl.Int64,  # micro-hours
    "practical": pl.Int64,
    "attended": pl.Int64,
    "insured": pl.Int64,
    "online": pl.Boolean,
    "contract_signed": pl.Date,
    "contract_years": pl.Int64,  # micro-years
    "training_started": pl.Date,
    "cons_insured": pl.Int64,
    "still_employed": pl.Boolean,
    "months": pl.Int64,
    "competition_level": pl.String,
    "finalist": pl.Boolean,
    "title": pl.String,
    "requested": pl.Int64,  # fen
}


def _micro(value: Decimal | None) -> int | None:
    if value is None:
        return None
    scaled = value * MICRO
    if scaled != scaled.to_integral_value():
        raise _Inexact
    return int(scaled)


class _Inexact(Exception):
    """A value finer than a micro-unit: that record is computed by the scalar path."""


def frame_from_records(records: Sequence[Record]) -> tuple[pl.DataFrame, list[Record]]:
    """Valid records into the batch table; records with hours finer than a micro-hour (never in
    practice) are returned apart, to be computed by the scalar path."""
    rows: dict[str, list] = {name: [] for name in SCHEMA}
    apart: list[Record] = []
    for r in records:
        try:
            total, practical, attended = (
                _micro(r.total_hours),
                _micro(r.practical_hours),
                _micro(r.attended_hours),
            )
            years = _micro(r.contract_years)
        except _Inexact:
            apart.append(r)
            continue
        values = (
            r.index,
            r.id,
            r.person_id,
            r.region,
            r.date,
            r.program,
            "poverty_alleviated" in r.categories,
            "employment_difficulty" in r.categories,
            "rural" in r.categories,
            r.passed,
            r.occupation,
            r.level,
            total,
            practical,
            attended,
            r.insured_months,
            r.online,
            r.contract_signed,
            years,
            r.training_started,
            r.consecutive_insured_months,
            r.still_employed,
            r.months,
            r.competition_level,
            r.finalist,
            r.title,
            None if r.requested_amount is None else cents(r.requested_amount),
        )
        for name, value in zip(SCHEMA, values, strict=True):
            rows[name].append(value)
    return pl.DataFrame(rows, schema=SCHEMA), apart


# -- parameters per (region, date) --------------------------------------------------------------
_AMOUNTS = {
    "liv1": "living_allowance.daily_rural_or_difficulty",
    "liv2": "living_allowance.daily_poverty_alleviated",
    "fee": "township_fee.per_trainee",
    "l4": "skill_certificate.level_4",
    "l3": "skill_certificate.level_3",
    "onl": "enterprise_online.per_trainee",
    "pj_max": "pre_job.max_per_trainee",
    "ps_max": "post_skill.max_per_trainee",
    "wft_rate": "work_for_training.monthly",
    "cmp_own": "competition.enterprise_finalist",
    "app": "new_apprentice.per_year",
}
_COUNTS = {
    "per_day": "attendance.hours_per_day",
    "min_ins": "skill_certificate.min_insured_months",
    "pj_hours": "pre_job.min_hours",
    "pj_years": "pre_job.min_contract_years",
    "pj_window": "pre_job.training_window_years",
    "pj_cons": "pre_job.min_consecutive_insured_months",
    "ps_hours": "post_skill.min_hours",
    "wft_max": "work_for_training.max_months",
    "cap": "caps.trainings_per_year",
}
_TABLES = {
    "cmp": ("competition.finalist", ("county", "city", "province", "national", "enterprise")),
    "tec": ("new_technician.grant", ("senior_technician", "technician", "senior_worker")),
}


def parameter_frame(params: ParameterSet, pairs: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct (region, date): every parameter the formulas need, as integers
    (fen, counts) or null where none is in force."""
    columns: dict[str, list] = {"region": [], "date": []}
    for name in [*_AMOUNTS, *_COUNTS, "share_num", "share_den", "trn_on", "cmp_on", "tec_on"]:
        columns[name] = []
    for table, (_, keys) in _TABLES.items():
        for key in keys:
            columns[f"{table}_{key}"] = []
    for region, on in pairs.iter_rows():
        columns["region"].append(region)
        columns["date"].append(on)
        for column, name in _AMOUNTS.items():
            value = params.value(name, region, on)
            columns[column].append(None if value is None else cents(value))
        for column, name in _COUNTS.items():
            columns[column].append(params.value(name, region, on))
        share = params.value("practice.min_share", region, on)
        fraction = None if share is None else Fraction(share)
        columns["share_num"].append(None if fraction is None else fraction.numerator)
        columns["share_den"].append(None if fraction is None else fraction.denominator)
        columns["trn_on"].append(params.value("training_subsidy.standard", region, on) is not None)
        for table, (name, keys) in _TABLES.items():
            value = params.value(name, region, on)
            columns[f"{table}_on"].append(value is not None)
            for key in keys:
                amount = None if value is None else value.get(key)
                columns[f"{table}_{key}"].append(None if amount is None else cents(amount))
    schema = {name: pl.Int64 for name in columns}
    schema.update(
        region=pl.String, date=pl.Date, trn_on=pl.Boolean, cmp_on=pl.Boolean, tec_on=pl.Boolean
    )
    return pl.DataFrame(columns, schema=schema)


def training_standard_frame(params: ParameterSet, keys: pl.DataFrame) -> pl.DataFrame:
    """GA23-TRN-1 rates for each distinct (region, date, occupation, level) that has a table."""
    out: dict[str, list] = {"region": [], "date": [], "occupation": [], "level": [], "trn": []}
    for region, on, occupation, level in keys.iter_rows():
        table = params.value("training_subsidy.standard", region, on)
        rate = None
        if table is not None and occupation is not None and level is not None:
            rate = table.get(occupation, {}).get(level)
        out["region"].append(region)
        out["date"].append(on)
        out["occupation"].append(occupation)
        out["level"].append(level)
        out["trn"].append(None if rate is None else cents(rate))
    return pl.DataFrame(
        out,
        schema={
            "region": pl.String,
            "date": pl.Date,
            "occupation": pl.String,
            "level": pl.Int64,
            "trn": pl.Int64,
        },
    )
