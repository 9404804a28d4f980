from django.contrib import admin

from upskill.core.admin import ScopedAdmin

from .models import (
    CalendarDay,
    Claim,
    ClaimDocument,
    ClaimItem,
    ClaimLine,
    Fund,
    LedgerEntry,
    Objection,
    PayeeAccount,
    PaymentBatch,
    PaymentItem,
)


class ReadOnlyAdmin(ScopedAdmin):
    """Claims, payments and the ledger change only through the services (their rules and the
    ledger entries they write); the admin reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "region", "budget")


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ("date", "kind", "name", "from_library")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("pk", "claimant", "training_class", "status", "notice_until")
    list_filter = ("status", "kind")


@admin.register(ClaimLine)
class ClaimLineAdmin(ReadOnlyAdmin):
    list_display = ("claim", "person", "status", "total", "decision")


@admin.register(ClaimItem)
class ClaimItemAdmin(ReadOnlyAdmin):
    list_display = ("line", "rule", "payee", "amount")


@admin.register(ClaimDocument)
class ClaimDocumentAdmin(ReadOnlyAdmin):
    list_display = ("claim", "key", "original_name", "verified_in_system")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("claim", "lodged_by", "status")


@admin.register(PayeeAccount)
class PayeeAccountAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "account_name", "account_number_masked", "bank_name")
    exclude = ("account_number",)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("reference", "fund", "payee", "status")


@admin.register(PaymentItem)
class PaymentItemAdmin(ReadOnlyAdmin):
    list_display = ("batch", "item", "amount", "status", "attempts")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "kind", "fund", "amount", "rule", "hash")
