"""Private helpers shared by the training services: the owner-only class, the running class,
the trainee found by ID number and name."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from upskill.core.scoping import get_visible_or_404
from upskill.registry.identity import IdentityError, parse_resident_id
from upskill.registry.services import id_number_hash

from ..models import (
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from ..selectors import is_organiser
from .organisers import class_recruiting_get


def _own_class(actor, training_class: TrainingClass, perm: str) -> TrainingClass:
    """The class if it is the actor's organisation's own (owner-only actions)."""
    training_class = get_visible_or_404(TrainingClass, actor, perm=perm, pk=training_class.pk)
    if not is_organiser(actor, training_class):
        raise PermissionDenied(perm)
    return training_class


def _enrolling_class(actor, training_class: TrainingClass) -> TrainingClass:
    # the organiser, or the township centre of the class's township (组织招生, GA23 三(五))
    return class_recruiting_get(actor=actor, training_class=training_class)


def _running(training_class: TrainingClass) -> None:
    if training_class.status != ClassStatus.RUNNING:
        raise ValidationError(
            _("Attendance is kept while the class is running (now: %(s)s).")
            % {"s": training_class.get_status_display()}
        )


def _enrolment_by_identity(training_class: TrainingClass, id_number: str, name: str) -> Enrolment:
    """The trainee's enrolment in the class, from the ID number and name they type in. The
    refusal never says which of the two was wrong."""
    refusal = ValidationError(
        _("No trainee of this class has this ID number and name. Check both and try again.")
    )
    try:
        number = parse_resident_id(id_number).number
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    enrolment = (
        Enrolment.objects.filter(
            training_class=training_class,
            person__id_number_hash=id_number_hash(number),
            status=EnrolmentStatus.ENROLLED,
        )
        .select_related("person")
        .first()
    )
    if enrolment is None or enrolment.person.name != " ".join(str(name).split()):
        raise refusal
    return enrolment
