"""Claims as the actor sees them, what may be claimed (classes, enterprise programmes, township
fees), the public notices, and the class ledger's link to its claims.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.catalog.models import PROGRAM_CHOICES
from upskill.core.hooks import ClassLink
from upskill.core.scoping import Actor, visible
from upskill.enterprise.models import KIND_OF_PROGRAM
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import ClassStatus, TrainingClass

from ..models import (
    Claim,
    ClaimItem,
    ClaimKind,
    ClaimStatus,
    Decision,
    Payee,
)

FEE_RULE = "GA23-FEE-1"


def township_fees_claimable(
    township: Organisation, year: int | None, *, claim=None
) -> list[ClaimItem]:
    """GA23-FEE-1 fees of the township's trainees whose training subsidy was claimed and
    approved — the line approved, the organiser's claim past its public notice — and not on a
    live line of another township claim (a fee is claimed once). ``year`` is the training's
    (``None``: every year)."""
    taken = ClaimItem.objects.filter(source__isnull=False, line__claim__kind=ClaimKind.TOWNSHIP)
    taken = taken.exclude(line__claim__status=ClaimStatus.REFUSED).exclude(
        line__decision=Decision.REFUSED
    )
    if claim is not None:
        taken = taken.exclude(line__claim=claim)
    fees = ClaimItem.objects.filter(
        rule=FEE_RULE,
        payee=Payee.TOWNSHIP,
        payee_organisation=township,
        line__decision=Decision.APPROVED,
        line__claim__status=ClaimStatus.PAYABLE,
    )
    if year is not None:
        fees = fees.filter(line__date__year=year)
    return list(
        fees.exclude(line__claim__kind=ClaimKind.TOWNSHIP)
        .exclude(pk__in=taken.values("source_id"))
        .select_related("line__person", "line__claim__training_class")
        .order_by("line__date", "pk")
    )


def notice_days(claim: Claim, on: date) -> int:
    version = parameters_in_effect().lookup("public_notice.working_days", claim.county.code, on)
    if version is None:
        raise ValidationError(_("HB45-PUB-1: no public notice period is set for this county."))
    return int(version.value)


@dataclass(frozen=True)
class ClaimPermissions:
    """What the actor may do with a claim now: computed once here, read by the claim's page,
    its template and the API (``permissions`` of a claim) alike."""

    is_claimant: bool
    submit: bool  # send it (or upload its documents), a draft or returned claim
    reassemble: bool  # price it again from the records, a returned claim
    review: bool  # a reviewer who is not the claimant
    take: bool
    decide: bool  # decide lines, approve: a claim under review
    return_claim: bool


def claim_permissions(*, actor: Actor, obj: Claim) -> ClaimPermissions:
    # a user or a partner token acts for its organisation
    organisation = getattr(actor, "organisation", None)
    is_claimant = organisation is not None and organisation.pk == obj.claimant_id
    editable = obj.status in (ClaimStatus.DRAFT, ClaimStatus.RETURNED)
    submit = is_claimant and actor.has_perm("subsidies.submit_claim") and editable
    review = actor.has_perm("subsidies.review_claim") and not is_claimant
    decide = review and obj.status == ClaimStatus.UNDER_REVIEW
    return ClaimPermissions(
        is_claimant=is_claimant,
        submit=submit,
        reassemble=submit and obj.status == ClaimStatus.RETURNED,
        review=review,
        take=review and obj.status == ClaimStatus.SUBMITTED,
        decide=decide,
        return_claim=review and obj.status in (ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW),
    )


def claim_list(*, actor) -> QuerySet[Claim]:
    # the list shows each claim's total (Claim.accepted_total reads its lines)
    return (
        visible(Claim, actor)
        .select_related("claimant", "training_class", "county")
        .prefetch_related("lines")
    )


def claimable_classes(*, actor):
    """The actor's finished classes without a live claim."""

    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return TrainingClass.objects.none()
    return (
        visible(TrainingClass, actor)
        .filter(organisation=organisation, status=ClassStatus.FINISHED)
        .exclude(claims__status__in=[s for s in ClaimStatus.values if s != ClaimStatus.REFUSED])
    )


def enterprise_programs(*, actor) -> list[tuple[str, str]]:
    """The programs an enterprise's clerk claims for without a class (HB61-CMP-1/2, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1), as (code, label); none for anyone else."""

    organisation = getattr(actor, "organisation", None)
    if (
        organisation is None
        or organisation.kind != OrganisationKind.ENTERPRISE
        or not actor.has_perm("subsidies.submit_claim")
    ):
        return []
    return [(code, label) for code, label in PROGRAM_CHOICES if code in KIND_OF_PROGRAM]


def township_fee_items(*, actor) -> QuerySet[ClaimItem]:
    """GA23-FEE-1 fees the engine computed for the actor's township centre on organisers'
    lines, each with the township claim that claims it (if any) and that claim's payment."""

    return (
        visible(ClaimItem, actor)
        .filter(rule="GA23-FEE-1", payee_organisation=getattr(actor, "organisation", None))
        .exclude(line__claim__kind=ClaimKind.TOWNSHIP)
        .select_related("line__person", "line__claim__training_class")
        .prefetch_related("township_claims__line__claim", "township_claims__payment")
        .order_by("-line__date", "pk")
    )


@dataclass(frozen=True)
class FeeYear:
    year: int
    count: int
    amount: Decimal


def township_claimable_years(*, actor) -> list[FeeYear]:
    """For a township centre's clerk: per training year, the GA23-FEE-1 fees ready to claim."""

    organisation = getattr(actor, "organisation", None)
    if (
        organisation is None
        or organisation.kind != OrganisationKind.TOWNSHIP_CENTRE
        or not actor.has_perm("subsidies.submit_claim")
    ):
        return []
    years: dict[int, list[Decimal]] = defaultdict(list)
    for fee in township_fees_claimable(organisation, None):
        years[fee.line.date.year].append(fee.amount)
    return [
        FeeYear(year, len(amounts), sum(amounts, Decimal("0.00")))
        for year, amounts in sorted(years.items(), reverse=True)
    ]


def notices(*, on: date) -> QuerySet[Claim]:
    """Claims under public notice (HB45-PUB-1): public."""
    return (
        Claim.objects.filter(status=ClaimStatus.NOTICE, notice_from__lte=on, notice_until__gte=on)
        .select_related("claimant", "training_class")
        .order_by("notice_until", "pk")
    )


def class_links(*, training_class, actor) -> list:
    """The class ledger's link to the subsidy claims made for it (core/hooks.py class.links)."""

    if not actor.has_perm("subsidies.view_claim"):
        return []
    claim = visible(Claim, actor).filter(training_class=training_class).order_by("-pk").first()
    if claim is not None:
        url = reverse("subsidies:claim_detail", args=[claim.pk])
        title = _("Subsidy claim")
    else:
        url, title = reverse("subsidies:claim_list"), _("Subsidy claims")
    return [ClassLink(title, url, order=30)]


def explanation_for_reader(explanation: dict) -> dict:
    """A claim line's stored explanation with each sentence rendered again, in the reader's
    language, from the facts stored beside it (rule, figures, the parameter version's reference
    as evaluated; issue 15.9), or from the message and parameters of the product's own sentence
    (a township line's basis). A line assembled before the facts were stored keeps its
    sentence."""
    from django.utils import translation

    from upskill.core.stored_text import render_stored_text
    from upskill.policy.explain import render_facts

    lang = "en" if (translation.get_language() or "").startswith("en") else "zh"

    def sentence(entry: dict) -> dict:
        if "facts" in entry:  # the engine's sentence
            return {**entry, "message": render_facts(entry["facts"], lang)}
        if "text" in entry:  # the product's own sentence (core/stored_text.py)
            return {**entry, "message": render_stored_text(entry["text"], entry["message"])}
        return entry

    return {
        **explanation,
        "items": [sentence(item) for item in explanation.get("items", [])],
        "reasons": [sentence(reason) for reason in explanation.get("reasons", [])],
    }
