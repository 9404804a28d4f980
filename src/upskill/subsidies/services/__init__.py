"""Writes of the subsidies app, one module per sub-domain: funds and the calendar (``funds``),
claims assembled from the records (``assembly``), documents and submission (``submission``),
review, public notice and objections (``review``), advance payments and fund rules
(``advances``, HB45-ADV-1, HB45-FND-1), payment batches, bank files and results (``payment``),
recovery after fraud (``recovery``). Reads are in ``selectors``.

Amounts come only from the policy engine (``upskill.policy.run``): a claim line is a calculator
record built from the class, the enrolment, the attendance and the assessment, priced with the
parameters in force and the person's earlier subsidised trainings (HB45-CAP-1).
"""

# demo.seed reads the checklist through this module (``subsidies.documents_checklist``)
from ..selectors.documents import documents_checklist
from ._common import (
    ADD_BATCH,
    CHANGE_CALENDAR,
    CHANGE_FUND,
    CHANGE_PAYEE,
    EXPORT,
    PAID_THROUGH_OWN_CLAIM,
    RECOVER,
    REVIEW,
    SUBMIT,
)
from .advances import (
    advance_apply,
    advance_approve,
    advance_paid,
    advance_refuse,
    advance_settle,
    fund_rule_set,
)
from .assembly import (
    claim_assemble,
    claim_assemble_enterprise,
    claim_assemble_township,
    claim_reassemble,
)
from .funds import calendar_day_remove, calendar_day_set, calendar_seed, fund_set
from .payment import (
    bank_file_download,
    bank_file_latest,
    bank_header,
    batch_create,
    batch_export,
    batch_export_start,
    batch_results_import,
    payee_account_set,
    payment_cancel,
    payment_hold,
    payment_release,
    payment_retry,
    result_columns,
)
from .recovery import recovery_open
from .review import (
    claim_approve,
    claim_line_decide,
    claim_lines_approve_remaining,
    claim_release_due,
    claim_return,
    claim_take,
    objection_lodge,
    objection_resolve,
)
from .settlement import settlement_start
from .submission import claim_document_upload, claim_submit

__all__ = [
    "ADD_BATCH",
    "CHANGE_CALENDAR",
    "CHANGE_FUND",
    "CHANGE_PAYEE",
    "EXPORT",
    "PAID_THROUGH_OWN_CLAIM",
    "RECOVER",
    "REVIEW",
    "SUBMIT",
    "advance_apply",
    "advance_approve",
    "advance_paid",
    "advance_refuse",
    "advance_settle",
    "bank_file_download",
    "bank_file_latest",
    "bank_header",
    "batch_create",
    "batch_export",
    "batch_export_start",
    "batch_results_import",
    "calendar_day_remove",
    "calendar_day_set",
    "calendar_seed",
    "claim_approve",
    "claim_assemble",
    "claim_assemble_enterprise",
    "claim_assemble_township",
    "claim_document_upload",
    "claim_line_decide",
    "claim_lines_approve_remaining",
    "claim_reassemble",
    "claim_release_due",
    "claim_return",
    "claim_submit",
    "claim_take",
    "documents_checklist",
    "fund_rule_set",
    "fund_set",
    "objection_lodge",
    "objection_resolve",
    "payee_account_set",
    "payment_cancel",
    "payment_hold",
    "payment_release",
    "payment_retry",
    "recovery_open",
    "result_columns",
    "settlement_start",
]
