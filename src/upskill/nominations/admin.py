from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin

from .models import Application, Batch, Call, FeeReceipt, Membership, Nomination, SubsidyUse


@admin.register(Membership)
class MembershipAdmin(ReadOnlyScopedAdmin):
    list_display = ("enterprise", "association", "number", "joined_on", "ended_on")


@admin.register(Call)
class CallAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "association", "year", "deadline")


@admin.register(Batch)
class BatchAdmin(ReadOnlyScopedAdmin):
    list_display = ("name", "call", "institution", "platform", "start_date", "end_date")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyScopedAdmin):
    list_display = ("sequence", "enterprise", "call", "received_on", "status", "batch")
    list_filter = ("status",)


@admin.register(Nomination)
class NominationAdmin(ReadOnlyScopedAdmin):
    list_display = ("person", "application", "status", "payer", "left_on", "deduction")
    list_filter = ("status",)


@admin.register(FeeReceipt)
class FeeReceiptAdmin(ReadOnlyScopedAdmin):
    list_display = ("number", "nomination", "payer", "amount", "paid_on")


@admin.register(SubsidyUse)
class SubsidyUseAdmin(ReadOnlyScopedAdmin):
    list_display = ("batch", "category", "amount")
