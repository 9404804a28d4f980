"""The table evaluated: every family's columns, in one narrow shape, then the caps."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from ..engine import PriorTraining
from ..formulas import Family
from ..parameters import ParameterSet
from ._common import CODE, _lit, c, code_id
from .caps import caps_apply
from .families import FAMILIES, ITEM_SLOTS, REASON_SLOTS
from .frames import parameter_frame, training_standard_frame


def evaluate_frame(
    frame: pl.DataFrame,
    params: ParameterSet,
    history: Iterable[PriorTraining] = (),
) -> pl.DataFrame:
    """The batch engine. Returns one row per input row, in input order (``idx``), with
    ``status`` (accepted/rejected), ``total`` (fen), item slots ``itemK_rule``/``itemK_cents``
    and reason slots ``reasonK`` (codes: ``CODES[k]`` is "code|rule[|field]"), null where
    unused — columnar, so a million rows stay cheap; :func:`row_lists` reads one row."""
    if not frame["idx"].is_sorted():
        frame = frame.sort("idx")
    pairs = parameter_frame(params, frame.select("region", "date").unique())
    narrow = []
    # Each program family's formulas run on its own rows, with the parameters it needs, and
    # leave only the narrow result (an empty part still runs, so every column exists).
    for family in FAMILIES:
        part = frame.filter(pl.col("program").is_in(family.programs)).join(
            pairs, on=["region", "date"], how="left", maintain_order="left"
        )
        if "trn_on" in family.flags:  # GA23-TRN-1's rates, by occupation and level
            part = _with_training_standard(part, params)
        narrow.append(_narrow(family.columns(part.lazy()), family).collect())
    result = (
        frame.select("idx", "id", "person", "region", "date", "occupation", "level", "months")
        .join(
            pairs.select("region", "date", "cap", "wft_max", "wft_rate"),
            on=["region", "date"],
            how="left",
            maintain_order="left",
        )
        .hstack(pl.concat(narrow).sort("idx").drop("idx"))
    )
    cap_refused = caps_apply(result, list(history))
    result = result.join(cap_refused, on="idx", how="left", maintain_order="left")
    rejected = c("pre_rejected") | c("cap_reason").is_not_null()
    capped = c("cap_reason").is_not_null()
    slots = {}
    for k in range(ITEM_SLOTS):
        for part in ("rule", "cents"):
            name = f"item{k + 1}_{part}"
            value = c(name)
            if name == "item1_cents":  # HB61-WFT-1: the months left after earlier records
                value = pl.when(c("wft_cents").is_not_null()).then(c("wft_cents")).otherwise(value)
            slots[name] = pl.when(rejected).then(None).otherwise(value)
    for k in range(REASON_SLOTS):
        name = f"reason{k + 1}"
        slots[name] = (
            pl.when(capped)
            .then(c("cap_reason") if k == 0 else pl.lit(None, dtype=CODE))
            .otherwise(c(name))
        )
    return (
        result.lazy()
        .with_columns(
            status=pl.when(rejected).then(_lit("rejected")).otherwise(_lit("accepted")),
            # the work-for-training months the person's earlier records used decided this row
            # (the doors render such a person's sentences on the scalar path)
            touched=c("wft_cents").is_not_null()
            | (c("cap_reason") == code_id("wft.exhausted|HB61-WFT-1")),
            **slots,
        )
        .with_columns(
            total=pl.sum_horizontal(
                *[c(f"item{k + 1}_cents").fill_null(0) for k in range(ITEM_SLOTS)]
            ),
        )
        .select(
            "idx",
            "id",
            "person",
            "status",
            "total",
            *[
                name
                for k in range(ITEM_SLOTS)
                for name in (f"item{k + 1}_rule", f"item{k + 1}_cents")
            ],
            *[f"reason{k + 1}" for k in range(REASON_SLOTS)],
            "touched",
        )
        .collect()
    )


def _narrow(part: pl.LazyFrame, family: Family) -> pl.LazyFrame:
    """A family's result in the common narrow shape: rejection, item and reason slots."""
    items, reasons = family.items, family.reasons
    columns = [c("idx"), c(family.rejected).fill_null(False).alias("pre_rejected")]
    for k in range(ITEM_SLOTS):
        rule, cents_column = items[k] if k < len(items) else (None, None)
        columns.append((c(rule) if rule else pl.lit(None)).cast(CODE).alias(f"item{k + 1}_rule"))
        columns.append(
            (c(cents_column) if cents_column else pl.lit(None))
            .cast(pl.Int64)
            .alias(f"item{k + 1}_cents")
        )
    for k in range(REASON_SLOTS):
        name = reasons[k] if k < len(reasons) else None
        columns.append((c(name) if name else pl.lit(None)).cast(CODE).alias(f"reason{k + 1}"))
    return part.select(columns)


def _with_training_standard(part: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """GA23-TRN-1 rates joined by region, date, occupation and level."""
    if not part["trn_on"].any():  # no standard set anywhere (the default): nothing to look up
        return part.with_columns(trn=pl.lit(None, dtype=pl.Int64))
    keys = part.select("region", "date", "occupation", "level").unique()
    return part.join(
        training_standard_frame(params, keys),
        on=["region", "date", "occupation", "level"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
