from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """The online path's learning (WH20-PLT-1, WH20-PRG-1, WH20-EXM-1, HB61-PRJ-1, HB61-ONL-1):
    platforms' courses and lessons, watched time, weekly progress, question banks, online exams."""

    name = "upskill.learning"
    label = "learning"
    verbose_name = _("Online learning")

    def ready(self) -> None:
        from upskill.core import hooks
        from upskill.core import queues as work_queues
        from upskill.core.navigation import NavItem, register
        from upskill.core.uploads import purpose_register

        from .queues import ENTRIES
        from .selectors import portal_sections

        hooks.register(hooks.LEARNER_PORTAL_SECTIONS, portal_sections)
        # lesson videos go through core's resumable upload (core/uploads.py)
        purpose_register(
            "learning.lesson",
            perm="learning.change_course",
            finish="learning:lesson_upload_finish",
        )
        register(
            NavItem(
                _("Online courses"),
                "learning:course_list",
                perm="learning.view_course",
                kinds=frozenset({"platform"}),
                order=35,
                area="training",
            ),
            NavItem(
                _("Weekly learning progress"),
                "learning:weekly",
                perm="learning.view_weeklyprogress",
                # the Wuhan path's week (WH20-PRG-1) is followed by HR, the association and the
                # city bureau (LEARNING_GRANTS); a county administrator's menu stays short
                kinds=frozenset({"enterprise", "association", "city_hr"}),
                order=36,
                area="training",
            ),
        )
        work_queues.register(*ENTRIES)
