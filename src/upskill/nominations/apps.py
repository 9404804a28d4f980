from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    """The Wuhan enrolment path (WH20-ENR-1/2, WH20-OBJ-1, WH20-FEE-1, WH20-LVE-1): an
    association's calls, member enterprises' applications, employees put forward, their fees,
    agreements and leaving."""

    name = "upskill.nominations"
    label = "nominations"
    verbose_name = _("Association enrolment")

    def ready(self) -> None:
        from upskill.core import hooks
        from upskill.core import queues as work_queues
        from upskill.core.navigation import NavItem, register

        from .portal import portal_section
        from .queues import ENTRIES

        work_queues.register(*ENTRIES)
        hooks.register(hooks.LEARNER_PORTAL_SECTIONS, portal_section)
        register(
            NavItem(
                _("Association enrolment"),
                "nominations:index",
                perm="nominations.view_call",
                order=46,
            ),
        )
