from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Targets and their split (GA23-TGT-1, HB45-TGT-1), progress dashboards, evaluations
    (GA23-EVAL-1) and reports upward (HB45-RPT-1)."""

    name = "upskill.reports"
    label = "reports"
    verbose_name = _("Targets and reports")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import hooks
        from upskill.core import queues as work_queues
        from upskill.core.navigation import TRAINING, NavItem, register

        from .permissions import VIEW_DASHBOARD, VIEW_TARGET, VIEW_UPWARD
        from .queues import ENTRIES as QUEUE_ENTRIES
        from .services import summary_on_certificate, summary_refresh

        work_queues.register(*QUEUE_ENTRIES)
        # the progress summary, recounted in the transaction of whatever changed its facts
        hooks.register(hooks.CLASS_FIGURES_CHANGED, summary_refresh)
        hooks.register(hooks.CERTIFICATE_ISSUED, summary_on_certificate)
        register(
            NavItem(
                _("Training progress"),
                "reports:dashboard",
                perm=VIEW_DASHBOARD,
                order=60,
                area=TRAINING,
            ),
            NavItem(_("Targets"), "reports:targets", perm=VIEW_TARGET, order=61, area=TRAINING),
            NavItem(
                _("Reports upward"),
                "reports:upward_reports",
                perm=VIEW_UPWARD,
                order=62,
                area=TRAINING,
            ),
        )
