from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from upskill.core import hooks
from upskill.core.navigation import NavItem, register


def _seed_calendar(sender, app_config=None, **kwargs) -> None:
    """The official holidays and make-up working days (chinese-calendar) of last year, this
    year and next, when the calendar holds none of them; the bureau edits them afterwards."""
    if app_config is None or app_config.label != "subsidies":
        return
    # apps.py is imported before the app registry is ready: the app's models, and what imports
    # them, are imported when the signal fires.
    from upskill.core.scoping import SYSTEM

    from .models import CalendarDay
    from .services import calendar_seed

    year = timezone.localdate().year
    if not CalendarDay.objects.filter(date__year__in=[year - 1, year, year + 1]).exists():
        calendar_seed(actor=SYSTEM, years=[year - 1, year, year + 1])


class SubsidiesConfig(AppConfig):
    name = "upskill.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidy claims, payment and the ledger")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        post_migrate.connect(_seed_calendar, dispatch_uid="upskill-subsidies-calendar")
        # the app's selectors and other apps' models need the app registry: imported here
        from upskill.organisations.models import OrganisationKind as K

        from .selectors import class_links, person_has_unpaid_money, person_subsidy_paid

        hooks.register(hooks.CLASS_LINKS, class_links)
        hooks.register(hooks.PERSON_UNPAID_MONEY, person_has_unpaid_money)
        from .selectors.portal import portal_sections

        hooks.register(hooks.LEARNER_PORTAL_SECTIONS, portal_sections)
        hooks.register(hooks.PERSON_SUBSIDY_PAID, person_subsidy_paid)

        register(
            NavItem(
                _("Subsidy claims"), "subsidies:claim_list", perm="subsidies.view_claim", order=40
            ),
            NavItem(
                _("Payment batches"),
                "subsidies:batch_list",
                perm="subsidies.view_paymentbatch",
                order=41,
            ),
            NavItem(
                _("Fund ledger"), "subsidies:ledger", perm="subsidies.view_ledgerentry", order=42
            ),
            NavItem(_("Funds"), "subsidies:fund_list", perm="subsidies.view_fund", order=43),
            NavItem(
                _("Advance payments"),
                "subsidies:advance_list",
                perm="subsidies.view_claim",
                kinds=frozenset(
                    {K.INSTITUTION, K.ENTERPRISE, K.CITY_HR, K.COUNTY_HR, K.PROVINCE_HR}
                ),
                order=47,
            ),
            NavItem(
                _("Fund rules"), "subsidies:fund_rules", perm="subsidies.change_fund", order=48
            ),
            NavItem(
                _("Working-day calendar"),
                "subsidies:calendar",
                perm="subsidies.change_calendarday",
                order=44,
            ),
            NavItem(_("Fund use (public)"), "subsidies:disclosure", order=45),
            NavItem(
                _("Township management fees"),
                "subsidies:township_fees",
                perm="subsidies.view_claimitem",
                kinds=frozenset({K.TOWNSHIP_CENTRE}),
                order=46,
            ),
        )
