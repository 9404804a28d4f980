"""The learner's exam pages, under /me/exams/ (registry.middleware keeps learners to /me/)."""

from django.urls import path

from . import views

app_name = "exams_me"

urlpatterns = [
    path("<int:pk>/", views.my_exam, name="exam"),
    path("<int:pk>/start", views.my_start, name="start"),
    path("attempts/<int:pk>/", views.my_attempt, name="attempt"),
    path("attempts/<int:pk>/save", views.my_save, name="save"),
    path("attempts/<int:pk>/submit", views.my_submit, name="submit"),
    path("attempts/<int:pk>/result", views.my_result, name="result"),
]
