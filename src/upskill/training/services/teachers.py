"""Teachers of an institution or enterprise: registered and changed by their organisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Organisation
from upskill.registry.identity import normalise_digits
from upskill.registry.services import check_phone

from ..models import ORGANISER_KINDS, Teacher
from ..permissions import ADD_TEACHER, CHANGE_TEACHER
from .organisers import TRAINING_CENTRE


def _teacher_phone(value: str | None) -> str:
    """Digits only, 7 to 15 of them (stored encrypted, shown masked)."""
    try:
        return check_phone(value or "")
    except ValueError as exc:
        raise ValidationError({"phone": str(exc)}) from None


@transaction.atomic
def teacher_create(
    *,
    actor: Actor,
    name: str,
    certificate_kind: str,
    certificate_number: str,
    phone: str = "",
    occupation=None,
    level: int | None = None,
    organisation: Organisation | None = None,
) -> Teacher:
    """Register a teacher of the actor's institution or enterprise."""
    require_perm(actor, ADD_TEACHER)
    organisation = organisation if actor.is_superuser and organisation else actor.organisation
    # the county training centre teaches its poverty-alleviation classes too (GA23 三(五))
    if organisation is None or organisation.kind not in (*ORGANISER_KINDS, TRAINING_CENTRE):
        raise ValidationError(_("Only an institution or an enterprise registers its teachers."))
    teacher = Teacher(
        organisation=organisation,
        name=" ".join(str(name).split()),
        phone=_teacher_phone(phone),
        certificate_kind=certificate_kind.strip(),
        certificate_number=normalise_digits(certificate_number),
        occupation=occupation,
        level=level,
    )
    teacher.full_clean()
    teacher.save()
    return teacher


@transaction.atomic
def teacher_update(*, actor: Actor, teacher: Teacher, **changes) -> Teacher:
    teacher = get_visible_or_404(Teacher, actor, perm=CHANGE_TEACHER, pk=teacher.pk)
    allowed = {
        "name",
        "phone",
        "certificate_kind",
        "certificate_number",
        "occupation",
        "level",
        "is_active",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "phone" in changes:
        changes["phone"] = _teacher_phone(changes["phone"])
    for name, value in changes.items():
        setattr(teacher, name, value)
    teacher.full_clean()
    teacher.save()
    return teacher
