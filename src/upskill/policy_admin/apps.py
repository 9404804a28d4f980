from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from upskill.core.navigation import NavItem, register


class PolicyAdminConfig(AppConfig):
    """The Django side of the policy engine: parameter versions added in the web UI, the
    calculator's pages and its HTTP door. The engine itself (`upskill.policy`) imports nothing
    of Django."""

    name = "upskill.policy_admin"
    label = "policy_admin"
    verbose_name = _("Policy parameters")

    def ready(self) -> None:
        register(
            NavItem(_("Policy"), "policy_admin:parameters", order=700),
        )
