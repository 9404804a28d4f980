from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The catalogues a region publishes each year (HB45-CAT-1): occupations and their prices,
    subsidised training projects, designated and evaluation institutions, online platforms."""

    name = "upskill.catalog"
    label = "catalog"
    verbose_name = _("Catalogues")

    def ready(self) -> None:
        from upskill.core.navigation import NavItem, register

        register(NavItem(_("Catalogues"), "catalog:catalog_list", order=600))
