from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin

from .models import Target, TargetShare


@admin.register(Target)
class TargetAdmin(ReadOnlyScopedAdmin):
    list_display = ("region", "line", "year_from", "year_to", "quantity", "split_status")
    list_filter = ("line", "split_status")


@admin.register(TargetShare)
class TargetShareAdmin(ReadOnlyScopedAdmin):
    list_display = ("target", "region", "organisation", "quantity")
