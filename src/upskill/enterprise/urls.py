from django.urls import path

from . import views

app_name = "enterprise"

urlpatterns = [
    path("", views.index, name="index"),
    path("contracts/add/", views.contract_add, name="contract_add"),
    path("contracts/import/", views.contracts_import, name="contracts_import"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("records/add/", views.record_add, name="record_add"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
]
