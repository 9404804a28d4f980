"""The input table: records read into a frame of exact integers (micro-units, fen), and the
parameters looked up once per distinct (region, date) and joined."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from ..parameters import ParameterSet
from ..records import Record, cents
from ._common import MICRO
from .families import FAMILIES

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
# The caps' parameter is the engine's; every other one is named by its family.
_COUNTS = {"cap": "caps.trainings_per_year"}


def parameter_frame(params: ParameterSet, pairs: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct (region, date): every parameter the families name, as integers
    (fen, counts) or null where none is in force."""
    amounts = {k: v for family in FAMILIES for k, v in family.amounts.items()}
    counts = {**_COUNTS, **{k: v for family in FAMILIES for k, v in family.counts.items()}}
    shares = {k: v for family in FAMILIES for k, v in family.shares.items()}
    flags = {k: v for family in FAMILIES for k, v in family.flags.items()}
    tables = {
        k: (v, params.definitions[v].keys) for family in FAMILIES for k, v in family.tables.items()
    }
    columns: dict[str, list] = {"region": [], "date": []}
    for name in [*amounts, *counts, *flags]:
        columns[name] = []
    for name in shares:
        columns[f"{name}_num"], columns[f"{name}_den"] = [], []
    for table, (_, keys) in tables.items():
        columns[f"{table}_on"] = []
        for key in keys:
            columns[f"{table}_{key}"] = []
    for region, on in pairs.iter_rows():
        columns["region"].append(region)
        columns["date"].append(on)
        # every parameter in force there, looked up once (the view is cached per region, date)
        view = params.view(region, on)

        def value_of(name: str, view=view) -> Any:
            version = view.get(name)
            return None if version is None else version.value

        for column, name in amounts.items():
            value = value_of(name)
            columns[column].append(None if value is None else cents(value))
        for column, name in counts.items():
            columns[column].append(value_of(name))
        for column, name in shares.items():
            share = value_of(name)
            fraction = None if share is None else Fraction(share)
            columns[f"{column}_num"].append(None if fraction is None else fraction.numerator)
            columns[f"{column}_den"].append(None if fraction is None else fraction.denominator)
        for column, name in flags.items():
            columns[column].append(value_of(name) is not None)
        for table, (name, keys) in tables.items():
            value = value_of(name)
            columns[f"{table}_on"].append(value is not None)
            for key in keys:
                amount = None if value is None else value.get(key)
                columns[f"{table}_{key}"].append(None if amount is None else cents(amount))
    schema = {name: pl.Int64 for name in columns}
    schema.update(region=pl.String, date=pl.Date)
    schema.update({name: pl.Boolean for name in [*flags, *(f"{t}_on" for t in tables)]})
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
