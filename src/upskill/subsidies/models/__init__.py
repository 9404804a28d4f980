"""Subsidy claims, their review and public notice, payment batches and the fund ledger.

Money leaves the public purse here. A claim is assembled by the system from the records it holds
(class, enrolments, attendance, assessments) and priced only by the policy engine; a claim line
keeps the engine's items and explanation. Every money movement is an append-only, hash-chained
:class:`LedgerEntry` (HB45-PUB-1); corrections are reversing entries, never edits.

Who sees what (docs/roles.md): a claim — the claimant organisation and the bureau of the county;
township management fees — the township centre they are payable to; funds, payment batches,
bank files and the ledger — the county bureau (the roles' permissions narrow it to payment
clerks and auditors); the working-day calendar and the disclosure aggregates — everyone.

One module per part: ``funds`` (funds and the working-day calendar), ``claims``, ``payment``,
``ledger`` and ``advances`` (advance payments, HB45-ADV-1, and the bureau's fund rules).
Every model is imported here, so Django finds it and ``upskill.subsidies.models.X`` keeps
working.
"""

from ._common import MONEY, ZERO
from .advances import (
    Advance,
    AdvanceDeduction,
    AdvanceQuerySet,
    AdvanceRelatedQuerySet,
    AdvanceStatus,
    FundRule,
    FundRuleQuerySet,
)
from .claims import (
    Claim,
    ClaimDocument,
    ClaimItem,
    ClaimKind,
    ClaimLine,
    ClaimQuerySet,
    ClaimRelatedQuerySet,
    ClaimStatus,
    Decision,
    ItemQuerySet,
    LineQuerySet,
    LineStatus,
    Objection,
    ObjectionStatus,
    Payee,
)
from .funds import CalendarDay, DayKind, EveryoneQuerySet, Fund, FundQuerySet, FundSource
from .ledger import (
    GENESIS,
    Account,
    CheckpointQuerySet,
    CheckpointReason,
    EntryKind,
    ImmutableError,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerQuerySet,
)
from .payment import (
    BatchQuerySet,
    BatchStatus,
    PayeeAccount,
    PayeeAccountQuerySet,
    PaymentBatch,
    PaymentItem,
    PaymentItemQuerySet,
    PaymentStatus,
)

__all__ = [
    "GENESIS",
    "MONEY",
    "ZERO",
    "Account",
    "Advance",
    "AdvanceDeduction",
    "AdvanceQuerySet",
    "AdvanceRelatedQuerySet",
    "AdvanceStatus",
    "BatchQuerySet",
    "BatchStatus",
    "CalendarDay",
    "CheckpointQuerySet",
    "CheckpointReason",
    "Claim",
    "ClaimDocument",
    "ClaimItem",
    "ClaimKind",
    "ClaimLine",
    "ClaimQuerySet",
    "ClaimRelatedQuerySet",
    "ClaimStatus",
    "DayKind",
    "Decision",
    "EntryKind",
    "EveryoneQuerySet",
    "Fund",
    "FundQuerySet",
    "FundRule",
    "FundRuleQuerySet",
    "FundSource",
    "ImmutableError",
    "ItemQuerySet",
    "LedgerCheckpoint",
    "LedgerEntry",
    "LedgerQuerySet",
    "LineQuerySet",
    "LineStatus",
    "Objection",
    "ObjectionStatus",
    "Payee",
    "PayeeAccount",
    "PayeeAccountQuerySet",
    "PaymentBatch",
    "PaymentItem",
    "PaymentItemQuerySet",
    "PaymentStatus",
]
