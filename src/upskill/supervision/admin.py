from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin

from .models import (
    Evidence,
    Inspection,
    InspectionScreenshot,
    MediaHash,
    Sanction,
    Signal,
    SpotCheck,
    SpotCheckItem,
)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyScopedAdmin):
    list_display = ("training_class", "kind", "mode", "status", "held_at", "result")
    list_filter = ("kind", "mode", "status", "result")


@admin.register(InspectionScreenshot)
class InspectionScreenshotAdmin(ReadOnlyScopedAdmin):
    list_display = ("inspection", "label", "width", "height")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyScopedAdmin):
    list_display = ("training_class", "media", "scene", "specialty", "duration", "uploaded_at")
    list_filter = ("media", "scene")


@admin.register(MediaHash)
class MediaHashAdmin(ReadOnlyScopedAdmin):
    list_display = ("evidence", "frame", "value")


@admin.register(Signal)
class SignalAdmin(ReadOnlyScopedAdmin):
    list_display = ("kind", "training_class", "other_class", "status", "created_at")
    list_filter = ("kind", "status")


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyScopedAdmin):
    list_display = ("organisation", "subject", "method", "drawn_on", "failure_rate", "violation")


@admin.register(SpotCheckItem)
class SpotCheckItemAdmin(ReadOnlyScopedAdmin):
    list_display = ("spot_check", "result", "checked_at")


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyScopedAdmin):
    list_display = ("organisation", "kind", "rule", "valid_from", "valid_until")
    list_filter = ("kind",)
