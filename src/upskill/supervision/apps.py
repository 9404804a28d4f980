from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Inspections (GA23-INS-1, GA23-EXM-1), photos and videos (GA23-PHO-1, GA23-VID-1), the
    compliance checklist, fraud signals, spot checks and sanctions (GA23-SPT-1, HB45-BLK-1)."""

    name = "upskill.supervision"
    label = "supervision"
    verbose_name = _("Supervision and evidence")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        from upskill.core import hooks
        from upskill.core.navigation import NavItem, register
        from upskill.core.uploads import purpose_register

        from .selectors import blocked_problems, class_links

        # A blacklisted institution files no class plans (HB45-BLK-1): training asks the check
        # "organiser.refusals" (organisation=…, on=…) before a plan is filed or submitted.
        hooks.register_check(hooks.ORGANISER_REFUSALS, blocked_problems)
        hooks.register(hooks.CLASS_LINKS, class_links)
        # evidence photos and videos go through core's resumable upload (core/uploads.py)
        purpose_register(
            "supervision.evidence",
            perm="supervision.upload_evidence",
            finish="supervision:upload_finish",
        )

        register(
            NavItem(
                _("Supervision"),
                "supervision:class_list",
                perm="supervision.view_evidence",
                order=29,
            ),
            NavItem(
                _("Fraud signals"),
                "supervision:signal_list",
                perm="supervision.review_signal",
                order=30,
            ),
            NavItem(
                _("Spot checks"),
                "supervision:spot_check_list",
                perm="supervision.record_spotcheck",
                order=31,
            ),
        )
