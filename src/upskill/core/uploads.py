"""Uploads: limits that answer with a message instead of filling the disk, and the resumable
chunked upload every app's large files go through (below).

Django streams an uploaded file into a temporary file whatever its size. This handler, first
in ``FILE_UPLOAD_HANDLERS``, stops storing a file once it passes
``settings.UPSKILL_UPLOAD_MAX_BYTES`` and marks the request, so the page or API endpoint says
plainly that the file was too large (a 2 GB upload is read and discarded, never stored).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .actor import user_of
from .media import MediaRefused
from .models import Upload, UploadStatus
from .scoping import Actor, get_visible_or_404, require_perm


def upload_limit() -> int:
    return int(getattr(settings, "UPSKILL_UPLOAD_MAX_BYTES", 64 * 1024 * 1024))


class UploadSizeLimitHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file; past the limit the upload stops (the rest of the
    body is read and discarded) and ``request.upload_too_large`` is set."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self._received = getattr(self, "_received", 0) + len(raw_data)
        if self._received > upload_limit():
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int):
        return None


def upload_too_large(request) -> bool:
    """True when a file of this request was dropped for its size."""
    return bool(getattr(request, "upload_too_large", False))


# -- resumable chunked uploads ----------------------------------------------------------------
#
# One file sent in chunks (each at most ``UPSKILL_UPLOAD_CHUNK_BYTES``) to the default storage,
# resumable from where the server stands, then assembled by streaming the chunks to a temporary
# file that the purpose's app probes (Pillow, ffprobe) and turns into its record. The app opens
# the upload (its own checks: who may, which name, which size limit, ``details`` of what it is
# for) and finishes it; the chunks in between go through the core endpoints (core/views.py and
# static/upskill/upload.js). Supervision's evidence and learning's lesson videos use it.


class Purpose(NamedTuple):
    perm: str  # the permission that sends and finishes its uploads
    finish: str  # the URL name of its finishing endpoint, given the upload's id


PURPOSES: dict[str, Purpose] = {}
COPY_BLOCK = 1024 * 1024


def purpose_register(purpose: str, *, perm: str, finish: str) -> None:
    """An app names what its uploads are for, the permission that sends them and its finishing
    endpoint (in its ``AppConfig.ready``)."""
    PURPOSES[purpose] = Purpose(perm, finish)


def purpose_of(name: str) -> Purpose:
    try:
        return PURPOSES[name]
    except KeyError:
        raise PermissionDenied(name) from None


def chunk_limit() -> int:
    return int(settings.UPSKILL_UPLOAD_CHUNK_BYTES)


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}"


def safe_name(name: str) -> str:
    """The file's own name, without any directory the client sent, at most 120 characters."""
    base = PurePath(str(name).replace("\\", "/")).name or "file"
    return base[-120:]


class OffsetMismatch(ValidationError):
    """A chunk sent for the wrong position; ``offset`` is where the upload stands, so the client
    resumes from there."""

    def __init__(self, offset: int):
        super().__init__(
            _("This upload stands at byte %(offset)d; send the data from there.")
            % {"offset": offset}
        )
        self.offset = offset


class local_copy:
    """A file (a path or file object) or the stored chunks of an upload copied to a temporary
    file on disk in blocks, with its size and SHA-256, for Pillow and ffprobe, which read from
    a path. Past ``limit`` bytes the copy stops with a refusal."""

    def __init__(self, source, limit: int, parts: Iterable[str] = ()):
        self.source, self.limit, self.parts = source, limit, list(parts)

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="upskill-upload-")
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
                                    % {"limit": megabytes(self.limit)}
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


def upload_open(
    *,
    actor: Actor,
    purpose: str,
    organisation,
    filename: str,
    size: int,
    max_bytes: int,
    details: dict | None = None,
) -> Upload:
    """Open a resumable upload of ``size`` bytes for ``purpose``. The purpose's app has checked
    who may and what the file's name says; here the size against its limit. ``details`` is
    JSON the app reads back when it finishes the upload."""
    purpose_of(purpose)
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_bytes:
        raise ValidationError(
            {
                "file": _("The file has %(size)s MB; at most %(limit)s MB are accepted.")
                % {"size": megabytes(size), "limit": megabytes(max_bytes)}
            }
        )
    return Upload.objects.create(
        purpose=purpose,
        organisation=organisation,
        created_by=user_of(actor),
        filename=safe_name(filename),
        size=size,
        max_bytes=max_bytes,
        details=details or {},
    )


def upload_of(actor: Actor, pk, *, lock: bool = False) -> Upload:
    """The upload if the actor may see it (404) and send to it (403), whatever its state."""
    qs = Upload.objects.select_for_update() if lock else Upload.objects.all()
    upload = get_visible_or_404(qs, actor, pk=pk)
    require_perm(actor, purpose_of(upload.purpose).perm)
    return upload


def _receiving(actor: Actor, upload: Upload, *, lock: bool = False) -> Upload:
    upload = upload_of(actor, upload.pk, lock=lock)
    if upload.status != UploadStatus.OPEN:
        raise ValidationError(
            upload.message or _("This upload is finished; start a new one to send a file.")
        )
    return upload


@transaction.atomic
def upload_append(*, actor: Actor, upload: Upload, offset: int, chunk) -> Upload:
    """Store the next chunk of an upload (a file object or bytes, streamed to storage). A chunk
    for another position raises :class:`OffsetMismatch` with the position the upload stands
    at: a chunk sent twice or out of order is never stored."""
    upload = _receiving(actor, upload, lock=True)
    if offset != upload.offset:
        raise OffsetMismatch(upload.offset)
    if not isinstance(chunk, File):
        chunk = ContentFile(chunk) if isinstance(chunk, bytes) else File(chunk)
    length = chunk.size
    if not length:
        raise ValidationError(_("The chunk is empty."))
    if length > chunk_limit():
        raise ValidationError(
            _("A chunk has at most %(limit)s MB.") % {"limit": megabytes(chunk_limit())}
        )
    if upload.offset + length > upload.size:
        raise ValidationError(_("The file is larger than announced when the upload started."))
    stored = default_storage.save(upload.part_name(upload.parts), chunk)
    if stored != upload.part_name(upload.parts):  # a stale part of an aborted request
        default_storage.delete(stored)
        raise OffsetMismatch(upload.offset)
    upload.offset += length
    upload.parts += 1
    upload.save(update_fields=["offset", "parts", "updated_at"])
    return upload


def _delete_parts(upload: Upload) -> None:
    for index in range(upload.parts):
        default_storage.delete(upload.part_name(index))


class Made(NamedTuple):
    """What a purpose made of an assembled file: its record and the facts probing read."""

    record: models.Model
    facts: dict


def upload_finish(
    *, actor: Actor, upload: Upload, make: Callable[[Upload, str, int, str], Made]
) -> models.Model:
    """Assemble a complete upload by streaming its chunks to a temporary file and hand it to
    ``make(upload, path, size, sha256)``, the purpose's app, which probes the file and writes
    its record. A refusal (:class:`~upskill.core.media.MediaRefused` or ``ValidationError``)
    undoes what ``make`` wrote, marks the upload refused with the reason, deletes the chunks
    and is raised as ``ValidationError({"file": reason})``: nothing is half-written."""
    with transaction.atomic():
        upload = _receiving(actor, upload, lock=True)
        if upload.offset != upload.size:
            raise OffsetMismatch(upload.offset)
        parts = [upload.part_name(i) for i in range(upload.parts)]
        try:
            # the inner atomic is a savepoint: a refusal undoes what make wrote
            with (
                local_copy(None, upload.max_bytes, parts) as (path, size, digest),
                transaction.atomic(),
            ):
                made = make(upload, path, size, digest)
        except (MediaRefused, ValidationError) as exc:
            message = str(exc) if isinstance(exc, MediaRefused) else " ".join(exc.messages)
            upload.status = UploadStatus.REFUSED
            upload.message = message
            upload.save(update_fields=["status", "message", "updated_at"])
            _delete_parts(upload)
            refused = ValidationError({"file": message})
        else:
            refused = None
            upload.status = UploadStatus.DONE
            upload.object_id = made.record.pk
            upload.facts = made.facts
            upload.save(update_fields=["status", "object_id", "facts", "updated_at"])
            _delete_parts(upload)
    if refused is not None:
        raise refused
    return made.record


def upload_json(upload: Upload) -> dict:
    """Where an upload stands, for the page's script (static/upskill/upload.js)."""
    return {
        "id": str(upload.pk),
        "offset": upload.offset,
        "size": upload.size,
        "status": upload.status,
        "message": upload.message,
        "chunk_size": chunk_limit(),
        "url": reverse("core:upload", args=[upload.pk]),
        "finish_url": reverse(purpose_of(upload.purpose).finish, args=[upload.pk]),
    }


def upload_whole(*, actor: Actor, upload_file, open_upload: Callable[[int, str], Upload]) -> Upload:
    """One whole file (a path or file object) sent through the resumable path in chunks, for
    API clients with small files, the demo and the tests: ``open_upload(size, name)`` is the
    purpose's own opening; the upload is returned complete, ready to finish."""
    handle = upload_file if hasattr(upload_file, "read") else open(upload_file, "rb")  # noqa: SIM115
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(0)
        upload = open_upload(size, getattr(upload_file, "name", None) or str(upload_file))
        offset = 0
        while block := handle.read(chunk_limit()):
            upload = upload_append(actor=actor, upload=upload, offset=offset, chunk=block)
            offset = upload.offset
    finally:
        if handle is not upload_file:
            handle.close()
    return upload
