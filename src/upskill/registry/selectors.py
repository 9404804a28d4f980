"""Reads of the registry, already scoped to what the actor may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from upskill.core.scoping import visible

from .identity import normalise_digits
from .models import Person, PersonCategory


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
    """The policy engine's category codes for the person on a date (EVALUATE.md), including
    `rural`, which follows from the agricultural household registration."""
    codes = {
        entry.category.policy_code
        for entry in person.categories.all()
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
