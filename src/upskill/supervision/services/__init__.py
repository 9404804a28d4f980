"""Writes of the supervision app, one module per sub-domain. Every function takes the acting
user or token first.

* :mod:`.inspections`: inspections (GA23-INS-1) and exam supervision (GA23-EXM-1), recorded
  by the bureau;
* :mod:`.uploads`: evidence (GA23-PHO-1, GA23-VID-1), resumable chunked uploads streamed to
  the default storage, the facts read from the file itself (:mod:`upskill.supervision.media`);
* :mod:`.signals`: fraud signals, raised for a person to review and never sanctions by
  themselves;
* :mod:`.spot_checks`: spot checks and sanctions (GA23-SPT-1, HB45-BLK-1).

The reads live in :mod:`upskill.supervision.selectors`; the checklist of a class
(``class_compliance``) and the blacklist reads (``institution_is_blocked``,
``blocked_problems``) are re-exported here because the claims workflow of ``subsidies`` and the
README name them as ``supervision.services.…``.
"""

from upskill.supervision.selectors import (
    Compliance,
    ComplianceItem,
    blocked_problems,
    class_compliance,
    institution_is_blocked,
)

from ._common import (
    EVIDENCE_STATES,
    ISSUE_SANCTION,
    PHOTO_EXTENSIONS,
    RECORD_INSPECTION,
    RECORD_SPOTCHECK,
    REVIEW_SIGNAL,
    UPLOAD_EVIDENCE,
    VIDEO_EXTENSIONS,
    VIEW_EVIDENCE,
    VIEW_INSPECTION,
    VIEW_SANCTION,
)
from .inspections import (
    Screenshot,
    inspection_record,
    inspection_schedule,
    inspection_screenshot_add,
)
from .signals import duplicates_flag, signal_review, signals_scan
from .spot_checks import (
    SpotCheckOutcome,
    sanction_blacklist,
    spot_check_close,
    spot_check_draw,
    spot_check_item_record,
)
from .uploads import (
    OffsetMismatch,
    evidence_remove,
    evidence_upload,
    upload_append,
    upload_finish,
    upload_start,
)

__all__ = [
    "EVIDENCE_STATES",
    "ISSUE_SANCTION",
    "PHOTO_EXTENSIONS",
    "RECORD_INSPECTION",
    "RECORD_SPOTCHECK",
    "REVIEW_SIGNAL",
    "UPLOAD_EVIDENCE",
    "VIDEO_EXTENSIONS",
    "VIEW_EVIDENCE",
    "VIEW_INSPECTION",
    "VIEW_SANCTION",
    "Compliance",
    "ComplianceItem",
    "OffsetMismatch",
    "Screenshot",
    "SpotCheckOutcome",
    "blocked_problems",
    "class_compliance",
    "duplicates_flag",
    "evidence_remove",
    "evidence_upload",
    "inspection_record",
    "inspection_schedule",
    "inspection_screenshot_add",
    "institution_is_blocked",
    "sanction_blacklist",
    "signal_review",
    "signals_scan",
    "spot_check_close",
    "spot_check_draw",
    "spot_check_item_record",
    "upload_append",
    "upload_finish",
    "upload_start",
]
