from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_list, name="catalog_list"),
    path("new/", views.catalog_create, name="catalog_create"),
    path("<int:pk>/", views.catalog_detail, name="catalog_detail"),
    path("<int:pk>/export.xlsx", views.catalog_export, name="catalog_export"),
    path("<int:pk>/publish/", views.catalog_publish, name="catalog_publish"),
    path("<int:pk>/new-version/", views.catalog_new_version, name="catalog_new_version"),
    path("<int:pk>/occupations/new/", views.occupation_add, name="occupation_add"),
    path("<int:pk>/occupations/import/", views.occupation_import, name="occupation_import"),
    path("<int:pk>/entries/new/", views.entry_add, name="entry_add"),
    path("<int:pk>/platforms/new/", views.platform_add, name="platform_add"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/toggle/", views.entry_toggle, name="entry_toggle"),
    path("platforms/<int:pk>/permits/", views.platform_permits, name="platform_permits"),
]
