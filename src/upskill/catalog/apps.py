from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The catalogues a region publishes each year (HB45-CAT-1): occupations and their prices,
    subsidised training projects, designated and evaluation institutions, online platforms."""

    name = "upskill.catalog"
    label = "catalog"
    verbose_name = _("Catalogues")

    def ready(self) -> None:
        # its work queues (core/queues.py): imported here, they count with the app's selectors
        from upskill.core import queues as work_queues

        from .queues import ENTRIES as QUEUE_ENTRIES

        work_queues.register(*QUEUE_ENTRIES)
        from upskill.core.navigation import NavItem, register

        register(NavItem(_("Catalogues"), "catalog:catalog_list", order=600))
