from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "upskill.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidy claims, payment and the ledger")

    def ready(self) -> None:
        from upskill.core.navigation import NavItem, register

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
                _("Working-day calendar"),
                "subsidies:calendar",
                perm="subsidies.change_calendarday",
                order=44,
            ),
            NavItem(_("Fund use (public)"), "subsidies:disclosure", order=45),
        )
