"""The enterprise's list page (core.lists): its labour contracts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, ListDef, register

from . import selectors


def _contracts(*, actor, query: str = ""):
    qs = selectors.contracts(actor=actor)
    return qs.filter(person__name__contains=query) if query else qs


CONTRACTS = ListDef(
    name="enterprise.contracts",
    title=_("Labour contracts"),
    url_name="enterprise:index",
    perm="enterprise.view_employmentcontract",
    rows=_contracts,
    default_sort="-signed",
    search_placeholder=_("Employee"),
    personal=True,
    columns=[
        Column("employee", _("Employee"), lambda c: c.person.name),
        Column("id_number", _("ID number"), lambda c: c.person.id_number_masked),
        Column("enterprise", _("Enterprise"), lambda c: c.enterprise.name),
        # index (signed, id): enterprise migration
        Column("signed", _("Signed on"), lambda c: c.signed, sort="signed"),
        Column("years", _("Years"), lambda c: c.years),
        Column("employed", _("Still employed"), lambda c: c.still_employed),
        Column("insured", _("Consecutive insured months"), lambda c: c.consecutive_insured_months),
        Column(
            "unemployment",
            _("Unemployment insurance months"),
            lambda c: c.unemployment_insured_months,
        ),
    ],
)

register(CONTRACTS)
