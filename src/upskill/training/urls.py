from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/lessons/", views.lesson_add, name="lesson_add"),
    path("classes/<int:pk>/lessons/pattern/", views.lessons_pattern, name="lessons_pattern"),
    path("classes/<int:pk>/lessons/paste/", views.lessons_paste, name="lessons_paste"),
    path("classes/<int:pk>/lessons/import/", views.lessons_import, name="lessons_import"),
    path("classes/<int:pk>/lessons/copy/", views.lessons_copy, name="lessons_copy"),
    path("classes/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("enrol/", views.enrol_found, name="enrol_found"),
    path("classes/<int:pk>/roster/import/", views.roster_import, name="roster_import"),
    path("classes/<int:pk>/roster.xlsx", views.roster_export, name="roster_export"),
    path("classes/<int:pk>/first-lesson/", views.first_lesson, name="first_lesson"),
    path("classes/<int:pk>/leave/", views.leave_add, name="leave_add"),
    path("classes/<int:pk>/survey-link/", views.survey_link, name="survey_link"),
    path("classes/<int:pk>/<slug:action>/", views.class_transition, name="class_transition"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("lessons/<int:pk>/remove/", views.lesson_remove, name="lesson_remove"),
    path("lessons/<int:pk>/attendance/", views.lesson_attendance, name="lesson_attendance"),
    path("lessons/<int:pk>/qr/", views.lesson_qr, name="lesson_qr"),
    path("leave/<int:pk>/decide/", views.leave_decide, name="leave_decide"),
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("teachers/new/", views.teacher_create, name="teacher_create"),
    # public, no account (GA23-PUB-1, GA23-SYS-1)
    path("notices/", views.notices, name="notices"),
    path("c/<str:token>/", views.checkin, name="checkin"),
    path("s/<str:token>/", views.survey, name="survey"),
]
