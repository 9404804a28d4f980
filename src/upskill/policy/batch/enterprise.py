"""Rule columns of the enterprise programs: post skill, work for training, competitions,
new technicians and apprentices (HB61, HB45)."""

from __future__ import annotations

import polars as pl

from ._common import _ceiling, _lit, _reason, _rule, c
from .frames import MICRO


def enterprise_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """HB61-PS-1/2, HB61-WFT-1, HB61-CMP-1/2, HB45-TEC-1, HB45-APP-1."""
    program = c("program")
    # post-skill
    ps = program == "post_skill"
    ps_on = ps & c("ps_max").is_not_null()
    ps_hours_on = ps_on & c("ps_hours").is_not_null()
    ps_missing = ps_hours_on & c("total").is_null()
    ps_short = ps_hours_on & (c("total") < c("ps_hours") * MICRO)
    ps_failed = ps_on & ~c("passed")
    ps_rej = ps_missing | ps_short | ps_failed
    ps_amount = _ceiling(c("requested"), c("ps_max"))
    ps_ok = ps_on & ~ps_rej
    # work for training
    wft = program == "work_for_training"
    wft_on = wft & (c("wft_rate").fill_null(0) > 0)
    wft_bad = wft_on & (c("months").is_null() | (c("months") < 1))
    paid = (
        pl.when(c("wft_max").is_null())
        .then(c("months"))
        .otherwise(pl.min_horizontal(c("months"), c("wft_max")))
    )
    wft_pays = wft_on & ~wft_bad & (paid > 0)
    # competition
    cmp = program == "competition"
    own = c("competition_level") == "enterprise"
    cmp_rule = (own.fill_null(False), "HB61-CMP-2", "HB61-CMP-1")
    any_on = c("cmp_on") | c("cmp_own").is_not_null()
    no_level = cmp & c("competition_level").is_null()
    version_on = pl.when(own).then(c("cmp_own").is_not_null()).otherwise(c("cmp_on"))
    cmp_rate = (
        pl.when(own)
        .then(c("cmp_own"))
        .when(c("competition_level") == "county")
        .then(c("cmp_county"))
        .when(c("competition_level") == "city")
        .then(c("cmp_city"))
        .when(c("competition_level") == "province")
        .then(c("cmp_province"))
        .otherwise(c("cmp_national"))
    )
    cmp_level_given = cmp & ~no_level
    not_finalist = cmp_level_given & version_on & ~c("finalist")
    cmp_pays = cmp_level_given & version_on & c("finalist") & (cmp_rate.fill_null(0) > 0)
    # new technician
    tec = program == "new_technician"
    tec_rate = (
        pl.when(c("title") == "senior_technician")
        .then(c("tec_senior_technician"))
        .when(c("title") == "technician")
        .then(c("tec_technician"))
        .otherwise(c("tec_senior_worker"))
    )
    no_title = tec & c("tec_on") & c("title").is_null()
    tec_pays = tec & c("tec_on") & c("title").is_not_null() & (tec_rate.fill_null(0) > 0)
    # new apprentice
    app = program == "new_apprentice"
    app_pays = app & (c("app").fill_null(0) > 0)
    return df.with_columns(
        ent_rej=ps_rej | wft_bad | (no_level & any_on) | not_finalist | no_title,
        ent_r1=pl.when(ps & ~ps_on)
        .then(_lit("not_in_force|HB61-PS-2"))
        .when(ps_missing)
        .then(_lit("ps.hours_missing|HB61-PS-1"))
        .when(ps_short)
        .then(_lit("ps.hours|HB61-PS-1"))
        .when(wft & ~wft_on)
        .then(_lit("not_in_force|HB61-WFT-1"))
        .when(wft_bad)
        .then(_lit("wft.months|HB61-WFT-1"))
        .when(wft_on & ~wft_pays)
        .then(_lit("not_in_force|HB61-WFT-1"))
        .when(no_level & ~any_on)
        .then(_lit("not_in_force|HB61-CMP-1"))
        .when(no_level)
        .then(_lit("cmp.no_level|HB61-CMP-1"))
        .when(cmp_level_given & ~version_on)
        .then(_reason("not_in_force", cmp_rule))
        .when(not_finalist)
        .then(_reason("cmp.not_finalist", cmp_rule))
        .when(cmp_level_given & ~cmp_pays)
        .then(_reason("not_in_force", cmp_rule))
        .when(tec & ~c("tec_on"))
        .then(_lit("not_in_force|HB45-TEC-1"))
        .when(no_title)
        .then(_lit("tec.no_title|HB45-TEC-1"))
        .when(tec & ~tec_pays)
        .then(_lit("not_in_force|HB45-TEC-1"))
        .when(app & ~app_pays)
        .then(_lit("not_in_force|HB45-APP-1"))
        .otherwise(None),
        ent_r2=pl.when(ps_failed)
        .then(_lit("ps.not_passed|HB61-PS-1"))
        .when(ps_ok & (ps_amount == 0))
        .then(_lit("zero_request|HB61-PS-2"))
        .otherwise(None),
        ent_i1=pl.when(ps_ok & (ps_amount > 0))
        .then(_lit("HB61-PS-2"))
        .when(wft_pays)
        .then(_lit("HB61-WFT-1"))
        .when(cmp_pays)
        .then(_rule(cmp_rule))
        .when(tec_pays)
        .then(_lit("HB45-TEC-1"))
        .when(app_pays)
        .then(_lit("HB45-APP-1"))
        .otherwise(None),
        ent_a1=pl.when(ps_ok & (ps_amount > 0))
        .then(ps_amount)
        .when(wft_pays)
        .then(paid * c("wft_rate"))
        .when(cmp_pays)
        .then(cmp_rate)
        .when(tec_pays)
        .then(tec_rate)
        .when(app_pays)
        .then(c("app"))
        .otherwise(None),
    )
