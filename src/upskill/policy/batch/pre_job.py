"""Rule columns of pre-job training (HB61-PJ)."""

from __future__ import annotations

import polars as pl

from ._common import _anniversary, _ceiling, _lit, _when_code, c
from .frames import MICRO

PJ_FIELDS = {
    "contract_years": "contract_years",
    "contract_signed": "contract_signed",
    "training_started": "training_started",
    "total_hours": "total",
    "consecutive_insured_months": "cons_insured",
    "still_employed": "still_employed",
}


def pre_job_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """HB61-PJ-1/2."""
    pj = c("program") == "pre_job"
    on = pj & c("pj_max").is_not_null()
    missing = {name: on & c(column).is_null() for name, column in PJ_FIELDS.items()}
    any_missing = pl.any_horizontal(list(missing.values()))
    checked = on & ~any_missing
    last = _anniversary(c("contract_signed"), c("pj_window"))
    contract = checked & c("pj_years").is_not_null() & (c("contract_years") < c("pj_years") * MICRO)
    window = (
        checked
        & c("pj_window").is_not_null()
        & ((c("training_started") < c("contract_signed")) | (c("training_started") > last))
    )
    hours = checked & c("pj_hours").is_not_null() & (c("total") < c("pj_hours") * MICRO)
    insured = checked & c("pj_cons").is_not_null() & (c("cons_insured") < c("pj_cons"))
    gone = checked & ~c("still_employed")
    rejected = any_missing | contract | window | hours | insured | gone
    amount = _ceiling(c("requested"), c("pj_max"))
    ok = on & ~rejected
    return df.with_columns(
        pj_rej=rejected,
        pj_r0=_when_code(pj & c("pj_max").is_null(), "not_in_force|HB61-PJ-2"),
        **{
            f"pj_m{i}": _when_code(cond, f"pj.missing|HB61-PJ-1|{name}")
            for i, (name, cond) in enumerate(missing.items())
        },
        pj_r1=_when_code(contract, "pj.contract|HB61-PJ-1"),
        pj_r2=_when_code(window, "pj.window|HB61-PJ-1"),
        pj_r3=_when_code(hours, "pj.hours|HB61-PJ-1"),
        pj_r4=_when_code(insured, "pj.insured|HB61-PJ-1"),
        pj_r5=_when_code(gone, "pj.not_employed|HB61-PJ-1"),
        pj_r6=_when_code(ok & (amount == 0), "zero_request|HB61-PJ-2"),
        pj_i1=pl.when(ok & (amount > 0)).then(_lit("HB61-PJ-2")).otherwise(None),
        pj_a1=pl.when(ok & (amount > 0)).then(amount).otherwise(None),
    )
