"""Writes of the supervision app. Every function takes the acting user or token first.

* inspections (GA23-INS-1) and exam supervision (GA23-EXM-1), recorded by the bureau;
* evidence (GA23-PHO-1, GA23-VID-1): resumable chunked uploads, streamed to the default
  storage, the facts read from the file itself (:mod:`.media`);
* fraud signals, raised for a person to review and never sanctions by themselves;
* spot checks and sanctions (GA23-SPT-1, HB45-BLK-1), and :func:`institution_is_blocked`,
  which later stages (claims) and the class plans ask.

The checklist of a class (:func:`class_compliance`) reads the rules from the policy parameters
in force for the class's county on its end date (``supervision.*``).
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill import policy
from upskill.core.actor import user_of
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)

from . import media as probe
from .models import (
    SCENES,
    Evidence,
    Inspection,
    InspectionKind,
    InspectionMode,
    InspectionResult,
    InspectionScreenshot,
    InspectionStatus,
    Media,
    MediaHash,
    Sanction,
    SanctionKind,
    ScreenshotLabel,
    Signal,
    SignalKind,
    SignalStatus,
    SpotCheck,
    SpotCheckItem,
    SpotMethod,
    SpotResult,
    SpotSubject,
    UploadSession,
    UploadStatus,
)

VIEW_INSPECTION = "supervision.view_inspection"
RECORD_INSPECTION = "supervision.record_inspection"
VIEW_EVIDENCE = "supervision.view_evidence"
UPLOAD_EVIDENCE = "supervision.upload_evidence"
REVIEW_SIGNAL = "supervision.review_signal"
RECORD_SPOTCHECK = "supervision.record_spotcheck"
VIEW_SANCTION = "supervision.view_sanction"
ISSUE_SANCTION = "supervision.issue_sanction"

# Classes whose evidence may be uploaded: from approval (the opening) to after the end.
EVIDENCE_STATES = (ClassStatus.APPROVED, ClassStatus.RUNNING, ClassStatus.FINISHED)
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".flv", ".ts", ".3gp"}
COPY_BLOCK = 1024 * 1024


def _bureau_of(actor) -> Organisation | None:
    """The actor's organisation if it is a bureau (or the system/superuser: None)."""
    organisation = getattr(actor, "organisation", None)
    if actor.is_superuser:
        return organisation
    if organisation is None or not organisation.jurisdiction_prefix:
        raise PermissionDenied(_("Only the bureau does this."))
    return organisation


def _is_organiser(actor, training_class: TrainingClass) -> bool:
    organisation = getattr(actor, "organisation", None)
    return actor.is_superuser or (
        organisation is not None and organisation.pk == training_class.organisation_id
    )


# -- inspections (GA23-INS-1, GA23-EXM-1) -------------------------------------------------------


def _check_choice(value: str, choices, field: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: message})


@transaction.atomic
def inspection_schedule(
    *, actor, training_class: TrainingClass, kind: str, mode: str, planned_at: datetime
) -> Inspection:
    """Put an inspection of a class in the bureau's plan (GA23-INS-1)."""
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=RECORD_INSPECTION, pk=training_class.pk
    )
    bureau = _bureau_of(actor)
    _check_choice(kind, InspectionKind, "kind", _("Choose the kind of inspection."))
    _check_choice(mode, InspectionMode, "mode", _("Choose on site or remote video."))
    return Inspection.objects.create(
        training_class=training_class,
        kind=kind,
        mode=mode,
        planned_at=planned_at,
        inspector=user_of(actor),
        bureau=bureau,
    )


@dataclass(frozen=True)
class Screenshot:
    label: str
    upload: object  # a Django UploadedFile, a File or a path


@transaction.atomic
def inspection_record(
    *,
    actor,
    training_class: TrainingClass | None = None,
    inspection: Inspection | None = None,
    kind: str = "",
    mode: str = "",
    held_at: datetime,
    findings: str,
    result: str,
    screenshots: Sequence[Screenshot] = (),
) -> Inspection:
    """Record an inspection held (a scheduled one, or a new one): when, by whom, the findings
    and the result (GA23-INS-1); the exam supervision is kind "exam" (GA23-EXM-1). A remote
    video inspection keeps screenshots labelled by what they show (banner, sign-in sheet,
    teacher, panorama, trainee close-ups) and needs at least one."""
    if inspection is not None:
        inspection = get_visible_or_404(
            Inspection.objects.select_for_update(), actor, perm=RECORD_INSPECTION, pk=inspection.pk
        )
        if inspection.status == InspectionStatus.DONE:
            raise ValidationError(_("This inspection was recorded already."))
        training_class = inspection.training_class
        kind, mode = kind or inspection.kind, mode or inspection.mode
    elif training_class is None:
        raise ValidationError(_("Choose the class."))
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=RECORD_INSPECTION, pk=training_class.pk
    )
    bureau = _bureau_of(actor)
    _check_choice(kind, InspectionKind, "kind", _("Choose the kind of inspection."))
    _check_choice(mode, InspectionMode, "mode", _("Choose on site or remote video."))
    _check_choice(result, InspectionResult, "result", _("Choose the result."))
    if training_class.status in (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.RETURNED):
        raise ValidationError(_("Only an approved class can be inspected."))
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"held_at": _("An inspection is recorded after it was held.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write down what the inspection found.")})
    if mode == InspectionMode.VIDEO and not screenshots:
        raise ValidationError(
            {
                "screenshots": _(
                    "GA23-INS-1: a remote video inspection keeps screenshots (class banner, "
                    "sign-in sheet, teacher, room panorama, trainee close-ups)."
                )
            }
        )
    inspection = inspection or Inspection(training_class=training_class, bureau=bureau)
    inspection.kind, inspection.mode = kind, mode
    inspection.held_at = held_at
    inspection.findings = findings.strip()
    inspection.result = result
    inspection.status = InspectionStatus.DONE
    inspection.inspector = user_of(actor) or inspection.inspector
    inspection.bureau = inspection.bureau or bureau
    inspection.save()
    for shot in screenshots:
        _screenshot_save(inspection, shot.label, shot.upload)
    return inspection


def _screenshot_save(inspection: Inspection, label: str, upload) -> InspectionScreenshot:
    _check_choice(label, ScreenshotLabel, "label", _("Say what the screenshot shows."))
    with _local_copy(upload, settings.UPSKILL_EVIDENCE_PHOTO_MAX_BYTES) as (path, _size, _digest):
        try:
            facts = probe.probe_image(path)
        except probe.MediaRefused as exc:
            raise ValidationError({"screenshots": str(exc)}) from None
        shot = InspectionScreenshot(
            inspection=inspection, label=label, width=facts.width, height=facts.height
        )
        with open(path, "rb") as handle:
            shot.file.save(
                _safe_name(getattr(upload, "name", "") or "shot.png"), File(handle), save=False
            )
    shot.save()
    return shot


@transaction.atomic
def inspection_screenshot_add(
    *, actor, inspection: Inspection, label: str, upload
) -> InspectionScreenshot:
    inspection = get_visible_or_404(Inspection, actor, perm=RECORD_INSPECTION, pk=inspection.pk)
    _bureau_of(actor)
    return _screenshot_save(inspection, label, upload)


# -- evidence: resumable uploads (GA23-PHO-1, GA23-VID-1) ---------------------------------------


class OffsetMismatch(ValidationError):
    """A chunk sent for the wrong position; ``offset`` is where the upload stands, so the client
    resumes from there."""

    def __init__(self, offset: int):
        super().__init__(
            _("This upload stands at byte %(offset)d; send the data from there.")
            % {"offset": offset}
        )
        self.offset = offset


def _max_bytes(medium: str) -> int:
    if medium == Media.VIDEO:
        return settings.UPSKILL_EVIDENCE_VIDEO_MAX_BYTES
    return settings.UPSKILL_EVIDENCE_PHOTO_MAX_BYTES


def _safe_name(name: str) -> str:
    base = PurePath(str(name).replace("\\", "/")).name or "file"
    return base[-120:]


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}"


def _organiser_class(actor, training_class: TrainingClass) -> TrainingClass:
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=UPLOAD_EVIDENCE, pk=training_class.pk
    )
    if not _is_organiser(actor, training_class):
        raise PermissionDenied(UPLOAD_EVIDENCE)
    if training_class.status not in EVIDENCE_STATES:
        raise ValidationError(
            _("Evidence is uploaded once the class is approved (now: %(s)s).")
            % {"s": training_class.get_status_display()}
        )
    return training_class


@transaction.atomic
def upload_start(
    *,
    actor,
    training_class: TrainingClass,
    media: str,
    scene: str,
    specialty: str,
    filename: str,
    size: int,
    caption: str = "",
    claimed_taken_at: datetime | None = None,
) -> UploadSession:
    """Open a resumable upload of one photo or video of a class, labelled with specialty,
    time and scene (GA23-PHO-1, GA23-VID-1). The size and the name's type are checked now; what
    the file really is, when it is complete."""
    training_class = _organiser_class(actor, training_class)
    _check_choice(media, Media, "media", _("Choose photo or video."))
    if scene not in SCENES[media]:
        raise ValidationError(
            {
                "scene": _("A %(media)s shows one of: %(scenes)s.")
                % {
                    "media": Media(media).label,
                    "scenes": ", ".join(str(s.label) for s in SCENES[media]),
                }
            }
        )
    if not specialty.strip():
        raise ValidationError({"specialty": _("Name the specialty (occupation) shown.")})
    name = _safe_name(filename)
    extension = os.path.splitext(name)[1].lower()
    allowed = PHOTO_EXTENSIONS if media == Media.PHOTO else VIDEO_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            {
                "file": _("A %(media)s file ends in %(ext)s; “%(name)s” does not.")
                % {"media": Media(media).label, "ext": " ".join(sorted(allowed)), "name": name}
            }
        )
    limit = _max_bytes(media)
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file has %(size)s MB; at most %(limit)s MB are accepted.")
                % {"size": _megabytes(size), "limit": _megabytes(limit)}
            }
        )
    return UploadSession.objects.create(
        organisation=training_class.organisation,
        created_by=user_of(actor),
        training_class=training_class,
        media=media,
        scene=scene,
        specialty=specialty.strip()[:128],
        caption=caption.strip()[:255],
        claimed_taken_at=claimed_taken_at,
        filename=name,
        size=size,
    )


def _session(actor, session: UploadSession, *, lock: bool = False) -> UploadSession:
    qs = UploadSession.objects.select_for_update() if lock else UploadSession.objects.all()
    session = get_visible_or_404(qs, actor, perm=UPLOAD_EVIDENCE, pk=session.pk)
    if session.status != UploadStatus.OPEN:
        raise ValidationError(
            session.message or _("This upload is finished; start a new one to send a file.")
        )
    return session


@transaction.atomic
def upload_append(*, actor, session: UploadSession, offset: int, chunk) -> UploadSession:
    """Store the next chunk of an upload (a file object, streamed to storage). A chunk for
    another position raises :class:`OffsetMismatch` with the position the upload stands at."""
    session = _session(actor, session, lock=True)
    if offset != session.offset:
        raise OffsetMismatch(session.offset)
    if not isinstance(chunk, File):
        chunk = ContentFile(chunk) if isinstance(chunk, bytes) else File(chunk)
    length = chunk.size
    if not length:
        raise ValidationError(_("The chunk is empty."))
    if length > settings.UPSKILL_EVIDENCE_CHUNK_BYTES:
        raise ValidationError(
            _("A chunk has at most %(limit)s MB.")
            % {"limit": _megabytes(settings.UPSKILL_EVIDENCE_CHUNK_BYTES)}
        )
    if session.offset + length > session.size:
        raise ValidationError(_("The file is larger than announced when the upload started."))
    stored = default_storage.save(session.part_name(session.parts), chunk)
    if stored != session.part_name(session.parts):  # a stale part of an aborted request
        default_storage.delete(stored)
        raise OffsetMismatch(session.offset)
    session.offset += length
    session.parts += 1
    session.save(update_fields=["offset", "parts", "updated_at"])
    return session


class _local_copy:
    """The upload (or the stored chunks) copied to a temporary file on disk in blocks, with
    its size and SHA-256, for Pillow and ffprobe, which read from a path."""

    def __init__(self, source, limit: int, parts: Iterable[str] = ()):
        self.source, self.limit, self.parts = source, limit, list(parts)

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="upskill-evidence-")
        self.path = os.path.join(self.directory, "file")
        digest, size = hashlib.sha256(), 0
        with open(self.path, "wb") as out:
            for handle in self._sources():
                with handle:
                    while block := handle.read(COPY_BLOCK):
                        size += len(block)
                        if size > self.limit:
                            raise ValidationError(
                                {
                                    "file": _("The file is larger than %(limit)s MB.")
                                    % {"limit": _megabytes(self.limit)}
                                }
                            )
                        digest.update(block)
                        out.write(block)
        return self.path, size, digest.hexdigest()

    def _sources(self):
        if self.parts:
            for name in self.parts:
                yield default_storage.open(name, "rb")
            return
        source = self.source
        if isinstance(source, str | os.PathLike):
            yield open(source, "rb")  # noqa: SIM115 - closed by the caller's with
            return
        if hasattr(source, "seek"):
            source.seek(0)
        yield _Unclosed(source)

    def __exit__(self, *exc):
        shutil.rmtree(self.directory, ignore_errors=True)
        return False


class _Unclosed:
    """A caller's file object used in a ``with`` without closing it."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, n: int = -1) -> bytes:
        return self.handle.read(n)


def _delete_parts(session: UploadSession) -> None:
    for index in range(session.parts):
        default_storage.delete(session.part_name(index))


def upload_finish(*, actor, session: UploadSession) -> Evidence:
    """Assemble a complete upload by streaming its chunks to a temporary file, read the facts
    from the file (a photo's dimensions and EXIF time, a video's duration and codec: never the
    uploader's word), store it through the storage API and record the evidence. A file that is
    not what its name or medium says is refused with the reason, and nothing is kept."""
    with transaction.atomic():
        session = _session(actor, session, lock=True)
        if session.offset != session.size:
            raise OffsetMismatch(session.offset)
        training_class = _organiser_class(actor, session.training_class)
        parts = [session.part_name(i) for i in range(session.parts)]
        try:
            with _local_copy(None, _max_bytes(session.media), parts) as (path, size, digest):
                facts = (
                    probe.probe_image(path)
                    if session.media == Media.PHOTO
                    else probe.probe_video(path)
                )
                evidence = Evidence(
                    training_class=training_class,
                    media=session.media,
                    scene=session.scene,
                    specialty=session.specialty,
                    caption=session.caption,
                    claimed_taken_at=session.claimed_taken_at,
                    original_name=session.filename,
                    size=size,
                    sha256=digest,
                    file_format=facts.file_format,
                    width=facts.width,
                    height=facts.height,
                    exif_taken_at=facts.taken_at if session.media == Media.PHOTO else None,
                    duration=facts.duration,
                    codec=facts.codec,
                    uploaded_by=user_of(actor) or session.created_by,
                )
                with open(path, "rb") as handle:
                    evidence.file.save(session.filename, File(handle), save=False)
        except (probe.MediaRefused, ValidationError) as exc:
            message = str(exc) if isinstance(exc, probe.MediaRefused) else " ".join(exc.messages)
            session.status = UploadStatus.REFUSED
            session.message = message
            session.save(update_fields=["status", "message", "updated_at"])
            _delete_parts(session)
            refused = ValidationError({"file": message})
        else:
            refused = None
            evidence.save()
            MediaHash.objects.bulk_create(
                MediaHash(
                    evidence=evidence,
                    frame=frame,
                    value=f"{value:016x}",
                    **dict(
                        zip(("band0", "band1", "band2", "band3"), probe.bands(value), strict=True)
                    ),
                )
                for frame, value in facts.hashes
            )
            session.status = UploadStatus.DONE
            session.evidence = evidence
            session.save(update_fields=["status", "evidence", "updated_at"])
            _delete_parts(session)
            duplicates_flag(evidence=evidence)
    if refused is not None:
        raise refused
    return evidence


def evidence_upload(
    *,
    actor,
    training_class: TrainingClass,
    media: str,
    scene: str,
    specialty: str,
    upload,
    caption: str = "",
    claimed_taken_at: datetime | None = None,
) -> Evidence:
    """One whole file through the resumable path (API clients with small files, the demo)."""
    handle = upload if hasattr(upload, "read") else open(upload, "rb")  # noqa: SIM115
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(0)
        session = upload_start(
            actor=actor,
            training_class=training_class,
            media=media,
            scene=scene,
            specialty=specialty,
            filename=getattr(upload, "name", None) or str(upload),
            size=size,
            caption=caption,
            claimed_taken_at=claimed_taken_at,
        )
        offset = 0
        while block := handle.read(settings.UPSKILL_EVIDENCE_CHUNK_BYTES):
            session = upload_append(actor=actor, session=session, offset=offset, chunk=block)
            offset = session.offset
    finally:
        if handle is not upload:
            handle.close()
    return upload_finish(actor=actor, session=session)


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    """The organiser withdraws a photo or video uploaded by mistake (kept in the history)."""
    evidence = get_visible_or_404(Evidence, actor, perm=UPLOAD_EVIDENCE, pk=evidence.pk)
    if not _is_organiser(actor, evidence.training_class):
        raise PermissionDenied(UPLOAD_EVIDENCE)
    if Signal.objects.filter(Q(evidence=evidence) | Q(other_evidence=evidence)).exists():
        raise ValidationError(_("A flagged picture is kept until the bureau has reviewed it."))
    name = evidence.file.name
    evidence.delete()
    default_storage.delete(name)


# -- compliance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceItem:
    rule: str
    key: str
    label: str
    ok: bool
    status: str  # what is there
    missing: tuple[str, ...]  # what is missing, one sentence each
    reference: str


@dataclass(frozen=True)
class Compliance:
    training_class: TrainingClass
    items: tuple[ComplianceItem, ...]

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def missing(self) -> list[str]:
        return [f"{item.rule}: {m}" for item in self.items for m in item.missing]


def _requirement(params: policy.ParameterSet, name: str, training_class: TrainingClass):
    version = params.lookup(name, training_class.county_code, training_class.end_date)
    if version is None:
        return None, None
    table = version.value
    counts = table.get(training_class.program, table.get("*"))
    return counts, version


def _reference(version) -> str:
    return " ".join(p for p in (version.reference.text(), version.reference.rule) if p)


def class_compliance(
    *, training_class: TrainingClass, params: policy.ParameterSet | None = None
) -> Compliance:
    """The live checklist of a class: each supervision and record rule in force for its county,
    program and end date (``supervision.*`` parameters), green or red with what is missing.
    The claims workflow refuses to submit a claim while :attr:`Compliance.ok` is False."""
    params = params or parameters_in_effect()
    training_class = TrainingClass.objects.select_related(
        "catalog_entry", "township", "organisation"
    ).get(pk=training_class.pk)
    items: list[ComplianceItem] = []
    inspections = list(
        Inspection.objects.filter(training_class=training_class, status=InspectionStatus.DONE)
    )
    evidence = list(Evidence.objects.filter(training_class=training_class))

    counts, version = _requirement(params, "supervision.inspections", training_class)
    if counts:
        routine = [i for i in inspections if i.kind != InspectionKind.EXAM]
        have = {
            "total": len(routine),
            "opening": sum(i.kind == InspectionKind.OPENING for i in routine),
            "during_on_site": sum(
                i.kind == InspectionKind.DURING and i.mode == InspectionMode.ON_SITE
                for i in routine
            ),
            "closing": sum(i.kind == InspectionKind.CLOSING for i in routine),
        }
        labels = {
            "total": _("inspections in all"),
            "opening": _("at the opening"),
            "during_on_site": _("on site during training"),
            "closing": _("at the closing"),
        }
        missing = tuple(
            _("%(have)d of %(need)d %(what)s") % {"have": have[k], "need": n, "what": labels[k]}
            for k, n in counts.items()
            if have.get(k, 0) < n
        )
        items.append(
            ComplianceItem(
                "GA23-INS-1" if version.reference.rule == "" else version.reference.rule,
                "inspections",
                _("Inspections"),
                not missing,
                _("%(n)d recorded") % {"n": have["total"]},
                missing,
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.photos", training_class)
    if counts:
        have = defaultdict(int)
        for e in evidence:
            if e.media == Media.PHOTO:
                have[e.scene] += 1
        missing = tuple(
            _("a photo of the %(scene)s") % {"scene": _scene_label(k)}
            for k, n in counts.items()
            if have[k] < n
        )
        items.append(
            ComplianceItem(
                version.reference.rule,
                "photos",
                _("Photos"),
                not missing,
                _("%(n)d photos") % {"n": sum(have.values())},
                missing,
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.videos", training_class)
    if counts:
        minimum_version = params.lookup(
            "supervision.video_min_seconds", training_class.county_code, training_class.end_date
        )
        minimum = Decimal(minimum_version.value) if minimum_version else Decimal(0)
        good, short = defaultdict(int), defaultdict(list)
        for e in evidence:
            if e.media != Media.VIDEO:
                continue
            if (e.duration or 0) >= minimum:
                good[e.scene] += 1
            else:
                short[e.scene].append(e.duration or Decimal(0))
        missing = []
        for k, n in counts.items():
            if good[k] >= n:
                continue
            if short[k]:
                missing.append(
                    _(
                        "a video of the %(scene)s of at least %(min)s s "
                        "(the one uploaded has %(s)s s)"
                    )
                    % {"scene": _scene_label(k), "min": minimum, "s": f"{max(short[k]):.1f}"}
                )
            else:
                missing.append(
                    _("a video of the %(scene)s of at least %(min)s s")
                    % {"scene": _scene_label(k), "min": minimum}
                )
        items.append(
            ComplianceItem(
                version.reference.rule,
                "videos",
                _("Videos"),
                not missing,
                _("%(n)d videos of at least %(min)s s") % {"n": sum(good.values()), "min": minimum},
                tuple(missing),
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.exam_supervision", training_class)
    if counts:
        held = sum(i.kind == InspectionKind.EXAM for i in inspections)
        need = counts.get("exam_supervision", 0)
        missing = () if held >= need else (_("the bureau has not supervised the final exam"),)
        items.append(
            ComplianceItem(
                version.reference.rule,
                "exam",
                _("Exam supervised"),
                not missing,
                _("%(n)d supervisions") % {"n": held},
                missing,
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.class_records", training_class)
    if counts:
        items.extend(_record_items(training_class, counts, version))
    return Compliance(training_class=training_class, items=tuple(items))


def _scene_label(key: str) -> str:
    from .models import Scene

    return str(Scene(key).label) if key in Scene.values else key


def _record_items(training_class: TrainingClass, counts: dict, version) -> list[ComplianceItem]:
    """GA23-SYS-1: the first lesson, attendance at every lesson held, the survey of every
    trainee."""
    items = []
    reference = _reference(version)
    rule = version.reference.rule
    if counts.get("first_lesson"):
        done = training_class.first_lesson_date is not None
        items.append(
            ComplianceItem(
                rule,
                "first_lesson",
                _("First lesson (policy briefing)"),
                done,
                f"{training_class.first_lesson_date:%Y-%m-%d}" if done else "—",
                () if done else (_("the first lesson is not recorded"),),
                reference,
            )
        )
    enrolled = training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    if counts.get("attendance"):
        today = timezone.localdate()
        held = list(training_class.lessons.filter(date__lte=today))
        kept = set(Attendance.objects.filter(lesson__in=held).values_list("lesson_id", flat=True))
        without = [lesson for lesson in held if lesson.pk not in kept]
        missing = []
        if not enrolled.exists():
            missing.append(_("no trainee is enrolled"))
        if not held:
            missing.append(_("no lesson has been held yet"))
        if without:
            missing.append(
                _("no attendance at %(n)d lessons (first: %(day)s)")
                % {"n": len(without), "day": f"{without[0].date:%Y-%m-%d}"}
            )
        items.append(
            ComplianceItem(
                rule,
                "attendance",
                _("Attendance"),
                not missing,
                _("%(kept)d of %(held)d lessons")
                % {"kept": len(held) - len(without), "held": len(held)},
                tuple(missing),
                reference,
            )
        )
    if counts.get("survey"):
        total = enrolled.count()
        answered = enrolled.filter(survey_response__isnull=False).count()
        missing = []
        if not total:
            missing.append(_("no trainee is enrolled"))
        elif answered < total:
            missing.append(
                _("%(n)d trainees have not answered the satisfaction survey")
                % {"n": total - answered}
            )
        items.append(
            ComplianceItem(
                rule,
                "survey",
                _("Satisfaction survey"),
                not missing,
                _("%(a)d of %(t)d answered") % {"a": answered, "t": total},
                tuple(missing),
                reference,
            )
        )
    return items


# -- fraud signals ------------------------------------------------------------------------------


def duplicates_flag(*, evidence: Evidence) -> list[Signal]:
    """Flag the same or nearly the same picture (difference hash within
    ``UPSKILL_SIGNAL_HASH_DISTANCE`` bits) already used as evidence of another class. The
    threshold is tight: the same venue and banner are legitimately photographed again."""
    limit = settings.UPSKILL_SIGNAL_HASH_DISTANCE
    raised: dict[int, Signal] = {}
    for mine in evidence.hashes.all():
        value = int(mine.value, 16)
        if not probe.informative(value):
            continue
        b = probe.bands(value)
        candidates = (
            MediaHash.objects.filter(Q(band0=b[0]) | Q(band1=b[1]) | Q(band2=b[2]) | Q(band3=b[3]))
            .exclude(evidence__training_class_id=evidence.training_class_id)
            .select_related("evidence")
        )
        for other in candidates:
            distance = probe.hamming(value, int(other.value, 16))
            if distance > limit or other.evidence_id in raised:
                continue
            first, second = sorted((evidence.pk, other.evidence_id))
            signal, _created = Signal.objects.get_or_create(
                key=f"picture:{first}:{second}",
                defaults={
                    "kind": SignalKind.DUPLICATE_PICTURE,
                    "training_class_id": evidence.training_class_id,
                    "other_class_id": other.evidence.training_class_id,
                    "evidence": evidence,
                    "other_evidence": other.evidence,
                    "details": {
                        "distance": distance,
                        "frame": mine.frame,
                        "other_frame": other.frame,
                    },
                },
            )
            raised[other.evidence_id] = signal
    return list(raised.values())


def _attendance_scope(actor, training_class: TrainingClass | None):
    classes = visible(TrainingClass, actor)
    if training_class is not None:
        classes = classes.filter(pk=training_class.pk)
    return Attendance.objects.filter(lesson__training_class__in=classes.values("pk"))


def signals_scan(*, actor, training_class: TrainingClass | None = None) -> int:
    """Look through the attendance of the classes the bureau sees (or of one class) for: a
    trainee present at overlapping lessons of two classes; QR self check-ins of many trainees
    within seconds at one lesson (the teacher's marks are bulk by nature and not looked at);
    many trainees' self check-ins from one device in a class. Returns how many new signals were
    raised; each finding is raised once."""
    require_perm(actor, REVIEW_SIGNAL)
    _bureau_of(actor)
    attendance = _attendance_scope(actor, training_class)
    before = Signal.objects.count()
    _scan_overlaps(attendance)
    _scan_bursts(attendance)
    _scan_devices(attendance)
    return Signal.objects.count() - before


def _scan_overlaps(attendance) -> None:
    present = attendance.filter(status=AttendanceStatus.PRESENT)
    persons = present.values("enrolment__person_id")
    rows = list(
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT, enrolment__person_id__in=persons
        ).values_list(
            "enrolment__person_id",
            "lesson_id",
            "lesson__training_class_id",
            "lesson__date",
            "lesson__start_time",
            "lesson__end_time",
        )
    )
    by_day: dict[tuple, list] = defaultdict(list)
    for person, lesson, klass, day, start, end in rows:
        by_day[(person, day)].append((start, end, lesson, klass))
    for (person, day), lessons in by_day.items():
        lessons.sort()
        for i, (start, end, lesson, klass) in enumerate(lessons):
            for start2, _end2, lesson2, klass2 in lessons[i + 1 :]:
                if start2 >= end:
                    break
                if klass2 == klass:
                    continue
                first, second = sorted((lesson, lesson2))
                Signal.objects.get_or_create(
                    key=f"overlap:{person}:{first}:{second}",
                    defaults={
                        "kind": SignalKind.OVERLAPPING_LESSONS,
                        "training_class_id": klass,
                        "other_class_id": klass2,
                        "person_id": person,
                        "details": {
                            "date": day.isoformat(),
                            "lessons": [lesson, lesson2],
                            "times": [f"{start:%H:%M}-{end:%H:%M}", f"{start2:%H:%M}"],
                        },
                    },
                )


def _scan_bursts(attendance) -> None:
    window = timedelta(seconds=settings.UPSKILL_SIGNAL_BURST_SECONDS)
    need = settings.UPSKILL_SIGNAL_BURST_TRAINEES
    rows = list(
        attendance.filter(method=AttendanceMethod.QR, signed_in_at__isnull=False)
        .order_by("lesson_id", "signed_in_at")
        .values_list("lesson_id", "lesson__training_class_id", "enrolment_id", "signed_in_at")
    )
    by_lesson: dict[int, list] = defaultdict(list)
    for lesson, klass, enrolment, at in rows:
        by_lesson[lesson].append((at, enrolment, klass))
    for lesson, checkins in by_lesson.items():
        start = 0
        best: list = []
        for end in range(len(checkins)):
            while checkins[end][0] - checkins[start][0] > window:
                start += 1
            group = checkins[start : end + 1]
            if len({e for _at, e, _k in group}) >= need and len(group) > len(best):
                best = group
        if best:
            Signal.objects.get_or_create(
                key=f"burst:{lesson}",
                defaults={
                    "kind": SignalKind.CHECK_IN_BURST,
                    "training_class_id": best[0][2],
                    "details": {
                        "lesson": lesson,
                        "trainees": len({e for _at, e, _k in best}),
                        "seconds": int((best[-1][0] - best[0][0]).total_seconds()),
                        "from": best[0][0].isoformat(),
                    },
                },
            )


def _scan_devices(attendance) -> None:
    need = settings.UPSKILL_SIGNAL_DEVICE_TRAINEES
    rows = (
        attendance.filter(method=AttendanceMethod.QR)
        .exclude(device_id="")
        .values_list("lesson__training_class_id", "device_id", "enrolment_id")
    )
    trainees: dict[tuple, set] = defaultdict(set)
    for klass, device, enrolment in rows:
        trainees[(klass, device)].add(enrolment)
    for (klass, device), enrolments in trainees.items():
        if len(enrolments) >= need:
            digest = hashlib.sha256(device.encode()).hexdigest()[:16]
            signal, created = Signal.objects.get_or_create(
                key=f"device:{klass}:{digest}",
                defaults={
                    "kind": SignalKind.SHARED_DEVICE,
                    "training_class_id": klass,
                    "details": {"device": device[:12], "trainees": len(enrolments)},
                },
            )
            if not created and signal.details.get("trainees") != len(enrolments):
                signal.details = {**signal.details, "trainees": len(enrolments)}
                signal.save(update_fields=["details"])


@transaction.atomic
def signal_review(*, actor, signal: Signal, outcome: str, note: str) -> Signal:
    """A person at the bureau dismisses or confirms a signal, with a note. Confirming is not a
    sanction: the blacklist is a separate decision (:func:`sanction_blacklist`)."""
    signal = get_visible_or_404(
        Signal.objects.select_for_update(), actor, perm=REVIEW_SIGNAL, pk=signal.pk
    )
    _bureau_of(actor)
    if outcome not in (SignalStatus.DISMISSED, SignalStatus.CONFIRMED):
        raise ValidationError({"outcome": _("Choose dismissed or confirmed.")})
    if not note.strip():
        raise ValidationError({"note": _("Write down why.")})
    signal.status = outcome
    signal.note = note.strip()
    signal.reviewed_by = user_of(actor)
    signal.reviewed_at = timezone.now()
    signal.save()
    return signal


# -- spot checks and sanctions (GA23-SPT-1, HB45-BLK-1) -------------------------------------------


def _institution(actor, organisation: Organisation, perm: str) -> Organisation:
    organisation = get_visible_or_404(Organisation, actor, perm=perm, pk=organisation.pk)
    bureau = _bureau_of(actor)
    if organisation.kind not in (OrganisationKind.INSTITUTION, OrganisationKind.ENTERPRISE):
        raise ValidationError(_("Spot checks and sanctions concern institutions and enterprises."))
    if bureau is not None and not organisation.region.code.startswith(bureau.jurisdiction_prefix):
        raise PermissionDenied(perm)
    return organisation


@transaction.atomic
def spot_check_draw(
    *,
    actor,
    organisation: Organisation,
    subject: str,
    method: str,
    size: int,
    seed: str = "",
    on: date | None = None,
) -> SpotCheck:
    """Draw a random sample of an institution's trainees (enrolments) or classes for
    verification by telephone or on site (GA23-SPT-1). The seed is kept, so the draw can be
    repeated and shown to be random."""
    require_perm(actor, RECORD_SPOTCHECK)
    organisation = _institution(actor, organisation, RECORD_SPOTCHECK)
    _check_choice(subject, SpotSubject, "subject", _("Choose trainees or classes."))
    _check_choice(method, SpotMethod, "method", _("Choose telephone or on site."))
    if size < 1:
        raise ValidationError({"size": _("Draw at least one.")})
    classes = TrainingClass.objects.filter(organisation=organisation).exclude(
        status__in=(ClassStatus.DRAFT, ClassStatus.CANCELLED)
    )
    if subject == SpotSubject.TRAINEES:
        population = list(
            Enrolment.objects.filter(training_class__in=classes)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        population = list(classes.order_by("pk").values_list("pk", flat=True))
    if not population:
        raise ValidationError(_("The institution has nothing to draw from yet."))
    seed = seed or secrets.token_hex(8)
    sample = random.Random(seed).sample(population, min(size, len(population)))
    spot_check = SpotCheck.objects.create(
        organisation=organisation,
        subject=subject,
        method=method,
        population=len(population),
        seed=seed,
        drawn_on=on or timezone.localdate(),
        drawn_by=user_of(actor),
    )
    field = "enrolment_id" if subject == SpotSubject.TRAINEES else "training_class_id"
    for pk in sorted(sample):
        SpotCheckItem.objects.create(spot_check=spot_check, **{field: pk})
    return spot_check


@transaction.atomic
def spot_check_item_record(
    *, actor, item: SpotCheckItem, result: str, note: str = ""
) -> SpotCheckItem:
    """What the call or visit found for one sampled trainee or class."""
    item = get_visible_or_404(
        SpotCheckItem.objects.select_related("spot_check"),
        actor,
        perm=RECORD_SPOTCHECK,
        pk=item.pk,
    )
    if item.spot_check.closed_at is not None:
        raise ValidationError(_("This spot check is closed."))
    if result not in (SpotResult.VERIFIED, SpotResult.FAILED):
        raise ValidationError({"result": _("Choose verified or failed.")})
    if result == SpotResult.FAILED and not note.strip():
        raise ValidationError({"note": _("Say what did not check out.")})
    item.result = result
    item.note = note.strip()[:255]
    item.checked_by = user_of(actor)
    item.checked_at = timezone.now()
    item.save()
    return item


def _checked_period_end(spot_check: SpotCheck, items: list[SpotCheckItem]) -> date:
    """The date whose rule applies: the last end date of the classes checked (the trainings
    are judged by the rules they ran under), or the day of the draw if it is earlier."""
    class_ids = {item.training_class_id for item in items if item.training_class_id}
    class_ids |= set(
        Enrolment.objects.filter(
            pk__in=[item.enrolment_id for item in items if item.enrolment_id]
        ).values_list("training_class_id", flat=True)
    )
    ends = TrainingClass.objects.filter(pk__in=class_ids).values_list("end_date", flat=True)
    return min(max(ends, default=spot_check.drawn_on), spot_check.drawn_on)


@dataclass(frozen=True)
class SpotCheckOutcome:
    spot_check: SpotCheck
    sanction: Sanction | None


@transaction.atomic
def spot_check_close(*, actor, spot_check: SpotCheck) -> SpotCheckOutcome:
    """Close a spot check once every item is recorded: its failure rate against the highest
    acceptable rate (``spot_check.max_failure_share``, GA23-SPT-1) in force when the checked
    classes ended. Above it, the first
    violation of the institution brings an order to rectify at once, a second one a public
    criticism (通报批评)."""
    spot_check = get_visible_or_404(
        SpotCheck.objects.select_for_update().select_related("organisation__region"),
        actor,
        perm=RECORD_SPOTCHECK,
        pk=spot_check.pk,
    )
    bureau = _bureau_of(actor)
    if spot_check.closed_at is not None:
        raise ValidationError(_("This spot check is closed."))
    items = list(spot_check.items.all())
    pending = sum(item.result == SpotResult.PENDING for item in items)
    if pending:
        raise ValidationError(_("%(n)d sampled items are not checked yet.") % {"n": pending})
    failures = sum(item.result == SpotResult.FAILED for item in items)
    rate = (Decimal(failures) / Decimal(len(items))).quantize(Decimal("0.0001"))
    version = parameters_in_effect().lookup(
        "spot_check.max_failure_share",
        spot_check.organisation.region.code[:6],
        _checked_period_end(spot_check, items),
    )
    spot_check.failures = failures
    spot_check.failure_rate = rate
    spot_check.threshold = Decimal(version.value) if version else None
    spot_check.violation = version is not None and rate > Decimal(version.value)
    spot_check.closed_at = timezone.now()
    spot_check.save()
    sanction = None
    if spot_check.violation:
        earlier = (
            SpotCheck.objects.filter(organisation=spot_check.organisation, violation=True)
            .exclude(pk=spot_check.pk)
            .count()
        )
        kind = SanctionKind.RECTIFICATION if earlier == 0 else SanctionKind.PUBLIC_CRITICISM
        reason = _(
            "GA23-SPT-1: %(failures)d of %(n)d sampled failed verification (%(rate)s%%), above "
            "the acceptable %(max)s%% (%(ref)s); violation number %(count)d."
        ) % {
            "failures": failures,
            "n": len(items),
            # ":f" so that 20 reads 20, not 2E+1
            "rate": f"{(rate * 100).normalize():f}",
            "max": f"{(Decimal(version.value) * 100).normalize():f}",
            "ref": version.reference.text(),
            "count": earlier + 1,
        }
        sanction = Sanction.objects.create(
            organisation=spot_check.organisation,
            kind=kind,
            rule="GA23-SPT-1",
            reason=reason,
            spot_check=spot_check,
            valid_from=timezone.localdate(),
            issued_by=user_of(actor),
            bureau=bureau,
        )
    return SpotCheckOutcome(spot_check, sanction)


@transaction.atomic
def sanction_blacklist(
    *,
    actor,
    organisation: Organisation,
    reason: str,
    signal: Signal | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Sanction:
    """Blacklist an institution for fraud (虚假培训, 套取; HB45-BLK-1): while in force it may
    not file new classes or submit claims. A person's decision, after a signal was confirmed
    or on other findings, never an automatic consequence of a signal."""
    require_perm(actor, ISSUE_SANCTION)
    organisation = _institution(actor, organisation, ISSUE_SANCTION)
    if signal is not None:
        signal = get_visible_or_404(Signal, actor, perm=REVIEW_SIGNAL, pk=signal.pk)
        if signal.status != SignalStatus.CONFIRMED:
            raise ValidationError(_("Confirm the signal before blacklisting on its strength."))
        if signal.training_class.organisation_id != organisation.pk:
            raise ValidationError(_("The signal concerns another organisation."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end is before the start.")})
    return Sanction.objects.create(
        organisation=organisation,
        kind=SanctionKind.BLACKLIST,
        rule="HB45-BLK-1",
        reason=reason.strip(),
        signal=signal,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=user_of(actor),
        bureau=_bureau_of(actor),
    )


def institution_is_blocked(organisation: Organisation | None, on: date | None = None) -> bool:
    """True while a blacklist entry is in force for the organisation (HB45-BLK-1): it may not
    file new classes or submit subsidy claims."""
    if organisation is None:
        return False
    return (
        Sanction.objects.filter(organisation=organisation, kind=SanctionKind.BLACKLIST)
        .in_force(on or timezone.localdate())
        .exists()
    )


def blocked_problems(organisation: Organisation | None, on: date | None = None) -> list[str]:
    """The refusal a blocked organisation gets when it files a class or a claim."""
    if not institution_is_blocked(organisation, on):
        return []
    return [
        _(
            "HB45-BLK-1: %(org)s is blacklisted for fraud and may not file classes or claims "
            "while the entry is in force."
        )
        % {"org": organisation.name}
    ]
