"""Exam sessions and attempts (GA23-CRT-1, WH20-EXM-1, HB61-ONL-1): the first session examines
every trainee, a retake those not yet passed (each attempt kept); the examiner types the
scores; confirming the results issues the certificates (:mod:`.certificates`).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404
from upskill.training.models import EnrolmentStatus, TrainingClass

from ..models import Attempt, AttemptResult, Certificate, ExamSession, SessionStatus
from ..programmes import class_certificate
from ..selectors import pass_marks_for, passed_enrolment_ids
from ._common import ADD_SESSION, ENTER_SCORES, EXAM_STATES, _organiser
from .certificates import certificate_issue


@transaction.atomic
def session_create(
    *, actor: Actor, training_class: TrainingClass, date: date, place: str, examiners: str
) -> ExamSession:
    """Schedule an exam session of a class with the pass marks in force (GA23-CRT-1). The first
    examines every enrolled trainee; a retake (the previous session's results confirmed)
    examines those not yet passed, each as a new attempt (WH20-EXM-1)."""
    training_class = get_visible_or_404(
        TrainingClass.objects.select_for_update(), actor, perm=ADD_SESSION, pk=training_class.pk
    )
    _organiser(actor, training_class, ADD_SESSION)
    if training_class.status not in EXAM_STATES:
        raise ValidationError(
            _("A class is examined while it runs or once it is finished (now: %(s)s).")
            % {"s": training_class.get_status_display()}
        )
    last = training_class.exam_sessions.order_by("-number").first()
    if last is not None and last.is_open:
        raise ValidationError(
            _("Confirm the results of session %(n)d before scheduling a retake.")
            % {"n": last.number}
        )
    passed = passed_enrolment_ids(training_class)
    candidates = list(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .exclude(pk__in=passed)
        .order_by("pk")
    )
    if not candidates:
        raise ValidationError(_("Every trainee of the class has passed: no one left to examine."))
    if not str(place).strip() or not str(examiners).strip():
        raise ValidationError(_("Give the place and the examiners."))
    occupation = training_class.catalog_entry.occupation
    marks = pass_marks_for(occupation.name, occupation.level, training_class.county_code)
    session = ExamSession.objects.create(
        training_class=training_class,
        number=(last.number + 1) if last else 1,
        date=date,
        place=str(place).strip(),
        examiners=str(examiners).strip(),
        full_marks=marks.full_marks,
        theory_pass_mark=marks.theory,
        practical_pass_mark=marks.practical,
        online_theory_exempts=marks.online_theory_exempts,
        created_by=user_of(actor),
    )
    earlier = {}
    for enrolment_id in Attempt.objects.filter(enrolment__in=candidates).values_list(
        "enrolment_id", flat=True
    ):
        earlier[enrolment_id] = earlier.get(enrolment_id, 0) + 1
    for enrolment in candidates:
        attempt = Attempt.objects.create(
            session=session,
            enrolment=enrolment,
            attempt_number=earlier.get(enrolment.pk, 0) + 1,
        )
        # an online theory result the trainee already holds becomes the theory part (HB61-ONL-1)
        for result in hooks.call(hooks.ONLINE_THEORY_RESULT, enrolment=enrolment):
            if result is not None and _online_theory_fits(session, result):
                _record_online_theory(attempt, session, result, recorded_by=None)
                break
    return session


def _attempt_result(attempt: Attempt, session: ExamSession | None = None) -> str:
    """Passed when the theory part (or its exemption, HB61-ONL-1) and the practical part each
    reach the session's pass mark (GA23-CRT-1); absent when the trainee missed a part."""
    session = session or attempt.session
    if attempt.theory_absent or attempt.practical_absent:
        return AttemptResult.ABSENT
    theory_ok = attempt.theory_exempt or (
        attempt.theory_score is not None and attempt.theory_score >= session.theory_pass_mark
    )
    if (not attempt.theory_exempt and attempt.theory_score is None) or (
        attempt.practical_score is None
    ):
        return AttemptResult.PENDING
    if theory_ok and attempt.practical_score >= session.practical_pass_mark:
        return AttemptResult.PASSED
    return AttemptResult.FAILED


def _open_attempt(actor, attempt: Attempt) -> Attempt:
    attempt = get_visible_or_404(
        Attempt.objects.select_related("session__training_class", "enrolment__person"),
        actor,
        perm=ENTER_SCORES,
        pk=attempt.pk,
    )
    _organiser(actor, attempt.session.training_class, ENTER_SCORES)
    if not attempt.session.is_open:
        raise ValidationError(
            _(
                "The results of this session are confirmed; a trainee who failed retakes in a new "
                "session (WH20-EXM-1)."
            )
        )
    return attempt


def _parse_score(value, full_marks: Decimal, field: str) -> Decimal | None:
    """A score typed in or read from a sheet: blank → None; a number from 0 to the full marks,
    at most one decimal."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        score = value
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            score = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                {field: _("“%(v)s” is not a score.") % {"v": text[:20]}}
            ) from None
    if not score.is_finite() or score < 0 or score > full_marks:
        raise ValidationError({field: _("A score lies between 0 and %(f)s.") % {"f": full_marks}})
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError({field: _("Give the score with at most one decimal.")})
    return score.quantize(Decimal("0.1"))


@transaction.atomic
def attempt_record(
    *,
    actor: Actor,
    attempt: Attempt,
    theory_score: Decimal | str | None = None,
    practical_score: Decimal | str | None = None,
    theory_absent: bool = False,
    practical_absent: bool = False,
) -> Attempt:
    """The examiner enters one trainee's scores and absences (GA23-CRT-1); the result follows
    from the session's pass marks."""
    attempt = _open_attempt(actor, attempt)
    session = attempt.session
    attempt.theory_absent = bool(theory_absent) and not attempt.theory_exempt
    attempt.practical_absent = bool(practical_absent)
    if attempt.theory_exempt:
        attempt.theory_score = None
    else:
        attempt.theory_score = (
            None
            if attempt.theory_absent
            else _parse_score(theory_score, session.full_marks, "theory_score")
        )
    attempt.practical_score = (
        None
        if attempt.practical_absent
        else _parse_score(practical_score, session.full_marks, "practical_score")
    )
    attempt.result = _attempt_result(attempt, session)
    attempt.recorded_by = user_of(actor)
    attempt.save()
    return attempt


@transaction.atomic
def attempt_exempt_theory(
    *, actor: Actor, attempt: Attempt, online_score: Decimal | str, reference: str
) -> Attempt:
    """Record an online theory test result that exempts the trainee from the theory part
    (HB61-ONL-1), where the bureau's setting for the occupation allows it and the result
    reaches the theory pass mark."""
    attempt = _open_attempt(actor, attempt)
    session = attempt.session
    if not session.online_theory_exempts:
        raise ValidationError(
            _(
                "HB61-ONL-1: for this occupation and level the bureau does not accept an online "
                "theory result in place of the theory exam."
            )
        )
    score = _parse_score(online_score, session.full_marks, "online_theory_score")
    if score is None:
        raise ValidationError({"online_theory_score": _("Give the online theory score.")})
    if score < session.theory_pass_mark:
        raise ValidationError(
            {
                "online_theory_score": _(
                    "HB61-ONL-1: an online theory result exempts only when it reaches the theory "
                    "pass mark (%(m)s)."
                )
                % {"m": session.theory_pass_mark}
            }
        )
    reference = " ".join(str(reference).split())
    if not reference:
        raise ValidationError(
            {"online_theory_reference": _("Name the platform and the result number.")}
        )
    return _exempt(attempt, session, score, reference, recorded_by=user_of(actor))


def _exempt(attempt: Attempt, session: ExamSession, score: Decimal, reference: str, recorded_by):
    attempt.theory_exempt = True
    attempt.theory_absent = False
    attempt.theory_score = None
    attempt.online_theory_score = score
    attempt.online_theory_reference = reference[:128]
    attempt.result = _attempt_result(attempt, session)
    attempt.recorded_by = recorded_by
    attempt._change_reason = "HB61-ONL-1"
    attempt.save()
    return attempt


def _online_score(session: ExamSession, result: hooks.OnlineTheoryResult) -> Decimal:
    """The online exam's score on the session's scale (rounded down to one decimal)."""
    scaled = result.score * session.full_marks / result.full_marks
    return scaled.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def _online_theory_fits(session: ExamSession, result: hooks.OnlineTheoryResult) -> bool:
    """Whether an online result exempts in this session: the bureau's setting allows it and
    the score reaches the theory pass mark (HB61-ONL-1)."""
    return (
        session.is_open
        and session.online_theory_exempts
        and result.full_marks > 0
        and _online_score(session, result) >= session.theory_pass_mark
    )


def _record_online_theory(
    attempt: Attempt, session: ExamSession, result: hooks.OnlineTheoryResult, recorded_by
) -> Attempt:
    return _exempt(attempt, session, _online_score(session, result), result.reference, recorded_by)


@transaction.atomic
def attempt_online_theory_apply(*, enrolment, result: hooks.OnlineTheoryResult) -> list[Attempt]:
    """The online theory exam's passing result becomes the theory part of the trainee's open
    attempts (HB61-ONL-1), where it fits (:func:`_online_theory_fits`). Called by the online
    exam when a learner's attempt passes (the platform's server grading, no clerk typing); a
    session scheduled later takes the result through hook ``enrolment.online_theory``.
    Returns the attempts it recorded."""
    recorded = []
    attempts = (
        Attempt.objects.select_for_update()
        .select_related("session")
        .filter(enrolment=enrolment, session__status=SessionStatus.OPEN)
    )
    for attempt in attempts:
        if attempt.theory_exempt:
            continue
        if _online_theory_fits(attempt.session, result):
            recorded.append(_record_online_theory(attempt, attempt.session, result, None))
    return recorded


@transaction.atomic
def session_close(*, actor: Actor, session: ExamSession) -> list[Certificate]:
    """Confirm the session's results once every trainee is marked; each trainee who passed is
    issued the training certificate (GA23-CRT-1). Returns the certificates issued."""
    session = get_visible_or_404(
        ExamSession.objects.select_for_update().select_related("training_class"),
        actor,
        perm=ENTER_SCORES,
        pk=session.pk,
    )
    _organiser(actor, session.training_class, ENTER_SCORES)
    if not session.is_open:
        raise ValidationError(_("The results of this session are already confirmed."))
    pending = session.attempts.filter(result=AttemptResult.PENDING).count()
    if pending:
        raise ValidationError(
            _("%(n)d trainees have no result yet: enter their scores or mark them absent.")
            % {"n": pending}
        )
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    issued = []
    for attempt in session.attempts.filter(
        result__in=[AttemptResult.PASSED, AttemptResult.FAILED]
    ).select_related("enrolment__person"):
        # which programme issues the training certificate is a parameter (GA23-CRT-1, HB61-CRT-1)
        if class_certificate(session.training_class, attempt.result == AttemptResult.PASSED):
            issued.append(certificate_issue(actor=actor, attempt=attempt, on=session.date))
    return issued
