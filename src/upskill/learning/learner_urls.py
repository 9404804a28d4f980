"""The learner's study pages, under /me/learning/ (registry.middleware keeps learners to /me/)."""

from django.urls import path

from . import views

app_name = "learning_me"

urlpatterns = [
    path("courses/<int:pk>/", views.my_course, name="course"),
    path("lessons/<int:pk>/", views.my_lesson, name="lesson"),
    path("lessons/<int:pk>/file", views.my_lesson_file, name="lesson_file"),
    path("lessons/<int:pk>/start", views.my_start, name="start"),
    path("lessons/<int:pk>/heartbeat", views.my_heartbeat, name="heartbeat"),
    path("lessons/<int:pk>/presence", views.my_presence, name="presence"),
]
