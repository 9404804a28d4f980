from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin

from .models import FollowUp, Recommendation, Referral, Vacancy


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
