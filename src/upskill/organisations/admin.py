from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from upskill.core.admin import ScopedAdmin

from .models import ApiToken, Organisation, Region, Role, User


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ("name", "kind", "region", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("region",)
    filter_horizontal = ("associations",)


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ("name", "organisation_kind", "code", "is_staff_role")
    list_filter = ("organisation_kind",)
    filter_horizontal = ("permissions",)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "organisation", "role", "is_active", "last_login")
    list_filter = ("is_active", "role__organisation_kind")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("upskill", {"fields": ("organisation", "role", "phone")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = (
        "name",
        "organisation",
        "role",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        # issued on the API tokens page only (the secret shown once, the second factor checked)
        return False
