from django.urls import path

from . import views

app_name = "policy_admin"

urlpatterns = [
    path("", views.parameters, name="parameters"),
    path("try/", views.try_record, name="try"),
    path("versions/new/", views.version_add, name="version_add"),
    path("versions/<int:pk>/withdraw/", views.version_withdraw, name="version_withdraw"),
]
