"""Online skill-level training (WH20): the employee's skill-upgrade subsidy by certificate
level and the enterprise's online-training subsidy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Record, cents
from . import Family, Lookup, Outcome

if TYPE_CHECKING:
    import polars as pl


def skill_certificate(r: Record, p: Lookup, out: Outcome) -> None:
    """WH20-SUB-1/2: ``skill_certificate.level_4`` or ``skill_certificate.level_3`` by the
    certificate's level, to an employee with at least ``skill_certificate.min_insured_months``
    of unemployment insurance (WH20-OBJ-1)."""
    level_4, level_3 = p("skill_certificate.level_4"), p("skill_certificate.level_3")
    rule = "WH20-SUB-2" if r.level == 3 else "WH20-SUB-1"
    if level_4 is None and level_3 is None:
        out.not_in_force(rule, r)
        return
    ref = (level_3 if r.level == 3 and level_3 else level_4 or level_3).reference
    if not r.passed:
        out.reject("sub.not_passed", rule, ref=ref)
    minimum = p("skill_certificate.min_insured_months")
    if minimum is not None:
        if r.insured_months is None:
            out.reject("sub.insurance_missing", rule, min=minimum.value, ref=ref)
        elif r.insured_months < minimum.value:
            out.reject("sub.insurance", rule, months=r.insured_months, min=minimum.value, ref=ref)
    if out.rejected:
        return
    version = {4: level_4, 3: level_3}.get(r.level)
    if r.level not in (3, 4):
        out.note("sub.level", rule, level=r.level if r.level is not None else "—", ref=ref)
    elif version is None or cents(version.value) == 0:
        out.not_in_force(rule, r)
    else:
        amount = cents(version.value)
        out.pay(
            rule,
            amount,
            "sub.item",
            level_key=r.level,
            months=r.insured_months if r.insured_months is not None else "—",
            min=minimum.value if minimum else 0,
            amount_cents=amount,
            ref=version.reference,
        )


def enterprise_online(r: Record, p: Lookup, out: Outcome) -> None:
    """WH20-SUB-3: ``enterprise_online.per_trainee`` per trainee, to the employee's own
    enterprise, whoever organised the online training. ``online`` is true on one record per
    employee only (the product sets it: paid once per employee)."""
    version = p("enterprise_online.per_trainee")
    if version is None or cents(version.value) == 0:
        out.not_in_force("WH20-SUB-3", r)
    elif not r.online:
        out.note("online.not_online", "WH20-SUB-3", ref=version.reference)
    elif not r.passed:
        out.note("sub.not_passed", "WH20-SUB-3", ref=version.reference)
    else:
        amount = cents(version.value)
        out.pay(
            "WH20-SUB-3",
            amount,
            "online.item",
            rate_cents=amount,
            amount_cents=amount,
            ref=version.reference,
        )


def learning_hours(r: Record, p: Lookup, out: Outcome) -> None:
    """WH20-PRG-1: the hours an online class's record carries were learnt, not pages opened
    (the product takes the theory hours from the watched time): the explanation says so,
    with the hours, whether the record is paid or refused."""
    if r.attended_hours is not None:
        out.note("online.hours", "WH20-PRG-1", hours=r.attended_hours)


def online_skill_level(r: Record, p: Lookup, out: Outcome) -> None:
    skill_certificate(r, p, out)
    if not out.rejected:
        enterprise_online(r, p, out)
    learning_hours(r, p, out)


# -- the same rules as batch columns ------------------------------------------------------


def online_columns(df: pl.LazyFrame) -> pl.LazyFrame:
    """WH20-SUB-1/2 (with WH20-OBJ-1), WH20-SUB-3 and WH20-PRG-1's note of the hours."""
    # Polars is imported only when the batch path runs: the scalar path stays light.
    import polars as pl

    from ..batch._common import _lit, _reason, _rule, c

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
        # last, paid or refused (the scalar path notes it after the rules)
        onl_r5=pl.when(onl & c("attended").is_not_null())
        .then(_lit("online.hours|WH20-PRG-1"))
        .otherwise(None),
        onl_i1=pl.when(sub_pays).then(_rule(rule)).otherwise(None),
        onl_a1=pl.when(sub_pays).then(amount).otherwise(None),
        onl_i2=pl.when(onl_pays).then(_lit("WH20-SUB-3")).otherwise(None),
        onl_a2=pl.when(onl_pays).then(c("onl")).otherwise(None),
    )


FAMILY = Family(
    formulas={"online_skill_level": online_skill_level},
    columns=online_columns,
    rejected="onl_rej",
    reasons=("onl_r1", "onl_r2", "onl_r3", "onl_r4", "onl_r5"),
    items=(("onl_i1", "onl_a1"), ("onl_i2", "onl_a2")),
    amounts={
        "l4": "skill_certificate.level_4",
        "l3": "skill_certificate.level_3",
        "onl": "enterprise_online.per_trainee",
    },
    counts={"min_ins": "skill_certificate.min_insured_months"},
)
