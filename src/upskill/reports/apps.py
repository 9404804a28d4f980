from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Targets and their split (GA23-TGT-1, HB45-TGT-1), progress dashboards, evaluations
    (GA23-EVAL-1) and reports upward (HB45-RPT-1)."""

    name = "upskill.reports"
    label = "reports"
    verbose_name = _("Targets and reports")
