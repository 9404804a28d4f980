"""Test data of the assessment app, made through the services (fixtures and scope cases)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.core.scoping import SYSTEM


def examined_class(world, make_person, *, scores=((80, 75),), close: bool = True, **person):
    """A running 中式烹调师 class of inst1 in 斗湖堤镇 with one trainee per ``scores`` entry
    ((theory, practical); ``None`` for absent), examined in a first session; closed (results
    confirmed, certificates issued) unless ``close`` is False. Returns the session."""
    from upskill.assessment import services
    from upskill.training.tests.factories import enrol, make_class

    training_class = make_class(world, status="running")
    enrolments = enrol(training_class, make_person, len(scores), **person)
    session = services.session_create(
        actor=SYSTEM,
        training_class=training_class,
        date=date(2023, 5, 19),
        place="实训楼一楼考场",
        examiners="李考评、王考评",
    )
    attempts = {a.enrolment_id: a for a in session.attempts.all()}
    for enrolment, (theory, practical) in zip(enrolments, scores, strict=True):
        services.attempt_record(
            actor=SYSTEM,
            attempt=attempts[enrolment.pk],
            theory_score=None if theory is None else Decimal(theory),
            practical_score=None if practical is None else Decimal(practical),
            theory_absent=theory is None,
            practical_absent=practical is None,
        )
    if close:
        services.session_close(actor=SYSTEM, session=session)
    session.refresh_from_db()
    return session


def certificate_of(session):
    from upskill.assessment.models import Certificate

    return Certificate.objects.filter(attempt__session=session).order_by("pk").first()
