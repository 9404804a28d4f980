"""Shared parts of the supervision services: the permissions, who acts for the bureau or
the organiser, and the local copy of an upload that Pillow and ffprobe read from a path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor
from upskill.organisations.models import Organisation

from ..selectors import (
    EVIDENCE_STATES,
    ISSUE_SANCTION,
    RECORD_INSPECTION,
    REVIEW_SIGNAL,
    UPLOAD_EVIDENCE,
    acts_for_bureau,
)

VIEW_INSPECTION = "supervision.view_inspection"
VIEW_EVIDENCE = "supervision.view_evidence"
RECORD_SPOTCHECK = "supervision.record_spotcheck"
VIEW_SANCTION = "supervision.view_sanction"

__all__ = [
    "EVIDENCE_STATES",
    "ISSUE_SANCTION",
    "RECORD_INSPECTION",
    "RECORD_SPOTCHECK",
    "REVIEW_SIGNAL",
    "UPLOAD_EVIDENCE",
    "VIEW_EVIDENCE",
    "VIEW_INSPECTION",
    "VIEW_SANCTION",
]
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".flv", ".ts", ".3gp"}
COPY_BLOCK = 1024 * 1024


def _bureau_of(actor: Actor) -> Organisation | None:
    """The actor's organisation if it is a bureau (or the system/superuser: None)."""
    if not acts_for_bureau(actor):
        raise PermissionDenied(_("Only the bureau does this."))
    return getattr(actor, "organisation", None)


def _check_choice(value: str, choices, field: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: message})


def _safe_name(name: str) -> str:
    base = PurePath(str(name).replace("\\", "/")).name or "file"
    return base[-120:]


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}"


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
