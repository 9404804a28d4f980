from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/sessions/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/import/", views.session_import, name="session_import"),
    path("sessions/<int:pk>/close/", views.session_close, name="session_close"),
    path("attempts/<int:pk>/score/", views.attempt_score, name="attempt_score"),
    path("attempts/<int:pk>/exempt/", views.attempt_exempt, name="attempt_exempt"),
    path("pass-marks/", views.pass_marks, name="pass_marks"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/new/", views.certificate_record, name="certificate_record"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("archive/<int:pk>/", views.person_archive, name="person_archive"),
    # public, no account (HB61-CRT-1)
    path("verify/", views.verify, name="verify"),
    path("verify/<str:serial>/", views.verify, name="verify_certificate"),
]
