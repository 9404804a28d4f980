from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    """The Wuhan enrolment path (WH20-ENR-1/2, WH20-OBJ-1, WH20-FEE-1, WH20-LVE-1): an
    association's calls, member enterprises' applications, employees put forward, their fees,
    agreements and leaving."""

    name = "upskill.nominations"
    label = "nominations"
    verbose_name = _("Association enrolment")
