from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """Exam sessions, attempts and pass marks (GA23-CRT-1, WH20-EXM-1, HB61-ONL-1), certificates
    and their public verification (HB61-CRT-1), and the worker's archive (HB45-QA-1)."""

    name = "upskill.assessment"
    label = "assessment"
    verbose_name = _("Assessment and certificates")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        from upskill.core import hooks
        from upskill.core.navigation import NavItem, register

        from .selectors import archive_sections

        hooks.register(hooks.PERSON_ARCHIVE_SECTIONS, archive_sections)
        from .selectors import class_links

        hooks.register(hooks.CLASS_LINKS, class_links)
        from .selectors import portal_sections

        hooks.register(hooks.LEARNER_PORTAL_SECTIONS, portal_sections)
        register(
            NavItem(
                _("Assessment"),
                "assessment:class_list",
                perm="assessment.view_examsession",
                order=40,
            ),
            NavItem(
                _("Certificates"),
                "assessment:certificate_list",
                perm="assessment.view_certificate",
                order=41,
            ),
            NavItem(
                _("Pass marks"),
                "assessment:pass_marks",
                perm="assessment.change_passmark",
                order=42,
            ),
        )
