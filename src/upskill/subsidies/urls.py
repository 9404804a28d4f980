from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/assemble/<int:class_pk>/", views.claim_assemble, name="claim_assemble"),
    path(
        "claims/assemble/enterprise/",
        views.claim_assemble_enterprise,
        name="claim_assemble_enterprise",
    ),
    path(
        "claims/assemble/township/",
        views.claim_assemble_township,
        name="claim_assemble_township",
    ),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/documents/", views.claim_document, name="claim_document"),
    path("claims/<int:pk>/roster.<str:fmt>", views.claim_roster, name="claim_roster"),
    path("claims/<int:pk>/<str:action>/", views.claim_action, name="claim_action"),
    path("lines/<int:pk>/decide/", views.line_decide, name="line_decide"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("township-fees/", views.township_fees, name="township_fees"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/export.<str:fmt>", views.batch_export, name="batch_export"),
    path("batches/<int:pk>/bank-file/", views.batch_file, name="batch_file"),
    path("batches/<int:pk>/results/", views.batch_results, name="batch_results"),
    path("payments/<int:pk>/<str:action>/", views.payment_action, name="payment_action"),
    path("payees/<int:org_pk>/account/", views.payee_account, name="payee_account"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("funds/", views.fund_list, name="fund_list"),
    path("fund-rules/", views.fund_rules, name="fund_rules"),
    path("advances/", views.advance_list, name="advance_list"),
    path("advances/apply/<int:class_pk>/", views.advance_apply, name="advance_apply"),
    path("advances/<int:pk>/", views.advance_detail, name="advance_detail"),
    path("advances/<int:pk>/<str:action>/", views.advance_action, name="advance_action"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("settle/", views.settle_start, name="settle"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("disclosure.xlsx", views.disclosure_xlsx, name="disclosure_xlsx"),
]
