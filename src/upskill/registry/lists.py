"""The registry's list pages (core.lists): what they filter, sort and export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors
from .models import Hukou, Sex

PERSONS = ListDef(
    name="registry.persons",
    title=_("Persons"),
    url_name="registry:person_list",
    perm="registry.view_person",
    rows=selectors.person_list,
    default_sort="name",
    search_placeholder=_("Name, full ID number or its last 4 characters"),
    personal=True,  # masked, but a list of named persons: every export is in the access log
    filters=[
        Filter(
            "township",
            _("Township"),
            lambda actor: selectors.township_choices(actor=actor),
            lambda qs, value: qs.filter(township_id=value),
        ),
        Filter(
            "hukou",
            _("Household registration"),
            lambda actor: Hukou.choices,
            lambda qs, value: qs.filter(hukou=value),
        ),
        Filter("sex", _("Sex"), lambda actor: Sex.choices, lambda qs, value: qs.filter(sex=value)),
    ],
    columns=[
        # sorted on the indexes (county, name, id) and (township, name, id): migration 0014
        Column("name", _("Name"), lambda p: p.name, sort="name"),
        Column("id_number", _("ID number"), lambda p: p.id_number_masked),
        Column("sex", _("Sex"), lambda p: p.get_sex_display()),
        Column("birth_date", _("Birth date"), lambda p: p.birth_date, sort="birth_date"),
        Column("phone", _("Phone"), lambda p: p.phone_masked, shown=False),
        Column("county", _("County"), lambda p: p.county.name, shown=False),
        Column("township", _("Township"), lambda p: p.township.name if p.township else ""),
        Column("hukou", _("Household registration"), lambda p: p.get_hukou_display()),
        Column(
            "insured_months",
            _("Unemployment-insurance months"),
            lambda p: p.insured_months,
            shown=False,
        ),
    ],
)

register(PERSONS)
