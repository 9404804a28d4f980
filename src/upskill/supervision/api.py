"""Supervision over JSON: inspections, evidence with resumable uploads, the compliance
checklist, fraud signals, spot checks and sanctions, with the same scope as the pages (outside
it 404, without the permission 403)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.models import Upload
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404
from upskill.core.uploads import upload_of
from upskill.organisations.models import Organisation
from upskill.training.models import TrainingClass

from . import selectors, services
from .models import (
    Evidence,
    Inspection,
    Sanction,
    Signal,
    SpotCheck,
    SpotCheckItem,
)

router = Router(tags=["supervision"])


class ComplianceItemOut(Schema):
    rule: str
    key: str
    label: str
    ok: bool
    status: str
    missing: list[str]
    reference: str


class ComplianceOut(Schema):
    class_id: int
    ok: bool
    items: list[ComplianceItemOut]


class ScreenshotOut(Schema):
    id: int
    label: str
    width: int
    height: int


class InspectionOut(Schema):
    id: int
    class_id: int
    kind: str
    mode: str
    status: str
    planned_at: datetime | None
    held_at: datetime | None
    inspector: str | None
    findings: str
    result: str
    screenshots: list[ScreenshotOut]

    @staticmethod
    def resolve_class_id(obj: Inspection) -> int:
        return obj.training_class_id

    @staticmethod
    def resolve_inspector(obj: Inspection) -> str | None:
        return str(obj.inspector) if obj.inspector_id else None

    @staticmethod
    def resolve_screenshots(obj: Inspection) -> list:
        return list(obj.screenshots.all())


class InspectionIn(Schema):
    class_id: int | None = None
    inspection_id: int | None = None
    kind: str = ""
    mode: str = ""
    held_at: datetime
    findings: str
    result: str


class ScheduleIn(Schema):
    class_id: int
    kind: str
    mode: str
    planned_at: datetime


class EvidenceOut(Schema):
    id: int
    class_id: int
    media: str
    scene: str
    specialty: str
    caption: str
    original_name: str
    size: int
    sha256: str
    file_format: str
    width: int
    height: int
    exif_taken_at: datetime | None
    claimed_taken_at: datetime | None
    duration: Decimal | None
    codec: str
    uploaded_at: datetime

    @staticmethod
    def resolve_class_id(obj: Evidence) -> int:
        return obj.training_class_id


class UploadIn(Schema):
    class_id: int
    media: str
    scene: str
    specialty: str
    filename: str
    size: int
    caption: str = ""
    claimed_taken_at: datetime | None = None


class UploadOut(Schema):
    id: UUID
    offset: int
    size: int
    status: str
    message: str
    evidence_id: int | None


class SignalOut(Schema):
    id: int
    kind: str
    class_id: int
    other_class_id: int | None
    evidence_id: int | None
    other_evidence_id: int | None
    details: dict
    status: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_class_id(obj: Signal) -> int:
        return obj.training_class_id


class ReviewIn(Schema):
    outcome: str
    note: str


class SpotItemOut(Schema):
    id: int
    enrolment_id: int | None
    class_id: int | None
    result: str
    note: str

    @staticmethod
    def resolve_class_id(obj: SpotCheckItem) -> int | None:
        return obj.training_class_id


class SpotCheckOut(Schema):
    id: int
    organisation_id: int
    subject: str
    method: str
    population: int
    seed: str
    drawn_on: date
    closed_at: datetime | None
    failures: int
    failure_rate: Decimal | None
    threshold: Decimal | None
    violation: bool
    items: list[SpotItemOut]

    @staticmethod
    def resolve_items(obj: SpotCheck) -> list:
        return list(obj.items.all())


class DrawIn(Schema):
    organisation_id: int
    subject: str
    method: str
    size: int
    seed: str = ""


class ItemIn(Schema):
    result: str
    note: str = ""


class SanctionOut(Schema):
    id: int
    organisation_id: int
    kind: str
    rule: str
    reason: str
    valid_from: date
    valid_until: date | None
    spot_check_id: int | None
    signal_id: int | None

    @staticmethod
    def resolve_reason(obj: Sanction) -> str:
        """In the reader's language (Accept-Language) where the product wrote it."""
        return obj.reason_shown


class BlockedOut(Schema):
    organisation_id: int
    blocked: bool


def _class(actor, class_id: int, perm: str = services.VIEW_EVIDENCE) -> TrainingClass:
    return get_visible_or_404(TrainingClass, actor, perm=perm, pk=class_id)


@router.get("/supervision/classes/{class_id}/compliance", response=ComplianceOut)
def compliance(request, class_id: int):
    """The class's checklist (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SYS-1)."""
    result = selectors.class_compliance(training_class=_class(actor_of(request), class_id))
    return {
        "class_id": class_id,
        "ok": result.ok,
        "items": [
            {**item.__dict__, "label": str(item.label), "missing": [str(m) for m in item.missing]}
            for item in result.items
        ],
    }


@router.get("/supervision/inspections", response=list[InspectionOut])
@paginate(PageNumberPagination)
def inspection_list(request, class_id: int | None = None):
    actor = permitted_actor(request, services.VIEW_INSPECTION)
    training_class = _class(actor, class_id, services.VIEW_INSPECTION) if class_id else None
    return selectors.inspections(actor=actor, training_class=training_class)


# ``int:`` so that the detail does not capture ``/inspections/schedule`` and ``/video`` (they
# answered 405: Django matched this GET-only path first).
@router.get("/supervision/inspections/{int:inspection_id}", response=InspectionOut)
def inspection_detail(request, inspection_id: int):
    return get_visible_or_404(
        Inspection, actor_of(request), perm=services.VIEW_INSPECTION, pk=inspection_id
    )


@router.post("/supervision/inspections/schedule", response={201: InspectionOut})
def inspection_schedule(request, payload: ScheduleIn):
    actor = actor_of(request)
    inspection = services.inspection_schedule(
        actor=actor,
        training_class=_class(actor, payload.class_id, services.RECORD_INSPECTION),
        kind=payload.kind,
        mode=payload.mode,
        planned_at=payload.planned_at,
    )
    return Status(201, inspection)


@router.post("/supervision/inspections", response={201: InspectionOut})
def inspection_record(request, payload: InspectionIn):
    """Record an on-site inspection held (GA23-INS-1, GA23-EXM-1). A remote video inspection
    needs its screenshots: send it as multipart to ``/supervision/inspections/video``."""
    actor = actor_of(request)
    inspection = services.inspection_record(
        actor=actor,
        training_class=_class(actor, payload.class_id, services.RECORD_INSPECTION)
        if payload.class_id
        else None,
        inspection=get_visible_or_404(Inspection, actor, pk=payload.inspection_id)
        if payload.inspection_id
        else None,
        kind=payload.kind,
        mode=payload.mode,
        held_at=payload.held_at,
        findings=payload.findings,
        result=payload.result,
    )
    return Status(201, inspection)


@router.post("/supervision/inspections/video", response={201: InspectionOut})
def inspection_record_video(
    request,
    class_id: int,
    kind: str,
    held_at: datetime,
    findings: str,
    result: str,
    labels: str,
    files: list[UploadedFile] = File(...),  # noqa: B008
):
    """A remote video inspection with its screenshots; ``labels`` names what each file shows,
    comma-separated in the files' order (banner, sign_in, teacher, panorama, close_up)."""
    actor = actor_of(request)
    names = [label.strip() for label in labels.split(",")]
    inspection = services.inspection_record(
        actor=actor,
        training_class=_class(actor, class_id, services.RECORD_INSPECTION),
        kind=kind,
        mode="video",
        held_at=held_at,
        findings=findings,
        result=result,
        screenshots=[
            services.Screenshot(names[i] if i < len(names) else "", f) for i, f in enumerate(files)
        ],
    )
    return Status(201, inspection)


@router.get("/supervision/evidence", response=list[EvidenceOut])
@paginate(PageNumberPagination)
def evidence_list(request, class_id: int | None = None):
    actor = permitted_actor(request, services.VIEW_EVIDENCE)
    training_class = _class(actor, class_id) if class_id else None
    return selectors.evidence(actor=actor, training_class=training_class)


@router.get("/supervision/evidence/{evidence_id}", response=EvidenceOut)
def evidence_detail(request, evidence_id: int):
    return get_visible_or_404(
        Evidence, actor_of(request), perm=services.VIEW_EVIDENCE, pk=evidence_id
    )


def _upload_out(session: Upload) -> dict:
    return {
        "id": session.pk,
        "offset": session.offset,
        "size": session.size,
        "status": session.status,
        "message": session.message,
        "evidence_id": session.object_id,
    }


@router.post("/supervision/uploads", response={201: UploadOut})
def upload_start(request, payload: UploadIn):
    """Open a resumable upload of a photo or video (GA23-PHO-1, GA23-VID-1); then send the
    chunks in order to ``/supervision/uploads/{id}/chunks?offset=N`` and finish."""
    actor = actor_of(request)
    session = services.upload_start(
        actor=actor,
        training_class=_class(actor, payload.class_id, services.UPLOAD_EVIDENCE),
        media=payload.media,
        scene=payload.scene,
        specialty=payload.specialty,
        filename=payload.filename,
        size=payload.size,
        caption=payload.caption,
        claimed_taken_at=payload.claimed_taken_at,
    )
    return Status(201, _upload_out(session))


@router.get("/supervision/uploads/{upload_id}", response=UploadOut)
def upload_status(request, upload_id: UUID):
    return _upload_out(upload_of(actor_of(request), upload_id))


@router.post("/supervision/uploads/{upload_id}/chunks", response={200: UploadOut, 409: UploadOut})
def upload_chunk(request, upload_id: UUID, offset: int, chunk: UploadedFile = File(...)):  # noqa: B008
    """Store one chunk at ``offset``. At another position the answer is 409 with the offset the
    upload stands at: resume from there."""
    actor = actor_of(request)
    session = upload_of(actor, upload_id)
    try:
        session = services.upload_append(actor=actor, session=session, offset=offset, chunk=chunk)
    except services.OffsetMismatch:
        session.refresh_from_db()
        return Status(409, _upload_out(session))
    return Status(200, _upload_out(session))


@router.post("/supervision/uploads/{upload_id}/finish", response={201: EvidenceOut})
def upload_finish(request, upload_id: UUID):
    """Assemble, read the facts from the file, store it; a file that is not what it says is
    refused (400) with the reason."""
    actor = actor_of(request)
    session = upload_of(actor, upload_id)
    return Status(201, services.upload_finish(actor=actor, session=session))


@router.get("/supervision/signals", response=list[SignalOut])
@paginate(PageNumberPagination)
def signal_list(request, status: str = "", kind: str = ""):
    actor = permitted_actor(request, services.REVIEW_SIGNAL)
    return selectors.signals(actor=actor, status=status, kind=kind)


@router.get("/supervision/signals/{signal_id}", response=SignalOut)
def signal_detail(request, signal_id: int):
    return get_visible_or_404(Signal, actor_of(request), perm=services.REVIEW_SIGNAL, pk=signal_id)


@router.post("/supervision/signals/{signal_id}/review", response=SignalOut)
def signal_review(request, signal_id: int, payload: ReviewIn):
    actor = actor_of(request)
    signal = get_visible_or_404(Signal, actor, perm=services.REVIEW_SIGNAL, pk=signal_id)
    return services.signal_review(
        actor=actor, signal=signal, outcome=payload.outcome, note=payload.note
    )


@router.get("/supervision/spot-checks", response=list[SpotCheckOut])
@paginate(PageNumberPagination)
def spot_check_list(request):
    actor = permitted_actor(request, services.RECORD_SPOTCHECK)
    return selectors.spot_checks(actor=actor).prefetch_related("items")


@router.get("/supervision/spot-checks/{spot_check_id}", response=SpotCheckOut)
def spot_check_detail(request, spot_check_id: int):
    return get_visible_or_404(
        SpotCheck, actor_of(request), perm=services.RECORD_SPOTCHECK, pk=spot_check_id
    )


@router.post("/supervision/spot-checks", response={201: SpotCheckOut})
def spot_check_draw(request, payload: DrawIn):
    """Draw a random sample of an institution's trainees or classes (GA23-SPT-1)."""
    actor = actor_of(request)
    spot_check = services.spot_check_draw(
        actor=actor,
        organisation=get_visible_or_404(Organisation, actor, pk=payload.organisation_id),
        subject=payload.subject,
        method=payload.method,
        size=payload.size,
        seed=payload.seed,
    )
    return Status(201, spot_check)


@router.post("/supervision/spot-check-items/{item_id}", response=SpotItemOut)
def spot_check_item(request, item_id: int, payload: ItemIn):
    actor = actor_of(request)
    item = get_visible_or_404(SpotCheckItem, actor, perm=services.RECORD_SPOTCHECK, pk=item_id)
    return services.spot_check_item_record(
        actor=actor, item=item, result=payload.result, note=payload.note
    )


@router.post("/supervision/spot-checks/{spot_check_id}/close", response=SpotCheckOut)
def spot_check_close(request, spot_check_id: int):
    """Close: the failure rate against the parameter in force; a rectification order or a
    public criticism above it (GA23-SPT-1)."""
    actor = actor_of(request)
    spot_check = get_visible_or_404(
        SpotCheck, actor, perm=services.RECORD_SPOTCHECK, pk=spot_check_id
    )
    return services.spot_check_close(actor=actor, spot_check=spot_check).spot_check


@router.get("/supervision/sanctions", response=list[SanctionOut])
@paginate(PageNumberPagination)
def sanction_list(request, organisation_id: int | None = None):
    actor = permitted_actor(request, services.VIEW_SANCTION)
    organisation = (
        get_visible_or_404(Organisation, actor, pk=organisation_id) if organisation_id else None
    )
    return selectors.sanctions(actor=actor, organisation=organisation)


@router.get("/supervision/sanctions/{sanction_id}", response=SanctionOut)
def sanction_detail(request, sanction_id: int):
    return get_visible_or_404(
        Sanction, actor_of(request), perm=services.VIEW_SANCTION, pk=sanction_id
    )


@router.get("/supervision/organisations/{organisation_id}/blocked", response=BlockedOut)
def organisation_blocked(request, organisation_id: int):
    """Whether a blacklist entry is in force for the organisation today (HB45-BLK-1)."""
    organisation = get_visible_or_404(Organisation, actor_of(request), pk=organisation_id)
    return {
        "organisation_id": organisation.pk,
        "blocked": selectors.institution_is_blocked(organisation),
    }
