from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/find/", views.person_lookup, name="person_lookup"),
    path("rosters/import/", views.roster_import, name="roster_import"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path(
        "persons/<int:pk>/id-number/",
        views.person_id_number_correct,
        name="person_id_number_correct",
    ),
    path("persons/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("learners/", views.learner_links, name="learner_links"),
    path("persons/<int:pk>/learner/invite/", views.learner_invite, name="learner_invite"),
    path("persons/<int:pk>/learner/reset/", views.learner_reset, name="learner_reset"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/reveal-phone/", views.person_reveal_phone, name="person_reveal_phone"),
    path("persons/<int:pk>/bank-account/", views.bank_account_edit, name="bank_account_edit"),
    path("persons/<int:pk>/categories/new/", views.person_category_add, name="person_category_add"),
    path("bank-accounts/<int:pk>/reveal/", views.bank_account_reveal, name="bank_account_reveal"),
    path("bank-account-changes/", views.bank_account_changes, name="bank_account_changes"),
    path(
        "bank-account-changes/<int:pk>/<str:action>/",
        views.bank_account_change_decide,
        name="bank_account_change_decide",
    ),
]
