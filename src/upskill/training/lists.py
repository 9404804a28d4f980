"""Training's list pages (core.lists): what they filter, sort and export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors, services
from .models import ClassStatus


def _classes(*, actor, query: str = ""):
    return selectors.class_list(actor=actor, query=query)


def _organiser(c) -> str:
    return c.organisation.short_name or c.organisation.name


CLASSES = ListDef(
    name="training.classes",
    title=_("Training classes"),
    url_name="training:class_list",
    perm=services.VIEW_CLASS,
    rows=_classes,
    default_sort="-start_date",
    search_placeholder=_("Class name or occupation"),
    filters=[
        Filter(
            "status",
            _("Status"),
            lambda actor: ClassStatus.choices,
            lambda qs, value: qs.filter(status=value),
        )
    ],
    columns=[
        # the indexes (start_date, id) and (name, id): training migration 0005
        Column("name", _("Class"), lambda c: c.name, sort="name"),
        Column("organiser", _("Organiser"), _organiser),
        Column("occupation", _("Occupation"), lambda c: str(c.catalog_entry.occupation)),
        Column("township", _("Township"), lambda c: str(c.township or "")),
        Column(
            "start_date",
            _("Dates"),
            lambda c: f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}",
            sort="start_date",
        ),
        Column("enrolled", _("Enrolled"), lambda c: c.enrolled),
        Column("places", _("Planned places"), lambda c: c.planned_places, shown=False),
        Column("status", _("Status"), lambda c: c.get_status_display()),
    ],
)


def _teachers(*, actor, query: str = ""):
    qs = selectors.teacher_list(actor=actor)
    return qs.filter(name__contains=query) if query else qs


TEACHERS = ListDef(
    name="training.teachers",
    title=_("Teachers"),
    url_name="training:teacher_list",
    perm="training.view_teacher",
    rows=_teachers,
    default_sort="name",
    search_placeholder=_("Name"),
    personal=True,
    columns=[
        Column("name", _("Name"), lambda t: t.name, sort="name"),
        Column("organisation", _("Teaches for"), lambda t: str(t.organisation)),
        Column("phone", _("Phone"), lambda t: t.phone_masked),
        Column(
            "certificate",
            _("Certificate"),
            lambda t: f"{t.certificate_kind} {t.certificate_number}",
        ),
        Column("occupation", _("Occupation and level"), lambda t: str(t.occupation or "")),
    ],
)

register(CLASSES, TEACHERS)
