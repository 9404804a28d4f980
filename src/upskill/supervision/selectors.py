"""Reads of the supervision app, already scoped to the actor."""

from __future__ import annotations

from django.db.models import QuerySet

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
    UploadSession,
)


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


def uploads(*, actor, training_class: TrainingClass) -> QuerySet:
    return visible(UploadSession, actor).filter(training_class=training_class)


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
