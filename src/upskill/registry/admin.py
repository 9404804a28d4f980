from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin, ScopedAdmin

from .models import (
    Affiliation,
    BankAccount,
    BankAccountChangeRequest,
    Category,
    Person,
    PersonCategory,
)


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
