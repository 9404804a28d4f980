from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "upskill.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the audit-trail signal)
        from .navigation import NavItem, register

        register(
            NavItem(_("Home"), "home", order=0),
            NavItem(_("Access log"), "core:access_log", perm="core.view_accesslog", order=900),
            NavItem(_("Administration"), "admin:index", staff_only=True, order=990),
        )
