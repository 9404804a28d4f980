"""Rule columns of the classroom programs: employment and poverty-alleviation training
(GA23)."""

from __future__ import annotations

import polars as pl

from ._common import _lit, _reason, _rule, _when_code, c
from .frames import MICRO


def classroom_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """GA23-CRT-1, GA23-HRS-1, GA23-TRN-1, GA23-LIV-1/2, GA23-DAY-1, GA23-FEE-1."""
    cls = c("program").is_in(["employment", "poverty"])
    hrs_on = c("share_num").is_not_null()
    crt = cls & ~c("passed")
    hrs_missing = cls & hrs_on & (c("total").is_null() | c("practical").is_null())
    hrs_short = (
        cls
        & hrs_on
        & ~hrs_missing
        & (c("practical") * c("share_den") < c("total") * c("share_num"))
    )
    rejected = crt | hrs_missing | hrs_short
    ok = cls & ~rejected

    trn_reason = (
        pl.when(~c("trn_on"))
        .then(_lit("trn.unset|GA23-TRN-1"))
        .when(c("occupation").is_null() | c("level").is_null())
        .then(_lit("trn.no_occupation|GA23-TRN-1"))
        .when(c("trn").is_null() | (c("trn") == 0))
        .then(_lit("trn.no_standard|GA23-TRN-1"))
        .otherwise(None)
    )
    trn_item = (
        ok
        & c("trn_on")
        & c("occupation").is_not_null()
        & c("level").is_not_null()
        & (c("trn").fill_null(0) > 0)
    )

    poverty, other = c("pa"), c("ed") | c("rural")
    use2 = poverty & c("liv2").is_not_null()
    use1 = ~use2 & other & c("liv1").is_not_null()
    used = use2 | use1
    liv_rule = (use2, "GA23-LIV-2", "GA23-LIV-1")
    rate = pl.when(use2).then(c("liv2")).otherwise(c("liv1"))
    day_ok = c("per_day").is_not_null() & (c("per_day") > 0)
    hours = c("attended").fill_null(0)
    capped = (
        pl.when(c("total").is_null()).then(hours).otherwise(pl.min_horizontal(hours, c("total")))
    )
    days = capped // (c("per_day") * MICRO)
    liv_pays = used & day_ok & (days > 0) & (rate > 0)
    liv_reason = (
        pl.when(~used & ~(poverty | other) & c("liv1").is_null() & c("liv2").is_null())
        .then(_lit("not_in_force|GA23-LIV-1"))
        .when(~used & ~(poverty | other))
        .then(_lit("liv.no_category|GA23-LIV-1"))
        .when(~used & poverty)
        .then(_lit("not_in_force|GA23-LIV-2"))
        .when(~used)
        .then(_lit("not_in_force|GA23-LIV-1"))
        .when(~day_ok)
        .then(_lit("not_in_force|GA23-DAY-1"))
        .when(~liv_pays)
        .then(_reason("liv.no_days", liv_rule))
        .otherwise(None)
    )
    fee_pays = c("fee").fill_null(0) > 0
    is_poverty = c("program") == "poverty"
    return df.with_columns(
        cls_rej=cls & rejected,
        cls_r1=_when_code(crt, "crt.not_passed|GA23-CRT-1"),
        cls_r2=pl.when(hrs_missing)
        .then(_lit("hrs.missing|GA23-HRS-1"))
        .when(hrs_short)
        .then(_lit("hrs.short|GA23-HRS-1"))
        .otherwise(None),
        cls_r3=pl.when(ok).then(trn_reason).otherwise(None),
        cls_r4=pl.when(ok).then(liv_reason).otherwise(None),
        cls_r5=pl.when(ok & is_poverty & ~fee_pays)
        .then(_lit("not_in_force|GA23-FEE-1"))
        .otherwise(None),
        cls_i1=pl.when(trn_item).then(_lit("GA23-TRN-1")).otherwise(None),
        cls_a1=pl.when(trn_item).then(c("trn")).otherwise(None),
        cls_i2=pl.when(ok & liv_pays).then(_rule(liv_rule)).otherwise(None),
        cls_a2=pl.when(ok & liv_pays).then(days * rate).otherwise(None),
        cls_i3=pl.when(ok & is_poverty & fee_pays).then(_lit("GA23-FEE-1")).otherwise(None),
        cls_a3=pl.when(ok & is_poverty & fee_pays).then(c("fee")).otherwise(None),
    )
