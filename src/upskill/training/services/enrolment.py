"""Enrolment: one trainee by ID number, a roster file as a background job, a trainee leaving."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from upskill.core import hooks
from upskill.core.jobs import import_job_start
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Region

from .. import tasks
from ..models import (
    ENROLLING_STATES,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from ..permissions import ADD_ENROLMENT
from ._common import _enrolling_class, _own_class
from .rosters import RosterChecker, roster_apply


@transaction.atomic
def enrolment_create(
    *,
    actor: Actor,
    training_class: TrainingClass,
    id_number: str,
    name: str,
    hukou: str = "",
    township: Region | None = None,
    phone: str = "",
    categories: Sequence[str] = (),
    insured_months: int | None = None,
) -> Enrolment:
    """Enrol one trainee by ID number: a registered person (whose name must match) or a new one
    registered now; checked like a roster row (HB45-CAP-1)."""
    training_class = _enrolling_class(actor, training_class)
    require_perm(actor, "registry.view_person")
    checker = RosterChecker(training_class, [id_number])
    row = checker.check(
        {
            "id_number": id_number,
            "name": name,
            "hukou": hukou,
            "township": township.name if township else "",
            "phone": phone,
            "categories": "、".join(categories),
            "insured_months": "" if insured_months is None else str(insured_months),
        }
    )
    try:
        with transaction.atomic():
            (enrolment,) = roster_apply(actor=actor, training_class=training_class, rows=[row])
    except IntegrityError:  # registered or enrolled by someone else meanwhile
        raise ValidationError(
            {"id_number": _("This person was registered or enrolled meanwhile: try again.")}
        ) from None
    return enrolment


def roster_import(*, actor: Actor, training_class: TrainingClass, upload):
    """Import a class roster as a background job (core/jobs.py); returns the Job, whose page
    shows the progress and then the result or every bad row."""
    training_class = _enrolling_class(actor, training_class)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="training.roster_import",
        title=lambda filename: (
            _("Class roster: %(file)s → %(cls)s")
            % {"file": filename[:120], "cls": training_class.name}
        ),
        task=tasks.roster_import_task,  # tasks imports this package: looked up at call time
        default_name="roster",
        class_id=training_class.pk,
    )


@transaction.atomic
def enrolment_withdraw(*, actor: Actor, enrolment: Enrolment, reason: str) -> Enrolment:
    """A trainee leaves a class that is still enrolling (approved or running); the reason is
    kept in the enrolment's history. A finished class's roster is what its claim rests on, so
    it no longer changes."""
    enrolment = get_visible_or_404(
        Enrolment.objects.select_for_update(), actor, perm=ADD_ENROLMENT, pk=enrolment.pk
    )
    if enrolment.training_class.status not in ENROLLING_STATES:
        raise ValidationError(
            _("A trainee leaves a class while it is approved or running; it is “%(s)s”.")
            % {"s": enrolment.training_class.get_status_display()}
        )
    _own_class(actor, enrolment.training_class, ADD_ENROLMENT)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("This trainee has already left the class."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment._change_reason = reason.strip()
    enrolment.save()
    hooks.call(hooks.CLASS_FIGURES_CHANGED, class_ids=[enrolment.training_class_id])
    return enrolment
