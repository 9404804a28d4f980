from django.contrib import admin

from upskill.core.admin import ScopedAdmin

from .models import FollowUp, Recommendation, Referral, Vacancy


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Writes go through the services (the queue's states, outcomes); the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyScopedAdmin):
    list_display = ("person", "centre", "status", "outcome", "created_at")
    list_filter = ("status", "outcome")


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyScopedAdmin):
    list_display = ("employer", "title", "job_type", "township", "wage_min", "wage_max", "is_open")
    list_filter = ("is_open",)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyScopedAdmin):
    list_display = ("referral", "vacancy", "created_at")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyScopedAdmin):
    list_display = ("referral", "kind", "date", "employer")
    list_filter = ("kind",)
