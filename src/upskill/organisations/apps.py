from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "upskill.organisations"
    label = "organisations"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from .services import roles_ensure_defaults

        # Permissions exist only after migrate, so the default roles are made (never
        # overwritten: administrators adjust them) once it has run.
        post_migrate.connect(_ensure_roles, dispatch_uid="upskill-default-roles")
        self._roles_ensure_defaults = roles_ensure_defaults

        from upskill.core.navigation import NavItem, register

        register(
            NavItem(
                _("Organisations"),
                "organisations:list",
                perm="organisations.view_organisation",
                order=800,
            ),
            NavItem(
                _("Second factor"),
                "organisations:second_factor_users",
                perm="organisations.manage_users",
                order=805,
            ),
            NavItem(
                _("API tokens"),
                "organisations:api_tokens",
                perm="organisations.manage_api_tokens",
                order=810,
            ),
        )

        # its work queue (core/queues.py), counted with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)


def _ensure_roles(sender, app_config=None, using="default", **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    if app_config is None or app_config.label != "organisations":
        return
    # Reference data made by data migrations comes back after a flush (transactional tests).
    from .models import Region
    from .regions import ensure_regions

    ensure_regions(Region)
    # Roles name permissions of every app: make sure all exist before granting them.
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    apps.get_app_config("organisations")._roles_ensure_defaults()
