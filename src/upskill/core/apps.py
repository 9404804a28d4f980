from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "upskill.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import history  # noqa: F401  (connects the audit-trail signal)
        from .navigation import NavItem, register
        from .queues import QueueEntry, access_log_recent
        from .queues import register as register_queue

        register(
            NavItem(_("Home"), "home", order=0),
            NavItem(_("Access log"), "core:access_log", perm="core.view_accesslog", order=900),
            NavItem(_("Administration"), "admin:index", staff_only=True, order=990),
        )
        register_queue(
            QueueEntry(
                "core.access_log_recent",
                _("Reveals and exports of the last 7 days"),
                "core:access_log",
                access_log_recent,
                perm="core.view_accesslog",
                order=90,
            )
        )
        # every app's list pages (core.lists), which the export jobs find by name
        autodiscover_modules("lists")
