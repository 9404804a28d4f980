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
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.models import Upload, UploadStatus
from upskill.core.scoping import Actor, get_visible_or_404
from upskill.core.uploads import (
    Made,
    OffsetMismatch,
    safe_name,
    upload_of,
    upload_open,
    upload_whole,
)
from upskill.core.uploads import upload_append as core_append
from upskill.core.uploads import upload_finish as core_finish
from upskill.training.models import TrainingClass
from upskill.training.selectors import is_organiser

from .. import media as probe
from ..models import SCENES, Evidence, Media, MediaHash, Signal
from ._common import (
    EVIDENCE_STATES,
    PHOTO_EXTENSIONS,
    UPLOAD_EVIDENCE,
    VIDEO_EXTENSIONS,
    _check_choice,
)
from .signals import duplicates_flag

PURPOSE = "supervision.evidence"  # what its uploads are for (core/uploads.py)


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
) -> Upload:
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
    name = safe_name(filename)
    extension = os.path.splitext(name)[1].lower()
    allowed = PHOTO_EXTENSIONS if media == Media.PHOTO else VIDEO_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            {
                "file": _("A %(media)s file ends in %(ext)s; “%(name)s” does not.")
                % {"media": Media(media).label, "ext": " ".join(sorted(allowed)), "name": name}
            }
        )
    return upload_open(
        actor=actor,
        purpose=PURPOSE,
        organisation=training_class.organisation,
        filename=name,
        size=size,
        max_bytes=_max_bytes(media),
        details={
            "training_class": training_class.pk,
            "media": media,
            "scene": scene,
            "specialty": specialty.strip()[:128],
            "caption": caption.strip()[:255],
            "claimed_taken_at": claimed_taken_at.isoformat() if claimed_taken_at else None,
        },
    )


def upload_append(*, actor: Actor, session: Upload, offset: int, chunk) -> Upload:
    """Store the next chunk of an evidence upload (core's :func:`upload_append`): a chunk for
    another position raises :class:`OffsetMismatch` with the position the upload stands at."""
    return core_append(actor=actor, upload=session, offset=offset, chunk=chunk)


def _claimed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def upload_finish(*, actor: Actor, session: Upload) -> Evidence:
    """Assemble a complete upload (core's :func:`upload_finish`), read the facts from the file
    (a photo's dimensions and EXIF time, a video's duration and codec: never the uploader's
    word), store it through the storage API and record the evidence. A file that is not what
    its name or medium says is refused with the reason, and nothing is kept."""
    session = upload_of(actor, session.pk)
    if session.purpose != PURPOSE:
        raise Http404
    details = session.details
    training_class = _organiser_class(actor, TrainingClass(pk=details["training_class"]))
    if session.status == UploadStatus.OPEN and session.offset != session.size:
        raise OffsetMismatch(session.offset)

    def make(upload: Upload, path: str, size: int, digest: str) -> Made:
        media = details["media"]
        facts = probe.probe_image(path) if media == Media.PHOTO else probe.probe_video(path)
        evidence = Evidence(
            training_class=training_class,
            media=media,
            scene=details["scene"],
            specialty=details["specialty"],
            caption=details["caption"],
            claimed_taken_at=_claimed(details.get("claimed_taken_at")),
            original_name=upload.filename,
            size=size,
            sha256=digest,
            file_format=facts.file_format,
            width=facts.width,
            height=facts.height,
            exif_taken_at=facts.taken_at if media == Media.PHOTO else None,
            duration=facts.duration,
            codec=facts.codec,
            uploaded_by=user_of(actor) or upload.created_by,
        )
        with open(path, "rb") as handle:
            evidence.file.save(upload.filename, File(handle), save=False)
        evidence.save()
        MediaHash.objects.bulk_create(
            MediaHash(
                evidence=evidence,
                frame=frame,
                value=f"{value:016x}",
                **dict(zip(("band0", "band1", "band2", "band3"), probe.bands(value), strict=True)),
            )
            for frame, value in facts.hashes
        )
        duplicates_flag(actor=actor, evidence=evidence)
        return Made(
            evidence,
            {
                "format": facts.file_format,
                "width": facts.width,
                "height": facts.height,
                "duration": str(facts.duration) if facts.duration is not None else None,
                "codec": facts.codec,
            },
        )

    return core_finish(actor=actor, upload=session, make=make)


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
    session = upload_whole(
        actor=actor,
        upload_file=upload,
        open_upload=lambda size, name: upload_start(
            actor=actor,
            training_class=training_class,
            media=media,
            scene=scene,
            specialty=specialty,
            filename=name,
            size=size,
            caption=caption,
            claimed_taken_at=claimed_taken_at,
        ),
    )
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
