"""Reads of the enterprise app, already scoped (docs/roles.md): an enterprise its own records, the
bureau those of its jurisdiction, an association those of its members."""

from __future__ import annotations

from django.db.models import QuerySet

from upskill.core.scoping import visible

from .models import EmploymentContract, EnterpriseRecord


def contracts(*, actor) -> QuerySet[EmploymentContract]:
    return visible(EmploymentContract, actor).select_related("person", "enterprise")


def records(*, actor, kind: str = "") -> QuerySet[EnterpriseRecord]:
    qs = visible(EnterpriseRecord, actor).select_related("person", "enterprise")
    if kind:
        qs = qs.filter(kind=kind)
    return qs
