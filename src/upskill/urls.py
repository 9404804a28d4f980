from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from upskill.api import api
from upskill.core import views as core_views
from upskill.registry import views as registry_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # the learner's own pages (a registry person's account): activation, log-in, the portal
    path("me/", registry_views.learner_portal, name="learner_portal"),
    path("me/login/", registry_views.learner_login, name="learner_login"),
    path("me/activate/<str:token>/", registry_views.learner_activate, name="learner_activate"),
    path("me/learning/", include("upskill.learning.learner_urls")),
    path("me/exams/", include("upskill.exams.learner_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("upskill.core.urls")),
    path("organisations/", include("upskill.organisations.urls")),
    path("registry/", include("upskill.registry.urls")),
    path("policy/", include("upskill.policy_admin.urls")),
    path("catalog/", include("upskill.catalog.urls")),
    path("training/", include("upskill.training.urls")),
    path("supervision/", include("upskill.supervision.urls")),
    path("assessment/", include("upskill.assessment.urls")),
    path("employment/", include("upskill.employment.urls")),
    path("enterprise/", include("upskill.enterprise.urls")),
    path("subsidies/", include("upskill.subsidies.urls")),
    path("learning/", include("upskill.learning.urls")),
    path("exams/", include("upskill.exams.urls")),
    path("nominations/", include("upskill.nominations.urls")),
    path("reports/", include("upskill.reports.urls")),
]

# The product's error pages (core/views.py), never Django's own.
handler403 = "upskill.core.views.permission_denied"
handler404 = "upskill.core.views.page_not_found"
handler500 = "upskill.core.views.server_error"
