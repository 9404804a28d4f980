from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin, ScopedAdmin

from .models import (
    Advance,
    AdvanceDeduction,
    CalendarDay,
    Claim,
    ClaimDocument,
    ClaimItem,
    ClaimLine,
    Fund,
    FundRule,
    LedgerEntry,
    Objection,
    PayeeAccount,
    PaymentBatch,
    PaymentItem,
)

# Claims, payments and the ledger change only through the services (their rules and the
# ledger entries they write); the admin reads them.


@admin.register(Fund)
class FundAdmin(ReadOnlyScopedAdmin):
    list_display = ("year", "source", "region", "budget")


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ("date", "kind", "name", "from_library")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyScopedAdmin):
    list_display = ("pk", "claimant", "training_class", "status", "notice_until")
    list_filter = ("status", "kind")


@admin.register(ClaimLine)
class ClaimLineAdmin(ReadOnlyScopedAdmin):
    list_display = ("claim", "person", "status", "total", "decision")


@admin.register(ClaimItem)
class ClaimItemAdmin(ReadOnlyScopedAdmin):
    list_display = ("line", "rule", "payee", "amount")


@admin.register(ClaimDocument)
class ClaimDocumentAdmin(ReadOnlyScopedAdmin):
    list_display = ("claim", "key", "original_name", "verified_in_system")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyScopedAdmin):
    list_display = ("claim", "lodged_by", "status")


@admin.register(PayeeAccount)
class PayeeAccountAdmin(ReadOnlyScopedAdmin):
    list_display = ("organisation", "account_name", "account_number_masked", "bank_name")
    exclude = ("account_number",)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyScopedAdmin):
    list_display = ("reference", "fund", "payee", "status")


@admin.register(PaymentItem)
class PaymentItemAdmin(ReadOnlyScopedAdmin):
    list_display = ("batch", "item", "amount", "status", "attempts")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyScopedAdmin):
    list_display = ("seq", "at", "kind", "fund", "amount", "rule", "hash")


@admin.register(Advance)
class AdvanceAdmin(ReadOnlyScopedAdmin):
    list_display = ("training_class", "claimant", "amount", "status", "receivable")


@admin.register(AdvanceDeduction)
class AdvanceDeductionAdmin(ReadOnlyScopedAdmin):
    list_display = ("advance", "claim_item", "amount")


@admin.register(FundRule)
class FundRuleAdmin(ReadOnlyScopedAdmin):
    list_display = ("region", "source", "kinds")
