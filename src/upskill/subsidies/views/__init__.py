"""Pages of the subsidies app: thin, they parse, call a service or selector, and render. One module
per part: ``advances`` (advance payments and fund rules), ``claims``, ``public`` (notices and
disclosure), ``payment``, ``funds`` (ledger, funds, calendar, settlement); ``urls.py`` reaches
every page through this package."""

from .advances import (
    advance_action,
    advance_apply,
    advance_detail,
    advance_list,
    fund_rules,
)
from .claims import (
    claim_action,
    claim_assemble,
    claim_assemble_enterprise,
    claim_assemble_township,
    claim_detail,
    claim_document,
    claim_list,
    claim_roster,
    line_decide,
    objection_resolve,
    township_fees,
)
from .funds import calendar_page, fund_list, ledger_page, settle_start
from .payment import (
    batch_detail,
    batch_export,
    batch_file,
    batch_list,
    batch_results,
    payee_account,
    payment_action,
)
from .public import disclosure, disclosure_xlsx, notice_detail, notice_list

__all__ = [
    "advance_action",
    "advance_apply",
    "advance_detail",
    "advance_list",
    "batch_detail",
    "batch_export",
    "batch_file",
    "batch_list",
    "batch_results",
    "calendar_page",
    "claim_action",
    "claim_assemble",
    "claim_assemble_enterprise",
    "claim_assemble_township",
    "claim_detail",
    "claim_document",
    "claim_list",
    "claim_roster",
    "disclosure",
    "disclosure_xlsx",
    "fund_list",
    "fund_rules",
    "ledger_page",
    "line_decide",
    "notice_detail",
    "notice_list",
    "objection_resolve",
    "payee_account",
    "payment_action",
    "settle_start",
    "township_fees",
]
