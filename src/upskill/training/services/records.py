"""Class records (GA23-SYS-1): the first lesson (the policy briefing) and the trainees'
satisfaction survey."""

from __future__ import annotations

from datetime import date
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor

from ..models import (
    SURVEY_QUESTIONS,
    ClassStatus,
    SurveyResponse,
    TrainingClass,
)
from ..permissions import RECORD_FIRST_LESSON
from ._common import _enrolment_by_identity, _own_class, _running


@transaction.atomic
def first_lesson_record(
    *, actor: Actor, training_class: TrainingClass, date: date, content: str
) -> TrainingClass:
    """The first lesson, the policy briefing, with its date and content (GA23-SYS-1)."""
    training_class = _own_class(actor, training_class, RECORD_FIRST_LESSON)
    _running(training_class)
    if not content.strip():
        raise ValidationError({"content": _("Describe what the briefing covered.")})
    if not (training_class.start_date <= date <= training_class.end_date):
        raise ValidationError({"date": _("The first lesson is outside the dates of the class.")})
    training_class.first_lesson_date = date
    training_class.first_lesson_content = content.strip()
    training_class.first_lesson_recorded_by = user_of(actor)
    training_class.save()
    return training_class


@transaction.atomic
def survey_answer(
    *,
    training_class: TrainingClass,
    id_number: str,
    name: str,
    answers: dict[str, int],
    comment: str = "",
    device_id: str = "",
) -> SurveyResponse:
    """A trainee answers the satisfaction survey before the class finishes (GA23-SYS-1), once."""
    training_class = TrainingClass.objects.get(pk=training_class.pk)
    if training_class.status != ClassStatus.RUNNING:
        raise ValidationError(_("The survey is open while the class is running."))
    enrolment = _enrolment_by_identity(training_class, id_number, name)
    if SurveyResponse.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("You have answered this survey already. Thank you."))
    clean: dict[str, int] = {}
    for key, _label in SURVEY_QUESTIONS:
        try:
            value = int(answers.get(key))
        except (TypeError, ValueError, InvalidOperation):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({key: _("Answer with a mark from 1 to 5.")})
        clean[key] = value
    return SurveyResponse.objects.create(
        enrolment=enrolment, answers=clean, comment=comment.strip()[:2000], device_id=device_id[:64]
    )
