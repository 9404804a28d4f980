"""Reads of the registry, already scoped to what the actor may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from upskill.core.scoping import visible

from .identity import normalise_digits
from .models import BankAccountChangeRequest, ChangeStatus, Person, PersonCategory


def person_list(*, actor, query: str = "", township_id: int | None = None) -> QuerySet[Person]:
    """Persons in scope; ``query`` matches a name, or an exact full ID number, or the last
    four characters of the ID number."""
    qs = visible(Person, actor).select_related("county", "township")
    query = query.strip()
    if query:
        digits = normalise_digits(query)
        if len(digits) == 18:
            from .services import id_number_hash

            qs = qs.filter(id_number_hash=id_number_hash(digits))
        elif digits and len(digits) == 4 and digits[:3].isdigit():
            qs = qs.filter(id_number_masked__endswith=digits)
        else:
            qs = qs.filter(Q(name__contains=query) | Q(phone=digits))
    if township_id:
        qs = qs.filter(township_id=township_id)
    return qs


def person_categories_on(person: Person, on: date) -> list[str]:
    """The policy engine's category codes for the person on a date (docs/calculator.md), including
    `rural`, which follows from the agricultural household registration."""
    return _codes_on(person, person.categories.all(), on)


def persons_categories_on(persons: Iterable[Person], on: date) -> dict[int, list[str]]:
    """:func:`person_categories_on` for many persons, their category entries read in one query
    per 2,000 persons (for a roster of thousands): each person's pk to its codes."""
    persons = list(persons)
    entries: dict[int, list[PersonCategory]] = defaultdict(list)
    for start in range(0, len(persons), 2000):
        for entry in PersonCategory.objects.filter(
            person_id__in=[person.pk for person in persons[start : start + 2000]]
        ).select_related("category"):
            entries[entry.person_id].append(entry)
    return {person.pk: _codes_on(person, entries.get(person.pk, ()), on) for person in persons}


def _codes_on(person: Person, entries: Iterable[PersonCategory], on: date) -> list[str]:
    codes = {
        entry.category.policy_code
        for entry in entries
        if entry.category.policy_code and entry.holds_on(on)
    }
    if person.is_rural:
        codes.add("rural")
    return sorted(codes)


def person_detail_queryset(*, actor) -> QuerySet[Person]:
    return (
        visible(Person, actor)
        .select_related("county", "township", "registered_by")
        .prefetch_related(
            Prefetch("categories", queryset=PersonCategory.objects.select_related("category")),
            "bank_accounts",
            "affiliations__organisation",
        )
    )


def bank_account_changes(
    *, actor, person: Person | None = None, pending_only: bool = True
) -> QuerySet[BankAccountChangeRequest]:
    """Account changes in scope, newest first: the waiting ones (the bureau's queue), or every
    change of one person (its history)."""
    qs = visible(BankAccountChangeRequest, actor).select_related(
        "person",
        "requested_by",
        "requested_by_organisation",
        "confirmed_by",
        "exception_decided_by",
    )
    if person is not None:
        qs = qs.filter(person=person)
    if pending_only:
        qs = qs.filter(status=ChangeStatus.PENDING)
    return qs
