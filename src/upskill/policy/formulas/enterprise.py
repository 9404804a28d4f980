"""Enterprise programs (HB61, HB45): pre-job, post-skill, work-for-training, competitions,
new technicians and new apprentices. Every payment goes to the enterprise."""

from __future__ import annotations

from ..records import Record, cents
from . import Lookup, Outcome, anniversary


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
    """HB61-PJ-1/2: a new hire on a contract of at least a year, trained from the signing day
    to its first anniversary, at least 20 hours, 3 consecutive insured months and still
    employed at settlement; at most 500."""
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
    """HB61-PS-1/2: at least 20 class hours and passed; at most 300 per qualified trainee."""
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
    """HB61-WFT-1: 500 a month for at most 6 months; claims accepted until 2020-12-31."""
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
    """HB61-CMP-1/2: finalists of listed competitions (500/1,000/2,000/3,000 by level) and of
    the enterprise's own competitions (500)."""
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
    """HB45-TEC-1: 5,000 senior technician, 3,500 technician, 2,000 senior worker."""
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
    """HB45-APP-1: 4,000 per apprentice per year (one record is one apprentice year)."""
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
