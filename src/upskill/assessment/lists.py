"""Assessment's list pages (core.lists): what they filter, sort and export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors, services
from .models import CertificateKind, Verification

EXAM_CLASSES = ListDef(
    name="assessment.classes",
    title=_("Assessment"),
    url_name="assessment:class_list",
    perm=services.VIEW_SESSION,
    rows=selectors.exam_classes,
    default_sort="-start_date",
    search_placeholder=_("Class name or occupation"),
    columns=[
        # the training classes' indexes (start_date, id) and (name, id)
        Column("name", _("Class"), lambda c: c.name, sort="name"),
        Column(
            "organiser", _("Organiser"), lambda c: c.organisation.short_name or c.organisation.name
        ),
        Column("occupation", _("Occupation"), lambda c: str(c.catalog_entry.occupation)),
        Column(
            "start_date",
            _("Dates"),
            lambda c: f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}",
            sort="start_date",
        ),
        Column("status", _("Status"), lambda c: c.get_status_display()),
        Column("sessions", _("Exam sessions"), lambda c: c.sessions),
        Column("passed", _("Passed"), lambda c: f"{c.passed} / {c.enrolled}"),
    ],
)


def _certificates(*, actor, query: str = ""):
    return selectors.certificate_list(actor=actor, query=query)


CERTIFICATES = ListDef(
    name="assessment.certificates",
    title=_("Certificates"),
    url_name="assessment:certificate_list",
    perm=services.VIEW_CERTIFICATE,
    rows=_certificates,
    default_sort="-issue_date",
    search_placeholder=_("Name, number or occupation"),
    personal=True,
    filters=[
        Filter(
            "kind",
            _("Kind"),
            lambda actor: CertificateKind.choices,
            lambda qs, value: qs.filter(kind=value),
        ),
        Filter(
            "verification",
            _("Verification"),
            lambda actor: Verification.choices,
            lambda qs, value: qs.filter(verification=value),
        ),
    ],
    columns=[
        Column("serial", _("Number"), lambda c: c.serial),
        Column("title", _("Certificate"), lambda c: c.title),
        Column("name", _("Name"), lambda c: c.holder_name),
        Column("id_number", _("ID number"), lambda c: c.id_number_masked),
        Column(
            "occupation",
            _("Occupation"),
            lambda c: f"{c.occupation_name} ({c.level})" if c.level else c.occupation_name,
        ),
        # index (issue_date, id): assessment migration
        Column("issue_date", _("Issue date"), lambda c: c.issue_date, sort="issue_date"),
        Column("verification", _("Verification"), lambda c: c.get_verification_display()),
    ],
)

register(EXAM_CLASSES, CERTIFICATES)
