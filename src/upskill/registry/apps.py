from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from upskill.core.navigation import NavItem, register

from .categories import ensure_categories


def _ensure_categories(sender, app_config=None, **kwargs) -> None:
    """The shipped categories come back after a flush (transactional tests), as roles do."""
    if app_config is None or app_config.label != "registry":
        return
    # Inside the function: an app's models are not importable while apps.py itself loads.
    from .models import Category, VocabularyTerm
    from .vocabulary import seed_terms

    ensure_categories(Category)
    seed_terms(VocabularyTerm)


class RegistryConfig(AppConfig):
    name = "upskill.registry"
    label = "registry"
    verbose_name = _("Real-name registry")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        post_migrate.connect(_ensure_categories, dispatch_uid="upskill-default-categories")
        # Inside ready(): these import models, which are not importable while apps.py loads.
        from upskill.organisations.models import OrganisationKind as K

        from . import vocabulary  # noqa: F401  (its cache is cleared when a wording is saved)

        register(
            NavItem(_("Persons"), "registry:person_list", perm="registry.view_person", order=10),
            NavItem(
                _("Find by ID number"),
                "registry:person_lookup",
                perm="registry.view_person",
                kinds=frozenset({K.INSTITUTION, K.ENTERPRISE, K.HR_SERVICE_CENTRE}),
                order=11,
            ),
            NavItem(
                _("Import a roster"),
                "registry:roster_import",
                perm="registry.add_personcategory",
                kinds=frozenset({K.RURAL_REVITALISATION, K.TOWNSHIP_CENTRE, K.COUNTY_HR}),
                order=12,
            ),
            NavItem(
                _("Learner accounts"),
                "registry:learner_links",
                perm="registry.change_person",
                kinds=frozenset({K.INSTITUTION, K.ENTERPRISE}),
                order=14,
            ),
            NavItem(
                _("Bank account changes"),
                "registry:bank_account_changes",
                perm="registry.view_bankaccountchangerequest",
                order=13,
            ),
        )
