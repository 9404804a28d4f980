from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("banks/", views.bank_list, name="bank_list"),
    path("banks/<int:pk>/", views.bank_detail, name="bank_detail"),
    path("banks/<int:pk>/import/", views.bank_import, name="bank_import"),
    path("blueprints/", views.blueprint_list, name="blueprint_list"),
    path("blueprints/<int:pk>/", views.blueprint_detail, name="blueprint_detail"),
    path("blueprints/<int:pk>/activate/", views.blueprint_activate, name="blueprint_activate"),
    path("parts/<int:pk>/remove/", views.part_remove, name="part_remove"),
]
