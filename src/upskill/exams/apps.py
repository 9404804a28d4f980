from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    """The online theory exam (WH20-EXM-1, HB61-ONL-1): platforms' question banks and exam
    blueprints, learners' attempts graded on the server, the passing result as the theory part
    of the assessment."""

    name = "upskill.exams"
    label = "exams"
    verbose_name = _("Online exams")

    def ready(self) -> None:
        from upskill.core import hooks, queues
        from upskill.core.navigation import NavItem, register

        from . import queues as exam_queues
        from .selectors import online_theory_result, portal_sections

        hooks.register(hooks.LEARNER_PORTAL_SECTIONS, portal_sections)
        hooks.register(hooks.ONLINE_THEORY_RESULT, online_theory_result)
        queues.register(*exam_queues.ENTRIES)
        for label, url_name, order in (
            (_("Question banks"), "exams:bank_list", 36),
            (_("Online exams"), "exams:blueprint_list", 37),
        ):
            register(
                NavItem(
                    label,
                    url_name,
                    perm="exams.view_questionbank",
                    kinds=frozenset({"platform"}),
                    order=order,
                    area="training",
                )
            )
