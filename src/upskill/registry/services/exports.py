"""The registry's audited export: the persons in scope, ID numbers masked, the export written to
the access log (who exported how many rows, from where)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, require_perm
from upskill.core.services import AccessAction, access_log_record

from ..selectors import person_list


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[list[Any]]


def persons_export(*, actor: Actor, query: str = "", remote_addr: str | None = None) -> Sheet:
    """The persons the actor sees (``query`` as on the list page), masked; logged."""
    require_perm(actor, "registry.view_person")
    persons = person_list(actor=actor, query=query)
    header = [
        _("Name"),
        _("ID number"),
        _("Sex"),
        _("Birth date"),
        _("Phone"),
        _("County"),
        _("Township"),
        _("Household registration"),
        _("Unemployment-insurance months"),
    ]
    rows = [
        [
            p.name,
            p.id_number_masked,
            p.get_sex_display(),
            p.birth_date,
            p.phone_masked,
            p.county.name,
            p.township.name if p.township else "",
            p.get_hukou_display(),
            p.insured_months,
        ]
        for p in persons.iterator(chunk_size=2000)
    ]
    access_log_record(
        actor=actor,
        action=AccessAction.EXPORT,
        description=_("Registry export (masked)"),
        row_count=len(rows),
        remote_addr=remote_addr,
    )
    return Sheet(header=header, rows=rows)
