from django.contrib import admin

from upskill.core.admin import ScopedAdmin

from .models import EmploymentContract, EnterpriseRecord


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Writes go through the services (their checks); the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EmploymentContract)
class EmploymentContractAdmin(ReadOnlyScopedAdmin):
    list_display = ("person", "enterprise", "signed", "years", "ended")
    list_filter = ("ended",)


@admin.register(EnterpriseRecord)
class EnterpriseRecordAdmin(ReadOnlyScopedAdmin):
    list_display = ("kind", "person", "enterprise", "date")
    list_filter = ("kind",)
