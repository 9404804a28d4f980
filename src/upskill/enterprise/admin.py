from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin

from .models import EmploymentContract, EnterpriseRecord


@admin.register(EmploymentContract)
class EmploymentContractAdmin(ReadOnlyScopedAdmin):
    list_display = ("person", "enterprise", "signed", "years", "ended")
    list_filter = ("ended",)


@admin.register(EnterpriseRecord)
class EnterpriseRecordAdmin(ReadOnlyScopedAdmin):
    list_display = ("kind", "person", "enterprise", "date")
    list_filter = ("kind",)
