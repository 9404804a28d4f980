"""Category entries of a person (poverty alleviated, monitored household …), each with its
source and validity."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, get_visible_or_404

from ..models import Category, Person, PersonCategory


@transaction.atomic
def person_category_add(
    *,
    actor: Actor,
    person: Person,
    category: Category,
    source: str,
    valid_from: date,
    valid_until: date | None = None,
) -> PersonCategory:
    person = get_visible_or_404(Person, actor, perm="registry.add_personcategory", pk=person.pk)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity is before its start.")})
    entry = PersonCategory(
        person=person,
        category=category,
        source=source,
        source_organisation=getattr(actor, "organisation", None),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    entry.full_clean()
    entry.save()
    return entry


# --- the poverty-alleviated roster (GA23-OBJ-2) -------------------------------------------------
#
# The rural revitalisation bureau and the township centres import the roster of poverty-
# alleviated persons, "two-after" graduates of poor families and monitored households from a
# spreadsheet (core/imports.py: all or nothing, every problem reported by row and column).
# A new ID number registers the person; a registered one gets the category entry. Writes are
# bulk (with their audit-trail rows), so ten thousand rows take seconds, not minutes.
