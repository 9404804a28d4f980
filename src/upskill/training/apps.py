from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training projects and classes (HB61-PRJ-1), teachers, enrolment, attendance (GA23-SYS-1,
    GA23-DAY-1), class records and public enrolment notices (GA23-PUB-1)."""

    name = "upskill.training"
    label = "training"
    verbose_name = _("Training classes")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        from upskill.core import hooks
        from upskill.core.navigation import NavItem, register

        from .selectors import person_is_trainee_of, phone_callers
        from .views import enrol_offer

        hooks.register(hooks.PERSON_ENROL_OFFER, enrol_offer)
        hooks.register(hooks.PERSON_TRAINEE_OF, person_is_trainee_of)
        hooks.register(hooks.PERSON_PHONE_CALLERS, phone_callers)
        from .selectors import portal_sections

        hooks.register(hooks.LEARNER_PORTAL_SECTIONS, portal_sections)

        register(
            NavItem(
                _("Classes"), "training:class_list", perm="training.view_trainingclass", order=20
            ),
            NavItem(_("Teachers"), "training:teacher_list", perm="training.view_teacher", order=21),
            NavItem(_("Enrolment notices"), "training:notices", order=22),
        )
