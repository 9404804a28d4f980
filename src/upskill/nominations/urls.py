from django.urls import path

from . import views

app_name = "nominations"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/add/", views.call_add, name="call_add"),
    path("members/add/", views.membership_add, name="membership_add"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.application_submit, name="application_submit"),
    path("calls/<int:pk>/batches/add/", views.batch_add, name="batch_add"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/schedule/", views.application_schedule, name="application_schedule"
    ),
    path("applications/<int:pk>/employees/add/", views.nomination_add, name="nomination_add"),
    path(
        "applications/<int:pk>/employees/import/",
        views.nominations_import,
        name="nominations_import",
    ),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("employees/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("employees/<int:pk>/register/", views.nomination_register, name="nomination_register"),
    path("employees/<int:pk>/receipts/add/", views.receipt_add, name="receipt_add"),
    path(
        "employees/<int:pk>/agreements/upload/", views.agreements_upload, name="agreements_upload"
    ),
    path("employees/<int:pk>/agreements.pdf", views.nomination_pdf, name="nomination_pdf"),
    path("employees/<int:pk>/exam/", views.exam_register, name="exam_register"),
    path("employees/<int:pk>/leave/", views.nomination_leave, name="nomination_leave"),
    path("me/<int:pk>/", views.my_nomination, name="my_nomination"),
    path("me/<int:pk>/register/", views.my_register, name="my_register"),
    path("me/<int:pk>/confirm/", views.my_confirm, name="my_confirm"),
    path("me/<int:pk>/agreements.pdf", views.my_pdf, name="my_pdf"),
]
