"""Rule columns of online skill training by level (WH20-SUB)."""

from __future__ import annotations

import polars as pl

from ._common import _lit, _reason, _rule, c


def online_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """WH20-SUB-1/2 (with WH20-OBJ-1) and WH20-SUB-3."""
    onl = c("program") == "online_skill_level"
    sub_on = c("l4").is_not_null() | c("l3").is_not_null()
    rule = ((c("level") == 3).fill_null(False), "WH20-SUB-2", "WH20-SUB-1")
    not_passed = onl & sub_on & ~c("passed")
    ins_missing = onl & sub_on & c("min_ins").is_not_null() & c("insured").is_null()
    ins_short = onl & sub_on & c("min_ins").is_not_null() & (c("insured") < c("min_ins"))
    rejected = not_passed | ins_missing | ins_short
    ok = onl & ~rejected
    level_ok = c("level").is_in([3, 4]).fill_null(False)
    amount = pl.when(c("level") == 4).then(c("l4")).otherwise(c("l3"))
    sub_pays = ok & sub_on & level_ok & (amount.fill_null(0) > 0)
    sub_reason = (
        pl.when(~sub_on)
        .then(_reason("not_in_force", rule))
        .when(~level_ok)
        .then(_reason("sub.level", rule))
        .when(~sub_pays)
        .then(_reason("not_in_force", rule))
        .otherwise(None)
    )
    onl_on = c("onl").fill_null(0) > 0
    onl_pays = ok & onl_on & c("online") & c("passed")
    onl_reason = (
        pl.when(~onl_on)
        .then(_lit("not_in_force|WH20-SUB-3"))
        .when(~c("online"))
        .then(_lit("online.not_online|WH20-SUB-3"))
        .when(~c("passed"))
        .then(_lit("sub.not_passed|WH20-SUB-3"))
        .otherwise(None)
    )
    return df.with_columns(
        onl_rej=rejected,
        onl_r1=pl.when(onl & ~sub_on)
        .then(_reason("not_in_force", rule))
        .when(not_passed)
        .then(_reason("sub.not_passed", rule))
        .otherwise(None),
        onl_r2=pl.when(ins_missing)
        .then(_reason("sub.insurance_missing", rule))
        .when(ins_short)
        .then(_reason("sub.insurance", rule))
        .otherwise(None),
        onl_r3=pl.when(ok & sub_on).then(sub_reason).otherwise(None),
        onl_r4=pl.when(ok).then(onl_reason).otherwise(None),
        onl_i1=pl.when(sub_pays).then(_rule(rule)).otherwise(None),
        onl_a1=pl.when(sub_pays).then(amount).otherwise(None),
        onl_i2=pl.when(onl_pays).then(_lit("WH20-SUB-3")).otherwise(None),
        onl_a2=pl.when(onl_pays).then(c("onl")).otherwise(None),
    )
