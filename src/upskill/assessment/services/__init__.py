"""Writes of the assessment app, one module per sub-domain. Every function takes the acting
user or token first.

* :mod:`.pass_marks`: the bureau's pass marks per occupation and level (GA23-CRT-1; 60 of 100
  for each part when the bureau set none);
* :mod:`.sessions`: exam sessions and attempts; every trainee the first time, then those not
  yet passed (WH20-EXM-1: retakes unlimited until passed; each attempt kept), an online theory
  result in place of the theory exam (HB61-ONL-1);
* :mod:`.scores`: the score sheet import (all or nothing, ``core/imports.py``);
* :mod:`.certificates`: confirming a session's results issues the training certificate to each
  trainee who passed (GA23-CRT-1, HB61-CRT-1); certificates issued elsewhere are recorded and
  verified by the bureau. An issued or verified certificate is announced on the
  ``certificate.issued`` hook (``core/hooks.py``), which employment answers (GA23-EMP-1): this
  package never imports it.

The reads live in :mod:`upskill.assessment.selectors`; ``pass_marks_for``,
``passed_enrolment_ids`` and ``certificate_for_public`` are re-exported here for their callers
in the tests and in ``subsidies`` (the trainees who passed, for a claim).
"""

from upskill.assessment.selectors import (
    Marks,
    certificate_for_public,
    pass_marks_for,
    passed_enrolment_ids,
)

from ._common import (
    ADD_CERTIFICATE,
    ADD_SESSION,
    ENTER_SCORES,
    EXAM_STATES,
    SET_PASS_MARK,
    VERIFY_CERTIFICATE,
    VIEW_ARCHIVE,
    VIEW_CERTIFICATE,
    VIEW_SESSION,
)
from .certificates import (
    certificate_issue,
    certificate_record,
    certificate_verify,
)
from .pass_marks import pass_mark_set
from .scores import ABSENT_WORDS, ScoreRow, score_columns, scores_import, scores_import_run
from .sessions import (
    attempt_exempt_theory,
    attempt_online_theory_apply,
    attempt_record,
    session_close,
    session_create,
)

__all__ = [
    "ABSENT_WORDS",
    "ADD_CERTIFICATE",
    "ADD_SESSION",
    "ENTER_SCORES",
    "EXAM_STATES",
    "SET_PASS_MARK",
    "VERIFY_CERTIFICATE",
    "VIEW_ARCHIVE",
    "VIEW_CERTIFICATE",
    "VIEW_SESSION",
    "Marks",
    "ScoreRow",
    "attempt_exempt_theory",
    "attempt_online_theory_apply",
    "attempt_record",
    "certificate_for_public",
    "certificate_issue",
    "certificate_record",
    "certificate_verify",
    "pass_mark_set",
    "pass_marks_for",
    "passed_enrolment_ids",
    "score_columns",
    "scores_import",
    "scores_import_run",
    "session_close",
    "session_create",
]
