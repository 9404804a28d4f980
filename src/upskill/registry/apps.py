from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "upskill.registry"
    label = "registry"
    verbose_name = _("Real-name registry")

    def ready(self) -> None:
        from upskill.core.navigation import NavItem, register
        from upskill.organisations.models import OrganisationKind as K

        register(
            NavItem(_("Persons"), "registry:person_list", perm="registry.view_person", order=10),
            NavItem(
                _("Find by ID number"),
                "registry:person_lookup",
                perm="registry.view_person",
                kinds=frozenset({K.INSTITUTION, K.ENTERPRISE, K.HR_SERVICE_CENTRE}),
                order=11,
            ),
        )
