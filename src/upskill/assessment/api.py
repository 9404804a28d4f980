"""Assessment over JSON: exam sessions, attempts (scores), pass marks and certificates, with
the same scope as the pages (outside it 404, without the permission 403), and the public
certificate verification (no credentials; masked data only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.masking import mask_name
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, visible
from upskill.organisations.models import Region
from upskill.registry.models import Person
from upskill.training.models import TrainingClass

from . import selectors, services
from .models import Attempt, Certificate, ExamSession
from .throttle import verification_throttled

router = Router(tags=["assessment"])


class SessionOut(Schema):
    id: int
    class_id: int
    number: int
    date: date
    place: str
    examiners: str
    full_marks: Decimal
    theory_pass_mark: Decimal
    practical_pass_mark: Decimal
    online_theory_exempts: bool
    status: str
    closed_at: datetime | None

    @staticmethod
    def resolve_class_id(obj: ExamSession) -> int:
        return obj.training_class_id


class SessionIn(Schema):
    class_id: int
    date: date
    place: str
    examiners: str


class AttemptOut(Schema):
    id: int
    session_id: int
    enrolment_id: int
    person_id: int
    name: str
    id_number_masked: str
    attempt_number: int
    theory_score: Decimal | None
    practical_score: Decimal | None
    theory_absent: bool
    practical_absent: bool
    theory_exempt: bool
    online_theory_score: Decimal | None
    online_theory_reference: str
    result: str

    @staticmethod
    def resolve_person_id(obj: Attempt) -> int:
        return obj.enrolment.person_id

    @staticmethod
    def resolve_name(obj: Attempt) -> str:
        return obj.enrolment.person.name

    @staticmethod
    def resolve_id_number_masked(obj: Attempt) -> str:
        return obj.enrolment.person.id_number_masked


class ScoresIn(Schema):
    theory_score: Decimal | None = None
    practical_score: Decimal | None = None
    theory_absent: bool = False
    practical_absent: bool = False


class ExemptIn(Schema):
    online_theory_score: Decimal
    reference: str


class PassMarkOut(Schema):
    id: int
    region_code: str
    occupation_name: str
    level: int
    full_marks: Decimal
    theory_pass_mark: Decimal
    practical_pass_mark: Decimal
    online_theory_exempts: bool
    document: str

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code


class PassMarkIn(Schema):
    region_code: str
    occupation_name: str
    level: int
    theory_pass_mark: Decimal
    practical_pass_mark: Decimal
    full_marks: Decimal = Decimal(100)
    online_theory_exempts: bool = True
    document: str = ""


class CertificateOut(Schema):
    id: int
    kind: str
    title: str
    source: str
    serial: str
    person_id: int
    holder_name: str
    id_number_masked: str
    project: str
    occupation_name: str
    level: int | None
    training_start: date | None
    training_end: date | None
    institution_name: str
    issuing_body: str
    issue_date: date
    class_id: int | None
    verification: str
    verification_note: str
    verification_path: str

    @staticmethod
    def resolve_class_id(obj: Certificate) -> int | None:
        return obj.training_class_id


class SessionPermissionsOut(Schema):
    """What the calling token may do with the session now (``selectors.session_permissions``)."""

    score: bool


class SessionDetailOut(SessionOut):
    permissions: SessionPermissionsOut

    @staticmethod
    def resolve_permissions(obj: ExamSession, context) -> SessionPermissionsOut:
        actor = actor_of(context["request"])
        return SessionPermissionsOut.from_orm(selectors.session_permissions(actor=actor, obj=obj))


class CertificatePermissionsOut(Schema):
    """What the calling token may do with the certificate (``certificate_permissions``)."""

    verify: bool


class CertificateDetailOut(CertificateOut):
    permissions: CertificatePermissionsOut

    @staticmethod
    def resolve_permissions(obj: Certificate, context) -> CertificatePermissionsOut:
        actor = actor_of(context["request"])
        return CertificatePermissionsOut.from_orm(
            selectors.certificate_permissions(actor=actor, obj=obj)
        )


class CertificateIn(Schema):
    person_id: int
    kind: str
    serial: str
    occupation_name: str
    issuing_body: str
    issue_date: date
    level: int | None = None
    project: str = ""
    institution_name: str = ""


class VerifyIn(Schema):
    verified: bool
    note: str = ""


class PublicCertificateOut(Schema):
    """What the public verification shows: masked personal data only."""

    found: bool
    title: str = ""
    serial: str = ""
    holder_name: str = ""
    id_number_masked: str = ""
    occupation_name: str = ""
    level: int | None = None
    institution_name: str = ""
    issuing_body: str = ""
    issue_date: date | None = None
    verification: str = ""


# -- sessions and attempts ----------------------------------------------------------------------


@router.get("/exam-sessions", response=list[SessionOut])
@paginate(PageNumberPagination)
def session_list(request, class_id: int | None = None):
    actor = permitted_actor(request, services.VIEW_SESSION)
    qs = visible(ExamSession, actor)
    if class_id:
        qs = qs.filter(training_class_id=class_id)
    return qs


@router.post("/exam-sessions", response={201: SessionOut})
def session_create(request, payload: SessionIn):
    """Schedule an exam session (the first, or a retake for those not yet passed, WH20-EXM-1)."""
    actor = actor_of(request)
    training_class = get_visible_or_404(TrainingClass, actor, pk=payload.class_id)
    session = services.session_create(
        actor=actor,
        training_class=training_class,
        date=payload.date,
        place=payload.place,
        examiners=payload.examiners,
    )
    return Status(201, session)


@router.get("/exam-sessions/{session_id}", response=SessionDetailOut)
def session_detail(request, session_id: int):
    actor = actor_of(request)
    return get_visible_or_404(ExamSession, actor, perm=services.VIEW_SESSION, pk=session_id)


@router.post("/exam-sessions/{session_id}/close", response=list[CertificateOut])
def session_close(request, session_id: int):
    """Confirm the results; returns the training certificates issued (GA23-CRT-1)."""
    actor = actor_of(request)
    session = get_visible_or_404(ExamSession, actor, pk=session_id)
    return services.session_close(actor=actor, session=session)


@router.get("/exam-sessions/{session_id}/attempts", response=list[AttemptOut])
def attempt_list(request, session_id: int):
    actor = actor_of(request)
    session = get_visible_or_404(ExamSession, actor, perm=services.VIEW_SESSION, pk=session_id)
    return selectors.session_sheet(session)


def _attempt(actor, attempt_id: int, perm: str | None = None) -> Attempt:
    return get_visible_or_404(
        Attempt.objects.select_related("enrolment__person"), actor, perm=perm, pk=attempt_id
    )


@router.get("/exam-attempts/{attempt_id}", response=AttemptOut)
def attempt_detail(request, attempt_id: int):
    return _attempt(actor_of(request), attempt_id, services.VIEW_SESSION)


@router.put("/exam-attempts/{attempt_id}", response=AttemptOut)
def attempt_record(request, attempt_id: int, payload: ScoresIn):
    """Enter a trainee's theory and practical scores or absences (GA23-CRT-1)."""
    actor = actor_of(request)
    attempt = services.attempt_record(
        actor=actor, attempt=_attempt(actor, attempt_id), **payload.dict()
    )
    return _attempt(actor, attempt.pk)


@router.post("/exam-attempts/{attempt_id}/exempt-theory", response=AttemptOut)
def attempt_exempt(request, attempt_id: int, payload: ExemptIn):
    """An online theory result exempting the theory part (HB61-ONL-1)."""
    actor = actor_of(request)
    attempt = services.attempt_exempt_theory(
        actor=actor,
        attempt=_attempt(actor, attempt_id),
        online_score=payload.online_theory_score,
        reference=payload.reference,
    )
    return _attempt(actor, attempt.pk)


# -- pass marks ---------------------------------------------------------------------------------


@router.get("/pass-marks", response=list[PassMarkOut])
def pass_mark_list(request):
    actor = permitted_actor(request, "assessment.view_passmark")
    return list(selectors.pass_mark_list(actor=actor))


@router.post("/pass-marks", response={201: PassMarkOut})
def pass_mark_set(request, payload: PassMarkIn):
    """The bureau sets the pass marks of an occupation and level (GA23-CRT-1)."""
    actor = permitted_actor(request, services.SET_PASS_MARK)
    data = payload.dict()
    region = get_visible_or_404(Region, actor, code=data.pop("region_code"))
    return Status(201, services.pass_mark_set(actor=actor, region=region, **data))


# -- certificates -------------------------------------------------------------------------------


@router.get("/certificates", response=list[CertificateOut])
@paginate(PageNumberPagination)
def certificate_list(request, q: str = "", kind: str = "", verification: str = ""):
    actor = permitted_actor(request, services.VIEW_CERTIFICATE)
    return selectors.certificate_list(actor=actor, query=q, kind=kind, verification=verification)


@router.post("/certificates", response={201: CertificateOut})
def certificate_record(request, payload: CertificateIn):
    """Record a certificate issued elsewhere (HB61-CRT-1); it waits for the bureau's
    verification."""
    actor = actor_of(request)
    data = payload.dict()
    person = get_visible_or_404(Person, actor, pk=data.pop("person_id"))
    return Status(201, services.certificate_record(actor=actor, person=person, **data))


@router.get(
    "/certificates/verify",
    response={200: PublicCertificateOut, 404: PublicCertificateOut, 429: PublicCertificateOut},
    auth=None,
)
def certificate_public(request, serial: str, code: str):
    """Public: confirm a certificate by its number and verification code (masked data only)."""
    if verification_throttled(request):
        return Status(429, {"found": False})
    certificate = selectors.certificate_for_public(serial, code)
    if certificate is None:
        return Status(404, {"found": False})
    return {
        "found": True,
        "title": certificate.title,
        "serial": certificate.serial,
        "holder_name": mask_name(certificate.holder_name),
        "id_number_masked": certificate.id_number_masked,
        "occupation_name": certificate.occupation_name,
        "level": certificate.level,
        "institution_name": certificate.institution_name,
        "issuing_body": certificate.issuing_body,
        "issue_date": certificate.issue_date,
        "verification": certificate.verification,
    }


@router.get("/certificates/{certificate_id}", response=CertificateDetailOut)
def certificate_detail(request, certificate_id: int):
    actor = actor_of(request)
    return get_visible_or_404(Certificate, actor, perm=services.VIEW_CERTIFICATE, pk=certificate_id)


@router.post("/certificates/{certificate_id}/verify", response=CertificateOut)
def certificate_verify(request, certificate_id: int, payload: VerifyIn):
    """The bureau confirms or refuses a recorded certificate."""
    actor = actor_of(request)
    certificate = get_visible_or_404(Certificate, actor, pk=certificate_id)
    return services.certificate_verify(
        actor=actor, certificate=certificate, verified=payload.verified, note=payload.note
    )
