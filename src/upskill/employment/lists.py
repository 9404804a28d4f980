"""Employment's list pages (core.lists): what they filter, sort and export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors, services
from .models import ReferralStatus


def _queue(*, actor, query: str = ""):
    return selectors.queue(actor=actor, query=query)


QUEUE = ListDef(
    name="employment.queue",
    title=_("Employment queue"),
    url_name="employment:queue",
    perm=services.VIEW_REFERRAL,
    rows=_queue,
    search_placeholder=_("Name, job type or occupation"),
    personal=True,
    filters=[
        Filter(
            "status",
            _("Status"),
            lambda actor: ReferralStatus.choices,
            lambda qs, value: qs.filter(status=value),
        ),
    ],
    columns=[
        Column("name", _("Name"), lambda r: r.person.name),
        Column("id_number", _("ID number"), lambda r: r.person.id_number_masked),
        Column(
            "certificate",
            _("Certificate"),
            lambda r: f"{r.certificate.title} · {r.certificate.occupation_name}",
        ),
        Column("wish", _("Wished job type"), lambda r: r.wished_job_type),
        # the primary key follows the referral's date
        Column("id", _("Referred"), lambda r: r.created_at.date(), sort="id"),
        Column("status", _("Status"), lambda r: r.get_status_display()),
        Column("outcome", _("Outcome"), lambda r: r.get_outcome_display()),
    ],
)


def _open(actor):
    return [("1", _("Open")), ("0", _("Closed"))]


VACANCIES = ListDef(
    name="employment.vacancies",
    title=_("Vacancies"),
    url_name="employment:vacancies",
    perm=services.VIEW_VACANCY,
    rows=selectors.vacancy_list,
    search_placeholder=_("Employer, job or job type"),
    filters=[
        Filter("open", _("Open"), _open, lambda qs, value: qs.filter(is_open=value == "1")),
    ],
    columns=[
        Column("employer", _("Employer"), lambda v: v.employer),
        Column("title", _("Job"), lambda v: v.title),
        Column("job_type", _("Job type"), lambda v: v.job_type),
        Column("township", _("Township"), lambda v: str(v.township or "")),
        Column(
            "wage", _("Monthly wage (yuan)"), lambda v: f"{v.wage_min or ''}–{v.wage_max or ''}"
        ),
        Column("places", _("Places"), lambda v: v.places),
        Column("contact", _("Contact"), lambda v: v.contact),
        Column("open", _("Open"), lambda v: v.is_open),
    ],
)

register(QUEUE, VACANCIES)
