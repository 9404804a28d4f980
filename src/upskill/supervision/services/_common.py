"""Shared parts of the supervision services: the permissions, who acts for the bureau or
the organiser, and (core's) local copy of an upload that Pillow and ffprobe read from a path.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor
from upskill.core.uploads import local_copy, megabytes, safe_name
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


def _bureau_of(actor: Actor) -> Organisation | None:
    """The actor's organisation if it is a bureau (or the system/superuser: None)."""
    if not acts_for_bureau(actor):
        raise PermissionDenied(_("Only the bureau does this."))
    return getattr(actor, "organisation", None)


def _check_choice(value: str, choices, field: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: message})


# the local copy of an upload, its safe name and size in MB are core's (core/uploads.py)
_local_copy = local_copy
_safe_name = safe_name
_megabytes = megabytes
