from django.contrib import admin

from upskill.core.admin import ScopedAdmin
from upskill.organisations.selectors import in_jurisdiction

from .models import (
    Catalog,
    CatalogEntry,
    DesignatedInstitution,
    EvaluationInstitution,
    Occupation,
    OnlinePlatform,
)


class CatalogPartAdmin(ScopedAdmin):
    """Every organisation reads catalogues; the admin changes only drafts of the user's own
    jurisdiction (published versions are adjusted by a new version, HB45-CAT-1)."""

    def _writable(self, request, obj) -> bool:
        if obj is None:
            return True
        catalog = obj if isinstance(obj, Catalog) else obj.catalog
        return catalog.published_at is None and in_jurisdiction(
            actor=request.user, region_code=catalog.region.code
        )

    def has_change_permission(self, request, obj=None):
        return self._writable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._writable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Catalog)
class CatalogAdmin(CatalogPartAdmin):
    list_display = ("__str__", "kind", "region", "year", "version", "published_at")
    list_filter = ("kind", "year")
    readonly_fields = ("published_at", "previous", "organisation")

    def has_add_permission(self, request):
        return False  # versions are created and published through the catalogue pages


@admin.register(Occupation)
class OccupationAdmin(CatalogPartAdmin):
    list_display = ("name", "level", "category", "price", "exam_fee", "catalog")
    list_filter = ("level",)
    search_fields = ("name", "category")


@admin.register(CatalogEntry)
class CatalogEntryAdmin(CatalogPartAdmin):
    list_display = ("occupation", "program", "standard_hours", "is_active", "catalog")
    list_filter = ("program", "is_active")
    raw_id_fields = ("occupation",)


@admin.register(DesignatedInstitution)
class DesignatedInstitutionAdmin(CatalogPartAdmin):
    list_display = ("organisation", "catalog", "valid_from", "valid_until")
    filter_horizontal = ("occupations",)


@admin.register(EvaluationInstitution)
class EvaluationInstitutionAdmin(CatalogPartAdmin):
    list_display = ("name", "region", "accreditation_number", "catalog")
    filter_horizontal = ("occupations",)


@admin.register(OnlinePlatform)
class OnlinePlatformAdmin(CatalogPartAdmin):
    list_display = ("name", "operator", "catalog")
