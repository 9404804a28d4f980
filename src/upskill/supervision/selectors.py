"""Reads of the supervision app, already scoped to the actor."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from upskill.core.scoping import visible
from upskill.organisations.models import Organisation
from upskill.training.models import TrainingClass

from .models import (
    Evidence,
    Inspection,
    Sanction,
    SanctionKind,
    Signal,
    SpotCheck,
)


def classes(*, actor, query: str = "") -> QuerySet:
    """Classes the actor may see that have reached approval, with how many inspections were
    recorded and how much evidence was uploaded (township centres see no supervision)."""
    from upskill.training.models import ClassStatus

    from .models import InspectionStatus

    qs = (
        visible(TrainingClass, actor)
        .exclude(status__in=(ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.RETURNED))
        .select_related("organisation", "catalog_entry__occupation")
        .annotate(
            inspections_done=Count(
                "inspections",
                filter=Q(inspections__status=InspectionStatus.DONE),
                distinct=True,
            ),
            evidence_count=Count("evidence", distinct=True),
        )
        .order_by("-start_date", "pk")
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query))
    return qs


def inspections(*, actor, training_class: TrainingClass | None = None) -> QuerySet:
    qs = visible(Inspection, actor).select_related("training_class", "inspector")
    if training_class is not None:
        qs = qs.filter(training_class=training_class)
    return qs.prefetch_related("screenshots")


def evidence(*, actor, training_class: TrainingClass | None = None) -> QuerySet:
    qs = visible(Evidence, actor).select_related("training_class")
    if training_class is not None:
        qs = qs.filter(training_class=training_class)
    return qs


def signals(*, actor, status: str = "", kind: str = "") -> QuerySet:
    qs = visible(Signal, actor).select_related(
        "training_class__organisation",
        "other_class__organisation",
        "evidence",
        "other_evidence",
        "person",
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def spot_checks(*, actor, organisation: Organisation | None = None) -> QuerySet:
    qs = visible(SpotCheck, actor).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def sanctions(*, actor, organisation: Organisation | None = None) -> QuerySet:
    qs = visible(Sanction, actor).select_related("organisation", "spot_check", "signal")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def public_criticisms() -> QuerySet:
    """Public criticisms (通报批评, GA23-SPT-1) are public: anyone may read them."""
    return Sanction.objects.filter(kind=SanctionKind.PUBLIC_CRITICISM).select_related(
        "organisation"
    )


def class_links(*, training_class, actor) -> list:
    """The class ledger's link to inspections and evidence, with the live compliance
    checklist shown inline (GA23-INS-1, GA23-PHO-1, GA23-VID-1; core/hooks.py class.links)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from upskill.core.hooks import ClassLink

    if not actor.has_perm("supervision.view_evidence"):
        return []
    return [
        ClassLink(
            _("Inspections and evidence"),
            reverse("supervision:class_page", args=[training_class.pk]),
            order=10,
            fragment_url=reverse("supervision:compliance", args=[training_class.pk]),
        )
    ]
