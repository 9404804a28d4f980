"""Evidence (GA23-PHO-1, GA23-VID-1): resumable chunked uploads, streamed to the default
storage, the facts read from the file itself (:mod:`upskill.supervision.media`), and a
duplicate picture flagged at once (:mod:`.signals`).
"""

from __future__ import annotations

import os
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404
from upskill.training.models import TrainingClass
from upskill.training.selectors import is_organiser

from .. import media as probe
from ..models import SCENES, Evidence, Media, MediaHash, Signal, UploadSession, UploadStatus
from ._common import (
    EVIDENCE_STATES,
    PHOTO_EXTENSIONS,
    UPLOAD_EVIDENCE,
    VIDEO_EXTENSIONS,
    _check_choice,
    _local_copy,
    _megabytes,
    _safe_name,
)
from .signals import duplicates_flag


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


def _organiser_class(actor, training_class: TrainingClass) -> TrainingClass:
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=UPLOAD_EVIDENCE, pk=training_class.pk
    )
    if not is_organiser(actor, training_class):
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
    actor: Actor,
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
def upload_append(*, actor: Actor, session: UploadSession, offset: int, chunk) -> UploadSession:
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


def _delete_parts(session: UploadSession) -> None:
    for index in range(session.parts):
        default_storage.delete(session.part_name(index))


def upload_finish(*, actor: Actor, session: UploadSession) -> Evidence:
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
            duplicates_flag(actor=actor, evidence=evidence)
    if refused is not None:
        raise refused
    return evidence


def evidence_upload(
    *,
    actor: Actor,
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
def evidence_remove(*, actor: Actor, evidence: Evidence) -> None:
    """The organiser withdraws a photo or video uploaded by mistake (kept in the history)."""
    evidence = get_visible_or_404(Evidence, actor, perm=UPLOAD_EVIDENCE, pk=evidence.pk)
    if not is_organiser(actor, evidence.training_class):
        raise PermissionDenied(UPLOAD_EVIDENCE)
    if Signal.objects.filter(Q(evidence=evidence) | Q(other_evidence=evidence)).exists():
        raise ValidationError(_("A flagged picture is kept until the bureau has reviewed it."))
    name = evidence.file.name
    evidence.delete()
    default_storage.delete(name)
