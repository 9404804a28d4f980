"""Reads of the enterprise app, already scoped (docs/roles.md): an enterprise its own records, the
bureau those of its jurisdiction, an association those of its members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from upskill.core.scoping import SYSTEM, Actor, visible
from upskill.organisations.models import Organisation
from upskill.registry.models import Person

from .models import EmploymentContract, EnterpriseRecord

CHANGE_CONTRACT = "enterprise.change_employmentcontract"


@dataclass(frozen=True)
class ContractPermissions:
    """What the actor may do with a labour contract: computed once here for the page, its
    template and the services' callers."""

    change: bool  # the enterprise's own contract, with the permission to change it


def contract_permissions(*, actor: Actor, obj: EmploymentContract) -> ContractPermissions:
    own = actor is SYSTEM or obj.enterprise_id == getattr(actor, "organisation_id", None)
    return ContractPermissions(change=own and actor.has_perm(CHANGE_CONTRACT))


def contract_on(*, enterprise: Organisation, person: Person, on: date) -> EmploymentContract | None:
    """The person's contract with the enterprise that runs on a date (the latest signed on or
    before it), or None. Read for the engine's records, whoever prices them (no scope)."""
    return (
        EmploymentContract.objects.filter(enterprise=enterprise, person=person, signed__lte=on)
        .order_by("-signed", "-pk")
        .first()
    )


def contracts_on_many(
    wanted: Iterable[tuple[int, int, date]],
) -> dict[tuple[int, int, date], EmploymentContract | None]:
    """:func:`contract_on` for many (enterprise pk, person pk, date), in one query per 2,000
    persons: the key to the contract running on that date, or None."""
    wanted = list(wanted)
    signed: dict[tuple[int, int], list[EmploymentContract]] = defaultdict(list)
    persons = sorted({person_pk for _, person_pk, _ in wanted})
    enterprises = {enterprise_pk for enterprise_pk, _, _ in wanted}
    for start in range(0, len(persons), 2000):
        for contract in EmploymentContract.objects.filter(
            enterprise_id__in=enterprises, person_id__in=persons[start : start + 2000]
        ).order_by("-signed", "-pk"):
            signed[(contract.enterprise_id, contract.person_id)].append(contract)
    return {
        (enterprise_pk, person_pk, on): next(
            (c for c in signed.get((enterprise_pk, person_pk), ()) if c.signed <= on), None
        )
        for enterprise_pk, person_pk, on in wanted
    }


def employer_contract_on(*, person: Person, on: date) -> EmploymentContract | None:
    """The labour contract of the person's own enterprise on a date (the latest signed on or
    before it and not ended before it), whichever enterprise that is: who receives the
    enterprise's online-training subsidy (WH20-SUB-3) when an institution runs the training.
    Read for the engine's records, whoever prices them (no scope)."""
    return (
        EmploymentContract.objects.filter(person=person, signed__lte=on)
        .filter(Q(ended__isnull=True) | Q(ended__gte=on))
        .select_related("enterprise")
        .order_by("-signed", "-pk")
        .first()
    )


def contracts(*, actor: Actor) -> QuerySet[EmploymentContract]:
    return visible(EmploymentContract, actor).select_related("person", "enterprise")


def records(*, actor: Actor, kind: str = "") -> QuerySet[EnterpriseRecord]:
    qs = visible(EnterpriseRecord, actor).select_related("person", "enterprise")
    if kind:
        qs = qs.filter(kind=kind)
    return qs
