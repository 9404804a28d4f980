"""Admin wiring shared by every app: the admin sees through the same scoping layer."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, Job, Upload
from .scoping import visible


class ScopedAdmin(SimpleHistoryAdmin):
    """Lists and opens only what the user's organisation may see; anything else is a 404."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class ReadOnlyScopedAdmin(ScopedAdmin):
    """For records whose writes go through the services (their checks: state tables, policy,
    probed files); the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "at",
        "user",
        "token_name",
        "organisation",
        "action",
        "what",
        "row_count",
    )
    list_filter = ("action",)


@admin.register(Job)
class JobAdmin(ScopedAdmin):
    list_display = ("created_at", "kind", "title", "status", "done", "total", "organisation")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Upload)
class UploadAdmin(ReadOnlyScopedAdmin):
    list_display = ("filename", "purpose", "organisation", "offset", "size", "status", "created_at")
    list_filter = ("purpose", "status")
