from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/publish/", views.course_publish, name="course_publish"),
    path("lessons/<int:pk>/file", views.lesson_file, name="lesson_file"),
    # a lesson's video through core's resumable upload (core/uploads.py)
    path("courses/<int:pk>/lesson-uploads/", views.lesson_upload_start, name="lesson_upload_start"),
    path("uploads/<uuid:pk>/finish/", views.lesson_upload_finish, name="lesson_upload_finish"),
    path("weekly/", views.weekly, name="weekly"),
    path("weekly/run/", views.weekly_run, name="weekly_run"),
    path("weekly/export/", views.weekly_export, name="weekly_export"),
]
