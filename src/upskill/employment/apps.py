from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    """Employment services (GA23-EMP-1): certified trainees pushed to the county HR service
    centre's queue, their wishes, vacancies, recommendations, follow-ups and the employment
    conversion rate."""

    name = "upskill.employment"
    label = "employment"
    verbose_name = _("Employment services")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        from upskill.core import hooks
        from upskill.core.navigation import NavItem, register

        from .selectors import archive_sections, phone_callers
        from .services import referral_push_on_certificate

        # assessment announces each valid certificate; employment answers (GA23-EMP-1)
        hooks.register(hooks.CERTIFICATE_ISSUED, referral_push_on_certificate)
        hooks.register(hooks.PERSON_ARCHIVE_SECTIONS, archive_sections)
        # the counsellor calls the persons of its queue (their phone revealed, logged)
        hooks.register(hooks.PERSON_PHONE_CALLERS, phone_callers)
        register(
            NavItem(
                _("Employment queue"), "employment:queue", perm="employment.view_referral", order=50
            ),
            NavItem(
                _("Vacancies"), "employment:vacancies", perm="employment.view_vacancy", order=51
            ),
            NavItem(
                _("Employment conversion"),
                "employment:rates",
                perm="employment.view_referral",
                order=52,
            ),
        )
