"""Affiliations: the organisations that see a person through a link with a basis (trainee,
employee, referral; docs/roles.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy

from upskill.core.history import bulk_create_audited
from upskill.core.scoping import SYSTEM, Actor
from upskill.core.services import AccessAction, access_log_record, access_log_record_many
from upskill.core.stored_text import stored_text
from upskill.organisations.models import Organisation

from ..models import Affiliation, AffiliationBasis, Person


def _link_description(person_masked: str, organisation: Organisation, basis: str) -> dict:
    return stored_text(
        gettext_lazy("%(person)s → %(organisation)s: %(basis)s"),
        person=person_masked,
        organisation=organisation.name,
        basis=AffiliationBasis(basis).label,
    )


def affiliation_ensure(
    *,
    actor: Actor = SYSTEM,
    person: Person,
    organisation: Organisation,
    kind: str,
    basis: str,
    since: date | None = None,
) -> Affiliation:
    """The affiliation that lets ``organisation`` see ``person``, resting on ``basis`` (an
    enrolment, a referral, a labour contract, or its own registration of the person); a new
    one is written to the access log. Nothing makes one from an ID number alone."""
    if basis == AffiliationBasis.LINK or basis not in AffiliationBasis.values:
        raise ValueError(f"An affiliation needs a real basis, not {basis!r}.")
    affiliation, created = Affiliation.objects.get_or_create(
        person=person,
        organisation=organisation,
        kind=kind,
        defaults={"since": since or timezone.localdate(), "basis": basis},
    )
    if not created and affiliation.basis == AffiliationBasis.LINK:
        affiliation.basis = basis  # a former bare link now rests on something real
        affiliation.save(update_fields=["basis"])
        created = True
    if created:
        access_log_record(
            actor=actor,
            action=AccessAction.LINK,
            obj=affiliation,
            field="basis",
            description=_link_description(person.id_number_masked, organisation, basis),
        )
    return affiliation


def affiliations_ensure_bulk(
    *,
    actor: Actor,
    person_ids: Sequence[int],
    organisation: Organisation,
    kind: str,
    basis: str,
    since: date | None = None,
) -> int:
    """:func:`affiliation_ensure` for many persons: the affiliations missing are created in bulk
    with their audit-trail rows and access-log entries; existing ones are kept (a former bare
    link gets the basis). Returns how many were created or given a basis."""
    if basis == AffiliationBasis.LINK or basis not in AffiliationBasis.values:
        raise ValueError(f"An affiliation needs a real basis, not {basis!r}.")
    wanted = list(dict.fromkeys(person_ids))
    existing: dict[int, tuple[int, str]] = {}
    for start in range(0, len(wanted), 2000):
        existing.update(
            (person_id, (pk, current))
            for pk, person_id, current in Affiliation.objects.filter(
                organisation=organisation, kind=kind, person_id__in=wanted[start : start + 2000]
            ).values_list("pk", "person_id", "basis")
        )
    since = since or timezone.localdate()
    created = bulk_create_audited(
        [
            Affiliation(
                person_id=pk, organisation_id=organisation.pk, kind=kind, basis=basis, since=since
            )
            for pk in wanted
            if pk not in existing
        ],
        Affiliation,
        actor=actor,
    )
    created = list(created)
    upgraded = [pk for pk, current in existing.values() if current == AffiliationBasis.LINK]
    for affiliation in Affiliation.objects.filter(pk__in=upgraded):
        affiliation.basis = basis
        affiliation.save(update_fields=["basis"])
        created.append(affiliation)
    masked = _masked_numbers([a.person_id for a in created])
    access_log_record_many(
        actor=actor,
        action=AccessAction.LINK,
        field="basis",
        entries=[
            (a, _link_description(masked.get(a.person_id, ""), organisation, basis))
            for a in created
        ],
    )
    return len(created)


def _masked_numbers(person_ids: Sequence[int]) -> dict[int, str]:
    masked: dict[int, str] = {}
    for start in range(0, len(person_ids), 2000):
        masked.update(
            Person.objects.filter(pk__in=person_ids[start : start + 2000]).values_list(
                "pk", "id_number_masked"
            )
        )
    return masked
