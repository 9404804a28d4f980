"""Enterprise programs (HB61, HB45): pre-job, post-skill, work-for-training, competitions,
new technicians and new apprentices. Every payment goes to the enterprise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Record, cents
from . import Family, Lookup, Outcome, anniversary

if TYPE_CHECKING:
    import polars as pl


def _ceiling(r: Record, rule: str, ceiling_cents: int, code: str, out: Outcome, **figures):
    """Rules that say "不高于/不超过": the amount applied for, up to the ceiling."""
    amount = ceiling_cents
    if r.requested_amount is not None:
        figures["requested_cents"] = cents(r.requested_amount)
        amount = min(figures["requested_cents"], ceiling_cents)
    if amount == 0:
        out.note("zero_request", rule, ref=figures.get("ref"))
        return
    out.pay(
        rule,
        amount,
        code,
        max_cents=ceiling_cents,
        amount_cents=amount,
        **figures,
    )


def pre_job(r: Record, p: Lookup, out: Outcome) -> None:
    """HB61-PJ-1/2: a new hire on a contract of at least ``pre_job.min_contract_years``,
    trained within ``pre_job.training_window_years`` of the signing day, for at least
    ``pre_job.min_hours``, insured ``pre_job.min_consecutive_insured_months`` in a row and still
    employed at settlement; the amount applied for, up to ``pre_job.max_per_trainee``."""
    ceiling = p("pre_job.max_per_trainee")
    if ceiling is None:
        out.not_in_force("HB61-PJ-2", r)
        return
    ref = ceiling.reference
    for name in (
        "contract_years",
        "contract_signed",
        "training_started",
        "total_hours",
        "consecutive_insured_months",
        "still_employed",
    ):
        if getattr(r, name) is None:
            out.reject("pj.missing", "HB61-PJ-1", field=name, ref=ref)
    if out.rejected:
        return
    min_years = p("pre_job.min_contract_years")
    if min_years is not None and r.contract_years < min_years.value:
        out.reject(
            "pj.contract",
            "HB61-PJ-1",
            years=r.contract_years,
            min=min_years.value,
            ref=min_years.reference,
        )
    window = p("pre_job.training_window_years")
    if window is not None:
        last = anniversary(r.contract_signed, window.value)
        if not r.contract_signed <= r.training_started <= last:
            out.reject(
                "pj.window",
                "HB61-PJ-1",
                started=r.training_started,
                signed=r.contract_signed,
                window=window.value,
                last=last,
                ref=window.reference,
            )
    min_hours = p("pre_job.min_hours")
    if min_hours is not None and r.total_hours < min_hours.value:
        out.reject(
            "pj.hours",
            "HB61-PJ-1",
            hours=r.total_hours,
            min=min_hours.value,
            ref=min_hours.reference,
        )
    min_insured = p("pre_job.min_consecutive_insured_months")
    if min_insured is not None and r.consecutive_insured_months < min_insured.value:
        out.reject(
            "pj.insured",
            "HB61-PJ-1",
            months=r.consecutive_insured_months,
            min=min_insured.value,
            ref=min_insured.reference,
        )
    if not r.still_employed:
        out.reject("pj.not_employed", "HB61-PJ-1", ref=ref)
    if out.rejected:
        return
    _ceiling(
        r,
        "HB61-PJ-2",
        cents(ceiling.value),
        "pj.item",
        out,
        years=r.contract_years,
        signed=r.contract_signed,
        started=r.training_started,
        hours=r.total_hours,
        insured=r.consecutive_insured_months,
        ref=ref,
    )


def post_skill(r: Record, p: Lookup, out: Outcome) -> None:
    """HB61-PS-1/2: at least ``post_skill.min_hours`` class hours and passed; the amount
    applied for, up to ``post_skill.max_per_trainee`` per qualified trainee."""
    ceiling = p("post_skill.max_per_trainee")
    if ceiling is None:
        out.not_in_force("HB61-PS-2", r)
        return
    min_hours = p("post_skill.min_hours")
    if min_hours is not None:
        if r.total_hours is None:
            out.reject(
                "ps.hours_missing", "HB61-PS-1", min=min_hours.value, ref=min_hours.reference
            )
        elif r.total_hours < min_hours.value:
            out.reject(
                "ps.hours",
                "HB61-PS-1",
                hours=r.total_hours,
                min=min_hours.value,
                ref=min_hours.reference,
            )
    if not r.passed:
        out.reject("ps.not_passed", "HB61-PS-1", ref=ceiling.reference)
    if out.rejected:
        return
    _ceiling(
        r,
        "HB61-PS-2",
        cents(ceiling.value),
        "ps.item",
        out,
        hours=r.total_hours if r.total_hours is not None else "—",
        ref=ceiling.reference,
    )


def work_for_training(r: Record, p: Lookup, out: Outcome) -> None:
    """HB61-WFT-1: ``work_for_training.monthly`` a month for at most
    ``work_for_training.max_months`` (per person in all: the caps' order, engine.apply_caps);
    paid while the parameters are in force for the record's date."""
    monthly = p("work_for_training.monthly")
    if monthly is None or cents(monthly.value) == 0:
        out.not_in_force("HB61-WFT-1", r)
        return
    if r.months is None or r.months < 1:
        out.reject("wft.months", "HB61-WFT-1", ref=monthly.reference)
        return
    maximum = p("work_for_training.max_months")
    paid = r.months if maximum is None else min(r.months, maximum.value)
    if paid == 0:
        out.not_in_force("HB61-WFT-1", r)
        return
    rate = cents(monthly.value)
    out.pay(
        "HB61-WFT-1",
        paid * rate,
        "wft.item",
        months=r.months,
        max_months=maximum.value if maximum else r.months,
        paid_months=paid,
        rate_cents=rate,
        amount_cents=paid * rate,
        ref=monthly.reference,
    )


def competition(r: Record, p: Lookup, out: Outcome) -> None:
    """HB61-CMP-1/2: finalists of listed competitions (``competition.finalist`` by level) and
    of the enterprise's own competitions (``competition.enterprise_finalist``)."""
    table = p("competition.finalist")
    own = p("competition.enterprise_finalist")
    rule = "HB61-CMP-2" if r.competition_level == "enterprise" else "HB61-CMP-1"
    if r.competition_level is None:
        if table is None and own is None:
            out.not_in_force(rule, r)
        else:
            out.reject("cmp.no_level", rule, ref=(table or own).reference)
        return
    version = own if rule == "HB61-CMP-2" else table
    if version is None:
        out.not_in_force(rule, r)
        return
    if not r.finalist:
        out.reject("cmp.not_finalist", rule, ref=version.reference)
        return
    rate = version.value if rule == "HB61-CMP-2" else version.value.get(r.competition_level)
    if rate is None or cents(rate) == 0:
        out.not_in_force(rule, r)
        return
    amount = cents(rate)
    out.pay(
        rule,
        amount,
        "cmp.item",
        level_key=r.competition_level,
        amount_cents=amount,
        ref=version.reference,
    )


def new_technician(r: Record, p: Lookup, out: Outcome) -> None:
    """HB45-TEC-1: ``new_technician.grant`` by title (senior technician, technician, senior
    worker)."""
    table = p("new_technician.grant")
    if table is None:
        out.not_in_force("HB45-TEC-1", r)
        return
    if r.title is None:
        out.reject("tec.no_title", "HB45-TEC-1", ref=table.reference)
        return
    rate = table.value.get(r.title)
    if rate is None or cents(rate) == 0:
        out.not_in_force("HB45-TEC-1", r)
        return
    amount = cents(rate)
    out.pay(
        "HB45-TEC-1",
        amount,
        "tec.item",
        title=r.title,
        amount_cents=amount,
        ref=table.reference,
    )


def new_apprentice(r: Record, p: Lookup, out: Outcome) -> None:
    """HB45-APP-1: ``new_apprentice.per_year`` per apprentice (one record is one apprentice
    year)."""
    version = p("new_apprentice.per_year")
    if version is None or cents(version.value) == 0:
        out.not_in_force("HB45-APP-1", r)
        return
    amount = cents(version.value)
    out.pay(
        "HB45-APP-1",
        amount,
        "app.item",
        amount_cents=amount,
        ref=version.reference,
    )


# -- the same rules as batch columns ------------------------------------------------------

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
    # Polars is imported only when the batch path runs: the scalar path stays light.
    import polars as pl

    from ..batch._common import MICRO, _anniversary, _ceiling, _lit, _when_code, c

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


def enterprise_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """HB61-PS-1/2, HB61-WFT-1, HB61-CMP-1/2, HB45-TEC-1, HB45-APP-1."""
    # Polars is imported only when the batch path runs: the scalar path stays light.
    import polars as pl

    from ..batch._common import MICRO, _ceiling, _lit, _reason, _rule, c

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


PRE_JOB = Family(
    formulas={"pre_job": pre_job},
    columns=pre_job_columns,
    rejected="pj_rej",
    reasons=(
        "pj_r0",
        *[f"pj_m{i}" for i in range(len(PJ_FIELDS))],
        "pj_r1",
        "pj_r2",
        "pj_r3",
        "pj_r4",
        "pj_r5",
        "pj_r6",
    ),
    items=(("pj_i1", "pj_a1"),),
    amounts={"pj_max": "pre_job.max_per_trainee"},
    counts={
        "pj_hours": "pre_job.min_hours",
        "pj_years": "pre_job.min_contract_years",
        "pj_window": "pre_job.training_window_years",
        "pj_cons": "pre_job.min_consecutive_insured_months",
    },
)

FAMILY = Family(
    formulas={
        "post_skill": post_skill,
        "work_for_training": work_for_training,
        "competition": competition,
        "new_technician": new_technician,
        "new_apprentice": new_apprentice,
    },
    columns=enterprise_columns,
    rejected="ent_rej",
    reasons=("ent_r1", "ent_r2"),
    items=(("ent_i1", "ent_a1"),),
    amounts={
        "ps_max": "post_skill.max_per_trainee",
        "wft_rate": "work_for_training.monthly",
        "cmp_own": "competition.enterprise_finalist",
        "app": "new_apprentice.per_year",
    },
    counts={"ps_hours": "post_skill.min_hours", "wft_max": "work_for_training.max_months"},
    tables={"cmp": "competition.finalist", "tec": "new_technician.grant"},
)
