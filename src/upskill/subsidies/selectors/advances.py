"""Reads of the advance payments (HB45-ADV-1) and the fund rules (HB45-FND-1): what an approved
class may be advanced, the advances an organisation sees, the funds that may pay a set of
items with what is left of each, and what a final claim deducted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill import policy
from upskill.core.scoping import Actor, visible
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import ENROLLING_STATES, EnrolmentStatus, TrainingClass

from .. import ledger
from ..models import (
    ZERO,
    Advance,
    AdvanceDeduction,
    AdvanceStatus,
    Claim,
    ClaimItem,
    ClaimKind,
    Fund,
    FundRule,
    FundSource,
    Payee,
)
from .records import class_facts, class_record, persons_history

ADVANCE_RULE = "HB45-ADV-1"
FUND_RULE = "HB45-FND-1"
CENT = Decimal("0.01")
# the organiser's own money: what an advance is a share of (the trainees' allowances and the
# township's fee are paid to them, never advanced to the organiser)
ORGANISER_PAYEES = (Payee.ORGANISER, Payee.ENTERPRISE)
# an advance still owed to the organiser or paid and not yet deducted
LIVE = (AdvanceStatus.APPLIED, AdvanceStatus.APPROVED, AdvanceStatus.PAID)
NOT_RUNNING = gettext_lazy(
    "HB45-ADV-1: an advance is paid for an approved class, before or during the training."
)


@dataclass
class AdvanceQuote:
    """What an approved class may be advanced (HB45-ADV-1): the organiser's subsidy priced by
    the engine as if every enrolled trainee attended in full and passed, the share in force
    and the amount; ``problem`` says why nothing may be advanced."""

    training_class: TrainingClass
    trainees: int = 0
    basis: Decimal = ZERO
    share: Decimal | None = None
    amount: Decimal = ZERO
    reference: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)  # by rule: rule, kind, count, amount
    problem: str = ""


def advance_quote(training_class: TrainingClass, *, params=None) -> AdvanceQuote:
    """Price the advance of a class. The share is the one in force for the class's county on
    its start date (in force 2019–2021 for Hubei); the engine prices the enrolled trainees'
    records with their attendance full and the exam passed, with their earlier subsidised
    trainings as history (HB45-CAP-1), as the final claim will."""
    quote = AdvanceQuote(training_class=training_class)
    params = params or parameters_in_effect()
    if training_class.status not in ENROLLING_STATES:
        quote.problem = str(NOT_RUNNING)
        return quote
    version = params.lookup(
        "advance.max_share", training_class.county_code, training_class.start_date
    )
    if version is None or not version.value:
        quote.problem = _("HB45-ADV-1: no advance payment is in force for the class's dates.")
        return quote
    quote.share = Decimal(str(version.value))
    quote.reference = {
        "document": version.reference.document,
        "clause": version.reference.clause,
        "rule": version.reference.rule,
    }
    enrolments = list(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
            "person", "training_class__organisation", "training_class__catalog_entry__occupation"
        )
    )
    quote.trainees = len(enrolments)
    if not enrolments:
        quote.problem = _("HB45-ADV-1: enrol the trainees first; the advance is priced on them.")
        return quote
    persons = [e.person for e in enrolments]
    facts = class_facts(training_class, enrolments)
    total, _practical = facts.hours
    facts = replace(
        facts,
        passed={e.pk for e in enrolments},  # as if each passes
        attended={e.pk: total for e in enrolments},  # as if each attends in full
    )
    records = [class_record(e, facts=facts) for e in enrolments]
    results = policy.run(records, params, history=persons_history(persons, params=params))
    by_rule: dict[str, dict] = {}
    for result in results:
        for item in result.items:
            if item.payee not in ORGANISER_PAYEES:
                continue
            row = by_rule.setdefault(
                item.rule, {"rule": item.rule, "kind": item.kind, "count": 0, "amount": ZERO}
            )
            row["count"] += 1
            row["amount"] += Decimal(item.amount)
    quote.items = list(by_rule.values())
    quote.basis = sum((row["amount"] for row in quote.items), ZERO).quantize(CENT)
    quote.amount = (quote.basis * quote.share).quantize(CENT, rounding=ROUND_HALF_UP)
    if quote.amount <= 0:
        quote.problem = _(
            "HB45-ADV-1: the rules pay the organiser nothing for these trainees; "
            "there is nothing to advance."
        )
    return quote


def advance_list(*, actor: Actor) -> QuerySet[Advance]:
    return visible(Advance, actor).select_related(
        "training_class", "claimant", "county", "fund", "settled_by_claim"
    )


def classes_for_advance(*, actor: Actor) -> QuerySet[TrainingClass]:
    """The organiser's approved or running classes without a live advance."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return TrainingClass.objects.none()
    return (
        visible(TrainingClass, actor)
        .filter(organisation=organisation, status__in=ENROLLING_STATES)
        .exclude(advances__status__in=LIVE)
        .exclude(advances__status=AdvanceStatus.SETTLED)
        .select_related("township", "catalog_entry__occupation")
    )


def advance_of_claim(claim: Claim) -> Advance | None:
    """The advance of the claim's class, paid or deducted (shown on the claim's page)."""
    if claim.training_class_id is None:
        return None
    return (
        Advance.objects.filter(
            training_class_id=claim.training_class_id,
            status__in=[AdvanceStatus.APPROVED, AdvanceStatus.PAID, AdvanceStatus.SETTLED],
        )
        .select_related("fund")
        .first()
    )


def deductions_of_claim(claim: Claim) -> dict[int, Decimal]:
    """Claim item pk → the advance deducted from it."""
    return dict(
        AdvanceDeduction.objects.filter(claim_item__line__claim=claim).values_list(
            "claim_item_id", "amount"
        )
    )


# -- fund rules (HB45-FND-1) ---------------------------------------------------------------------


def reserved_sources(kind: str, region_code: str, on: date, *, params=None) -> tuple[str, ...]:
    """The only fund sources the policy lets pay an item of ``kind`` (empty: no reservation)."""
    params = params or parameters_in_effect()
    table = params.value("funds.sources_by_kind", region_code, on) or {}
    return tuple(table.get(kind, ()))


def fund_refusal(fund: Fund, kinds: Iterable[tuple[str, date]], *, params=None, rules=None) -> str:
    """Why ``fund`` may not pay items of these (kind, date) pairs, or "" when it may: the
    policy's parameter reserves some kinds to named sources (living allowances to the
    employment subsidy fund, HB45-FND-1); for every other kind, the bureau's setting
    (:class:`FundRule`) may narrow what a source pays, with no restriction by default."""
    params = params or parameters_in_effect()
    region_code = fund.region.code
    if rules is None:
        rules = {r.source: r.kinds for r in FundRule.objects.filter(region_id=fund.region_id)}
    for kind, on in sorted(set(kinds)):
        reserved = reserved_sources(kind, region_code, on, params=params)
        if reserved and fund.source not in reserved:
            return _("%(fund)s may not pay %(kind)s: only %(sources)s may (HB45-FND-1).") % {
                "fund": fund,
                "kind": kind_label(kind),
                "sources": _source_labels(reserved),
            }
        allowed = rules.get(fund.source)
        if not reserved and allowed is not None and kind not in allowed:
            return _(
                "%(fund)s may not pay %(kind)s: the bureau's fund rules do not allow it "
                "(HB45-FND-1)."
            ) % {"fund": fund, "kind": kind_label(kind)}
    return ""


@dataclass(frozen=True)
class FundChoice:
    fund: Fund
    remaining: Decimal
    refusal: str  # "" when the fund may pay every item


def fund_choices(
    *, actor: Actor, county_id: int, years: Iterable[int], kinds: Iterable[tuple[str, date]]
) -> list[FundChoice]:
    """The county's funds of these years with the budget left of each and whether it may pay
    the items (the reviewer's choice at approval, HB45-FND-1)."""
    kinds = list(kinds)
    params = parameters_in_effect()
    funds = list(
        visible(Fund, actor)
        .filter(region_id=county_id, year__in=list(years))
        .select_related("region")
    )
    rules = {r.source: r.kinds for r in FundRule.objects.filter(region_id=county_id)}
    return [
        FundChoice(f, ledger.remaining(f), fund_refusal(f, kinds, params=params, rules=rules))
        for f in funds
    ]


def claim_fund_choices(*, actor: Actor, claim: Claim) -> list[FundChoice]:
    """The funds the reviewer may charge the claim's payable items to (HB45-FND-1): the
    township's fees of an organiser's claim are charged with the township's own claim."""
    items = ClaimItem.objects.filter(line__claim=claim, line__status="accepted").select_related(
        "line"
    )
    if claim.kind != ClaimKind.TOWNSHIP:
        items = items.filter(~Q(payee=Payee.TOWNSHIP))
    return fund_choices(
        actor=actor,
        county_id=claim.county_id,
        years={timezone.localdate().year, claim.period_year},
        kinds=[(i.kind, i.line.date) for i in items],
    )


def advance_fund_choices(*, actor: Actor, advance: Advance) -> list[FundChoice]:
    """The funds the reviewer may charge an advance to, with the budget left of each."""
    on = advance.training_class.start_date
    return fund_choices(
        actor=actor,
        county_id=advance.county_id,
        years={timezone.localdate().year, on.year},
        kinds=[(row["kind"], on) for row in advance.explanation.get("items", [])],
    )


def fund_rules(*, actor: Actor) -> QuerySet[FundRule]:
    return visible(FundRule, actor).select_related("region")


def kind_label(kind: str) -> str:
    return str(ITEM_KIND_LABELS.get(kind, kind))


def _source_labels(sources: Iterable[str]) -> str:
    labels = dict(FundSource.choices)
    return "、".join(str(labels.get(s, s)) for s in sources)


def _labels() -> dict[str, str]:
    return {
        "living_allowance": gettext_lazy("living allowance"),
        "training_subsidy": gettext_lazy("training subsidy"),
        "township_fee": gettext_lazy("township management fee"),
        "skill_certificate": gettext_lazy("skill certificate subsidy"),
        "enterprise_online": gettext_lazy("enterprise online training subsidy"),
        "pre_job": gettext_lazy("pre-job training subsidy"),
        "post_skill": gettext_lazy("post-skill training subsidy"),
        "work_for_training": gettext_lazy("work-for-training subsidy"),
        "competition": gettext_lazy("competition subsidy"),
        "new_technician": gettext_lazy("new technician subsidy"),
        "new_apprentice": gettext_lazy("new apprentice subsidy"),
    }


ITEM_KIND_LABELS = _labels()
