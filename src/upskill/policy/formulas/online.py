"""Online skill-level training (WH20): the employee's skill-upgrade subsidy by certificate
level and the enterprise's online-training subsidy."""

from __future__ import annotations

from ..records import Record, cents
from . import Lookup, Outcome


def skill_certificate(r: Record, p: Lookup, out: Outcome) -> None:
    """WH20-SUB-1/2: 1,500 for a level 4 and 2,000 for a level 3 certificate, to an employee
    with at least 12 months of unemployment insurance (WH20-OBJ-1)."""
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
    """WH20-SUB-3: 1,000 per trainee to the enterprise that organised online training."""
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


def online_skill_level(r: Record, p: Lookup, out: Outcome) -> None:
    skill_certificate(r, p, out)
    if not out.rejected:
        enterprise_online(r, p, out)
