from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("upward/", views.upward_reports, name="upward_reports"),
    path("upward/<int:pk>/<str:fmt>/", views.upward_download, name="upward_download"),
    path("institutions/", views.institution_evaluation, name="institution_evaluation"),
    path(
        "institutions.xlsx",
        views.institution_evaluation_export,
        name="institution_evaluation_export",
    ),
    path("statistics.xlsx", views.statistics_export, name="statistics_export"),
]
