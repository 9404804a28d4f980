"""Employment/entrepreneurship and poverty-alleviated training (GA23): completion, practice
share, the institution's training subsidy, living allowances and the township fee."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..records import Record, cents
from . import Family, Lookup, Outcome

if TYPE_CHECKING:
    import polars as pl

HUNDRED = Decimal(100)


def completion(r: Record, p: Lookup, out: Outcome) -> None:
    """GA23-CRT-1: only a trainee who passed the theory and practical assessment is subsidised
    (applied in every region and on every date)."""
    if not r.passed:
        out.reject("crt.not_passed", "GA23-CRT-1")


def practice_share(r: Record, p: Lookup, out: Outcome) -> None:
    """GA23-HRS-1: practical hours at least ``practice.min_share`` of the total class hours
    (exactly the share passes)."""
    version = p("practice.min_share")
    if version is None:
        return
    share = version.value
    min_pct = (share * HUNDRED).normalize()
    if r.total_hours is None or r.practical_hours is None:
        out.reject("hrs.missing", "GA23-HRS-1", min_pct=min_pct, ref=version.reference)
    elif r.practical_hours < r.total_hours * share:
        pct = (r.practical_hours * HUNDRED / r.total_hours).quantize(Decimal("0.1"))
        out.reject(
            "hrs.short",
            "GA23-HRS-1",
            practical=r.practical_hours,
            total=r.total_hours,
            pct=pct,
            min_pct=min_pct,
            ref=version.reference,
        )


def training_subsidy(r: Record, p: Lookup, out: Outcome) -> None:
    """GA23-TRN-1: the occupation's subsidy standard (set by an administrator; no default) to
    the institution for each qualified trainee."""
    version = p("training_subsidy.standard")
    if version is None:
        out.note("trn.unset", "GA23-TRN-1", region=r.region, date=r.date)
        return
    if r.occupation is None or r.level is None:
        out.note("trn.no_occupation", "GA23-TRN-1", ref=version.reference)
        return
    rate = version.value.get(r.occupation, {}).get(r.level)
    if rate is None or cents(rate) == 0:
        out.note(
            "trn.no_standard",
            "GA23-TRN-1",
            occupation=r.occupation,
            level=r.level,
            ref=version.reference,
        )
        return
    amount = cents(rate)
    out.pay(
        "GA23-TRN-1",
        amount,
        "trn.item",
        occupation=r.occupation,
        level=r.level,
        rate_cents=amount,
        amount_cents=amount,
        ref=version.reference,
    )


def living_allowance(r: Record, p: Lookup, out: Outcome) -> None:
    """GA23-LIV-1/2: per whole day of attended standard hours (``attendance.hours_per_day``,
    GA23-DAY-1), ``living_allowance.daily_poverty_alleviated`` for a poverty-alleviated
    trainee, else ``living_allowance.daily_rural_or_difficulty`` for an employment-difficulty
    or rural trainee."""
    poverty = "poverty_alleviated" in r.categories
    other = "employment_difficulty" in r.categories or "rural" in r.categories
    poverty_rate = p("living_allowance.daily_poverty_alleviated")
    other_rate = p("living_allowance.daily_rural_or_difficulty")
    if poverty and poverty_rate is not None:
        rule, version = "GA23-LIV-2", poverty_rate
    elif other and other_rate is not None:
        rule, version = "GA23-LIV-1", other_rate
    elif not (poverty or other):
        if poverty_rate is None and other_rate is None:
            out.not_in_force("GA23-LIV-1", r)
        else:
            ref = (other_rate or poverty_rate).reference
            out.note("liv.no_category", "GA23-LIV-1", ref=ref)
        return
    else:
        out.not_in_force("GA23-LIV-2" if poverty else "GA23-LIV-1", r)
        return
    per_day = p("attendance.hours_per_day")
    if per_day is None or per_day.value == 0:
        out.not_in_force("GA23-DAY-1", r)
        return
    attended = r.attended_hours if r.attended_hours is not None else Decimal(0)
    hours = attended if r.total_hours is None else min(attended, r.total_hours)
    days = int(hours // per_day.value)
    rate = cents(version.value)
    if days == 0 or rate == 0:
        out.note("liv.no_days", rule, hours=attended, per_day=per_day.value, ref=version.reference)
        return
    out.pay(
        rule,
        days * rate,
        "liv.item",
        attended=attended,
        total=r.total_hours,
        per_day=per_day.value,
        days=days,
        rate_cents=rate,
        amount_cents=days * rate,
        ref=version.reference,
    )


def township_fee(r: Record, p: Lookup, out: Outcome) -> None:
    """GA23-FEE-1: ``township_fee.per_trainee`` per poverty-alleviated trainee who passed, to
    the township centre."""
    version = p("township_fee.per_trainee")
    if version is None:
        out.not_in_force("GA23-FEE-1", r)
        return
    amount = cents(version.value)
    if amount == 0:
        out.not_in_force("GA23-FEE-1", r)
        return
    out.pay(
        "GA23-FEE-1",
        amount,
        "fee.item",
        rate_cents=amount,
        amount_cents=amount,
        ref=version.reference,
    )


def employment(r: Record, p: Lookup, out: Outcome) -> None:
    completion(r, p, out)
    practice_share(r, p, out)
    if out.rejected:
        return
    training_subsidy(r, p, out)
    living_allowance(r, p, out)


def poverty(r: Record, p: Lookup, out: Outcome) -> None:
    employment(r, p, out)
    if not out.rejected:
        township_fee(r, p, out)


# -- the same rules as batch columns ------------------------------------------------------


def classroom_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """GA23-CRT-1, GA23-HRS-1, GA23-TRN-1, GA23-LIV-1/2, GA23-DAY-1, GA23-FEE-1."""
    # Polars is imported only when the batch path runs: the scalar path stays light.
    import polars as pl

    from ..batch._common import MICRO, _lit, _reason, _rule, _when_code, c

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


FAMILY = Family(
    formulas={"employment": employment, "poverty": poverty},
    columns=classroom_columns,
    rejected="cls_rej",
    reasons=("cls_r1", "cls_r2", "cls_r3", "cls_r4", "cls_r5"),
    items=(("cls_i1", "cls_a1"), ("cls_i2", "cls_a2"), ("cls_i3", "cls_a3")),
    amounts={
        "liv1": "living_allowance.daily_rural_or_difficulty",
        "liv2": "living_allowance.daily_poverty_alleviated",
        "fee": "township_fee.per_trainee",
    },
    counts={"per_day": "attendance.hours_per_day"},
    shares={"share": "practice.min_share"},
    flags={"trn_on": "training_subsidy.standard"},
)
