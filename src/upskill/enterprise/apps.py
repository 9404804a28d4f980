from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseConfig(AppConfig):
    """What an enterprise holds about its employees for its subsidy claims: labour contracts
    (HB61-PJ-1, WH20-OBJ-1), competition entries (HB61-CMP-1/2), apprenticeship years
    (HB45-APP-1), new technician titles (HB45-TEC-1) and work-for-training months
    (HB61-WFT-1)."""

    name = "upskill.enterprise"
    label = "enterprise"
    verbose_name = _("Enterprise records")

    def ready(self) -> None:
        from upskill.core.navigation import NavItem, register

        register(
            NavItem(
                _("Employees' contracts and records"),
                "enterprise:index",
                perm="enterprise.view_employmentcontract",
                order=45,
            ),
        )
