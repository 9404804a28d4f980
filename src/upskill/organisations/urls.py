from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/users/new/", views.user_create, name="user_create"),
    path("<int:pk>/insurance/", views.enterprise_insurance, name="insurance"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("second-factor/", views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("users/second-factor/", views.second_factor_users, name="second_factor_users"),
    path(
        "users/<int:pk>/second-factor/reset/",
        views.second_factor_reset,
        name="second_factor_reset",
    ),
]
