"""The organisations list page (core.lists): what it filters, sorts and exports."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors
from .models import OrganisationKind


def _organisations(*, actor, query: str = ""):
    qs = selectors.organisation_list(actor=actor)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(short_name__contains=query))
    return qs


ORGANISATIONS = ListDef(
    name="organisations.organisations",
    title=_("Organisations"),
    url_name="organisations:list",
    perm="organisations.view_organisation",
    rows=_organisations,
    search_placeholder=_("Name"),
    per_page=50,
    filters=[
        Filter(
            "kind",
            _("Kind"),
            lambda actor: OrganisationKind.choices,
            lambda qs, value: qs.filter(kind=value),
        ),
    ],
    columns=[
        Column("name", _("Name"), lambda o: o.name, sort="name"),
        Column("kind", _("Kind"), lambda o: o.get_kind_display()),
        Column("region", _("Region"), lambda o: str(o.region)),
        Column("users", _("Users"), lambda o: o.user_count),
    ],
)

register(ORGANISATIONS)
