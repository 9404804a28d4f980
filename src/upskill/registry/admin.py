from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from upskill.core.admin import ReadOnlyScopedAdmin, ScopedAdmin

from .models import (
    Affiliation,
    BankAccount,
    BankAccountChangeRequest,
    Category,
    Person,
    PersonCategory,
    VocabularyTerm,
)
from .services import vocabulary_region_allowed, vocabulary_term_check


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    list_display = ("code", "name", "name_en", "policy_code", "is_active")


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    # The ID number and phone are never editable nor shown in full here; reveals go through
    # the page.
    list_display = ("name", "id_number_masked", "sex", "birth_date", "county", "township", "hukou")
    list_filter = ("hukou", "sex")
    search_fields = ("name",)
    exclude = ("id_number", "phone")
    readonly_fields = ("id_number_masked", "phone_masked", "birth_date", "sex", "registered_by")

    def has_add_permission(self, request):
        return False  # registration goes through the service, which validates the ID number


@admin.register(PersonCategory)
class PersonCategoryAdmin(ScopedAdmin):
    list_display = ("person", "category", "source", "valid_from", "valid_until")
    raw_id_fields = ("person",)


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyScopedAdmin):
    # Read-only: an account is recorded or changed through bank_account_set and its decisions
    # (holder name, unpaid money, maker-checker); an edit here would bypass them.
    list_display = ("person", "account_name", "bank_name", "account_number_masked", "is_active")
    exclude = ("account_number",)
    raw_id_fields = ("person",)


@admin.register(BankAccountChangeRequest)
class BankAccountChangeRequestAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "person",
        "account_name",
        "account_number_masked",
        "status",
        "needs_exception",
        "needs_confirmation",
        "requested_at",
    )
    list_filter = ("status",)
    exclude = ("account_number", "account_number_hash")
    raw_id_fields = ("person",)


@admin.register(Affiliation)
class AffiliationAdmin(ScopedAdmin):
    list_display = ("person", "organisation", "kind", "since", "until")
    raw_id_fields = ("person",)


@admin.register(VocabularyTerm)
class VocabularyTermAdmin(ScopedAdmin):
    """The roster vocabulary: a bureau's administrator adds or retires its county's wordings,
    the province's policy administrator those of every county. Each change is in the history
    (audit trail) and the next import reads it (the cache is cleared on save)."""

    list_display = ("wording", "kind", "target", "region", "source", "is_active", "organisation")
    list_filter = ("kind", "is_active")
    search_fields = ("wording", "target", "region")
    readonly_fields = ("organisation",)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or vocabulary_region_allowed(actor=request.user, region=obj.region)
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a wording is retired (active off), so the history keeps what it meant

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class Checked(form):
            def clean(self):
                data = super().clean()
                term = self.instance
                for name in ("kind", "target", "wording", "region", "is_active"):
                    if name in data:
                        setattr(term, name, data[name])
                if not vocabulary_region_allowed(actor=user, region=str(term.region or "").strip()):
                    raise ValidationError(
                        {"region": _("Your organisation adds wordings for its own region only.")}
                    )
                if term.is_active:
                    vocabulary_term_check(term=term)
                data["wording"], data["region"] = term.wording, term.region
                return data

        return Checked

    def save_model(self, request, obj, form, change):
        if not change:
            obj.organisation = getattr(request.user, "organisation", None)
        super().save_model(request, obj, form, change)
