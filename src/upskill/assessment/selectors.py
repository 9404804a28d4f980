"""Reads of the assessment app, already scoped; the pass marks in force (GA23-CRT-1), the
public look-up of a certificate (HB61-CRT-1); and its sections of the worker's archive
(HB45-QA-1), contributed through the ``person.archive_sections`` hook (core/hooks.py)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.hooks import (
    ArchiveSection,
    ClassLink,
    PortalCard,
    PortalSection,
    TimelineEvent,
)
from upskill.core.scoping import Actor, visible
from upskill.registry.models import Person
from upskill.training.models import (
    Attendance,
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from upskill.training.selectors import is_organiser

from .models import (
    DEFAULT_FULL_MARKS,
    DEFAULT_PASS_MARK,
    Attempt,
    AttemptResult,
    Certificate,
    CertificateSource,
    ExamSession,
    PassMark,
    Verification,
    _region_chain,
)
from .permissions import ADD_SESSION, ENTER_SCORES, VERIFY_CERTIFICATE


def exam_classes(*, actor, query: str = "") -> QuerySet[TrainingClass]:
    """Classes that can be or have been examined, with their counts of trainees and passes."""
    qs = (
        visible(TrainingClass, actor)
        .filter(status__in=(ClassStatus.RUNNING, ClassStatus.FINISHED))
        .select_related("organisation", "township", "catalog_entry__occupation")
        .annotate(
            enrolled=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
                distinct=True,
            ),
            sessions=Count("exam_sessions", distinct=True),
            passed=Count(
                "exam_sessions__attempts",
                filter=Q(exam_sessions__attempts__result=AttemptResult.PASSED),
                distinct=True,
            ),
        )
        .order_by("-end_date", "name", "pk")
    )
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(catalog_entry__occupation__name__contains=query))
    return qs


@dataclass
class TraineeResult:
    enrolment: Enrolment
    attempts: list[Attempt]

    @property
    def passed(self) -> bool:
        return any(a.result == AttemptResult.PASSED for a in self.attempts)

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None


def class_results(training_class: TrainingClass) -> list[TraineeResult]:
    """Every enrolled trainee of the class with all their attempts, first to last (two queries)."""
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class, status=EnrolmentStatus.ENROLLED)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    by_enrolment: dict[int, list[Attempt]] = {}
    for attempt in (
        Attempt.objects.filter(session__training_class=training_class)
        .select_related("session")
        .order_by("attempt_number")
    ):
        by_enrolment.setdefault(attempt.enrolment_id, []).append(attempt)
    return [TraineeResult(e, by_enrolment.get(e.pk, [])) for e in enrolments]


def session_sheet(session: ExamSession) -> list[Attempt]:
    return list(
        session.attempts.select_related("enrolment__person").order_by(
            "enrolment__person__name", "pk"
        )
    )


def session_counts(attempts: list[Attempt]) -> dict[str, int]:
    counts = {value: 0 for value in AttemptResult.values}
    for attempt in attempts:
        counts[attempt.result] += 1
    return counts


def pass_mark_list(*, actor) -> QuerySet[PassMark]:
    return visible(PassMark, actor).select_related("region", "set_by")


def certificate_list(
    *, actor, query: str = "", kind: str = "", verification: str = ""
) -> QuerySet[Certificate]:
    qs = visible(Certificate, actor).select_related("person", "training_class")
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(holder_name__contains=query)
            | Q(serial__contains=query)
            | Q(occupation_name__contains=query)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if verification:
        qs = qs.filter(verification=verification)
    return qs


# -- the worker's archive (HB45-QA-1) -----------------------------------------------------------


def _level(level) -> str:
    return _("level %(n)s") % {"n": level} if level else ""


def archive_sections(*, person: Person, actor) -> list[ArchiveSection]:
    """Trainings (from the enrolments), attendance totals, assessments and certificates of a
    person, for the archive page. The archive is the person's whole working life: it is shown
    to whoever may see the person and holds *view archive*, not only their own classes."""
    enrolments = list(
        Enrolment.objects.filter(person=person)
        .select_related("training_class__organisation", "training_class__catalog_entry__occupation")
        .order_by("training_class__start_date", "pk")
    )
    hours: dict[int, Decimal] = {}
    present: dict[int, int] = {}
    for enrolment_id, lesson_hours in Attendance.objects.filter(
        enrolment__person=person, status=AttendanceStatus.PRESENT
    ).values_list("enrolment_id", "lesson__hours"):
        hours[enrolment_id] = hours.get(enrolment_id, Decimal(0)) + lesson_hours
        present[enrolment_id] = present.get(enrolment_id, 0) + 1
    lessons = dict(
        TrainingClass.objects.filter(enrolments__person=person)
        .annotate(n=Count("lessons", distinct=True))
        .values_list("pk", "n")
    )

    training = ArchiveSection(
        key="trainings",
        title=_("Trainings"),
        order=10,
        columns=[_("Class"), _("Organiser"), _("Occupation"), _("Dates"), _("Status")],
    )
    attendance = ArchiveSection(
        key="attendance",
        title=_("Attendance"),
        order=20,
        columns=[_("Class"), _("Lessons attended"), _("Class hours attended")],
    )
    for enrolment in enrolments:
        c = enrolment.training_class
        occupation = c.catalog_entry.occupation
        training.rows.append(
            [
                c.name,
                c.organisation.name,
                f"{occupation.name} {_level(occupation.level)}",
                f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}",
                f"{c.get_status_display()} · {enrolment.get_status_display()}",
            ]
        )
        training.events.append(
            TimelineEvent(
                c.start_date,
                _("Training"),
                _("Started %(cls)s at %(org)s") % {"cls": c.name, "org": c.organisation.name},
            )
        )
        attendance.rows.append(
            [
                c.name,
                f"{present.get(enrolment.pk, 0)} / {lessons.get(c.pk, 0)}",
                hours.get(enrolment.pk, Decimal(0)),
            ]
        )

    assessments = ArchiveSection(
        key="assessments",
        title=_("Assessments"),
        order=30,
        columns=[
            _("Class"),
            _("Exam date"),
            _("Attempt"),
            _("Theory"),
            _("Practical"),
            _("Result"),
        ],
    )
    for attempt in (
        Attempt.objects.filter(enrolment__person=person)
        .select_related("session__training_class")
        .order_by("session__date", "attempt_number")
    ):
        theory = (
            _("exempt (online %(s)s)") % {"s": attempt.online_theory_score}
            if attempt.theory_exempt
            else (_("absent") if attempt.theory_absent else attempt.theory_score)
        )
        practical = _("absent") if attempt.practical_absent else attempt.practical_score
        assessments.rows.append(
            [
                attempt.session.training_class.name,
                f"{attempt.session.date:%Y-%m-%d}",
                attempt.attempt_number,
                "—" if theory is None else theory,
                "—" if practical is None else practical,
                attempt.get_result_display(),
            ]
        )
        if attempt.result != AttemptResult.PENDING:
            assessments.events.append(
                TimelineEvent(
                    attempt.session.date,
                    _("Assessment"),
                    _("%(cls)s, attempt %(n)d: %(result)s")
                    % {
                        "cls": attempt.session.training_class.name,
                        "n": attempt.attempt_number,
                        "result": attempt.get_result_display(),
                    },
                )
            )

    certificates = ArchiveSection(
        key="certificates",
        title=_("Certificates"),
        order=40,
        columns=[
            _("Certificate"),
            _("Number"),
            _("Occupation"),
            _("Issuing body"),
            _("Issue date"),
            _("Verification"),
        ],
    )
    for certificate in Certificate.objects.filter(person=person).order_by("issue_date", "pk"):
        certificates.rows.append(
            [
                certificate.title,
                certificate.serial,
                f"{certificate.occupation_name} {_level(certificate.level)}",
                certificate.issuing_body,
                f"{certificate.issue_date:%Y-%m-%d}",
                certificate.get_verification_display(),
            ]
        )
        if certificate.verification != Verification.REJECTED:
            certificates.events.append(
                TimelineEvent(
                    certificate.issue_date,
                    _("Certificate"),
                    f"{certificate.title} {certificate.occupation_name} ({certificate.serial})",
                )
            )
    return [training, attendance, assessments, certificates]


def class_links(*, training_class, actor) -> list:
    """The class ledger's link to its exam sessions and results (GA23-CRT-1; core/hooks.py
    class.links)."""
    if not actor.has_perm("assessment.view_examsession"):
        return []
    return [
        ClassLink(
            _("Assessment and certificates"),
            reverse("assessment:class_detail", args=[training_class.pk]),
            order=20,
        )
    ]


# -- pass marks, results and the public certificate look-up --------------------------------------


@dataclass(frozen=True)
class Marks:
    full_marks: Decimal
    theory: Decimal
    practical: Decimal
    online_theory_exempts: bool
    source: PassMark | None  # None: the default of GA23-CRT-1


def pass_marks_for(occupation_name: str, level: int, county_code: str) -> Marks:
    """The pass marks in force for an occupation and level in a county: the county bureau's
    setting, else its city's, else the province's, else 60 of 100 for each part (GA23-CRT-1)."""
    chain = _region_chain(county_code)
    found = {
        mark.region.code: mark
        for mark in PassMark.objects.filter(
            region__code__in=chain, occupation_name=occupation_name, level=level
        ).select_related("region")
    }
    for code in chain:
        mark = found.get(code)
        if mark is not None:
            return Marks(
                mark.full_marks,
                mark.theory_pass_mark,
                mark.practical_pass_mark,
                mark.online_theory_exempts,
                mark,
            )
    return Marks(DEFAULT_FULL_MARKS, DEFAULT_PASS_MARK, DEFAULT_PASS_MARK, True, None)


def passed_enrolment_ids(training_class: TrainingClass) -> set[int]:
    return set(
        Attempt.objects.filter(
            session__training_class=training_class, result=AttemptResult.PASSED
        ).values_list("enrolment_id", flat=True)
    )


def certificate_for_public(serial: str, code: str) -> Certificate | None:
    """The certificate with this serial whose verification code matches, or None (an unknown
    serial and a wrong code look the same to the public)."""
    serial = "".join(str(serial or "").split())[:64]
    code = str(code or "").strip()[:32]
    # a NUL byte can be in no serial, and PostgreSQL refuses it in a query (it answered 500)
    if not serial or not code or "\x00" in serial + code:
        return None
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None or not hmac.compare_digest(certificate.verification_code, code):
        return None
    return certificate


# -- what an actor may do (one answer for pages, templates and the API) ------------------------


@dataclass(frozen=True)
class ExamClassPermissions:
    schedule: bool  # a new exam session: the organiser (its examiners), GA23-CRT-1


def exam_class_permissions(*, actor: Actor, obj: TrainingClass) -> ExamClassPermissions:
    return ExamClassPermissions(
        schedule=actor.has_perm(ADD_SESSION) and is_organiser(actor, obj),
    )


@dataclass(frozen=True)
class SessionPermissions:
    score: bool  # scores, absences, exemptions, the import and closing, while open


def session_permissions(*, actor: Actor, obj: ExamSession) -> SessionPermissions:
    return SessionPermissions(
        score=obj.is_open
        and actor.has_perm(ENTER_SCORES)
        and is_organiser(actor, obj.training_class),
    )


def is_bureau(actor: Actor) -> bool:
    """Whether the actor acts for a bureau (an organisation with a jurisdiction) or is the
    superuser / the system."""
    organisation = getattr(actor, "organisation", None)
    return actor.is_superuser or bool(organisation and organisation.jurisdiction_prefix)


@dataclass(frozen=True)
class CertificatePermissions:
    verify: bool  # a certificate recorded from elsewhere, by the bureau (HB61-CRT-1)


def certificate_permissions(*, actor: Actor, obj: Certificate) -> CertificatePermissions:
    return CertificatePermissions(
        verify=obj.source == CertificateSource.RECORDED
        and actor.has_perm(VERIFY_CERTIFICATE)
        and is_bureau(actor),
    )


def portal_sections(*, person: Person, user) -> list[PortalSection]:
    """The learner's portal (``/me/``): their certificates (HB61-CRT-1) with the bureau's
    verification, through the learner's own scope."""
    certificates = visible(Certificate, user).filter(person=person).order_by("-issue_date", "-pk")
    cards = []
    for certificate in certificates:
        occupation = certificate.occupation_name
        if certificate.level:
            occupation += " " + _("level %(level)s") % {"level": certificate.level}
        cards.append(
            PortalCard(
                title=occupation,
                state=(
                    certificate.get_verification_display()
                    if certificate.source == CertificateSource.RECORDED
                    else _("Issued")
                ),
                lines=(
                    certificate.get_kind_display(),
                    _("No. %(serial)s") % {"serial": certificate.serial},
                    f"{certificate.issuing_body} · {certificate.issue_date:%Y-%m-%d}",
                ),
                url=certificate.verification_path,
                action=_("Public verification"),
            )
        )
    return [
        PortalSection(
            key="certificates",
            title=_("My certificates"),
            order=30,
            cards=cards,
            empty=_("No certificate yet."),
        )
    ]
