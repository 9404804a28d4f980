from django.urls import path

from . import history_view, views

app_name = "core"

urlpatterns = [
    path("history/<str:model_label>/<int:pk>/", history_view.object_history, name="history"),
    path("queue/badges/", views.queue_badges, name="queue_badges"),
    path("access-log/", views.access_log, name="access_log"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("lists/<str:name>/export/", views.list_export, name="list_export"),
    path("uploads/<uuid:pk>/", views.upload, name="upload"),
]
