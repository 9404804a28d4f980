"""Supervision's list pages (core.lists): what they filter, sort and export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors, services
from .models import SignalKind, SignalStatus


def _dates(c) -> str:
    return f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}"


CLASSES = ListDef(
    name="supervision.classes",
    title=_("Supervision and evidence"),
    url_name="supervision:class_list",
    perm=services.VIEW_EVIDENCE,
    rows=selectors.classes,
    default_sort="-start_date",
    search_placeholder=_("Class or organiser"),
    columns=[
        # the training classes' indexes (start_date, id) and (name, id)
        Column("name", _("Class"), lambda c: c.name, sort="name"),
        Column("organiser", _("Organiser"), lambda c: str(c.organisation)),
        Column("start_date", _("Dates"), _dates, sort="start_date"),
        Column("status", _("Status"), lambda c: c.get_status_display()),
        Column("inspections", _("Inspections"), lambda c: c.inspections_done),
        Column("evidence", _("Photos and videos"), lambda c: c.evidence_count),
    ],
)


def _signals(*, actor, query: str = ""):
    qs = selectors.signals(actor=actor)
    return qs.filter(training_class__name__contains=query) if query else qs


def _other(s) -> str:
    return f"{s.other_class} · {s.other_class.organisation}" if s.other_class else ""


SIGNALS = ListDef(
    name="supervision.signals",
    title=_("Fraud signals"),
    url_name="supervision:signal_list",
    perm=services.REVIEW_SIGNAL,
    rows=_signals,
    default_sort="-id",
    search_placeholder=_("Class"),
    filters=[
        Filter(
            "status",
            _("Review"),
            lambda actor: SignalStatus.choices,
            lambda qs, value: qs.filter(status=value),
            default=SignalStatus.OPEN,
        ),
        Filter(
            "kind",
            _("Kind"),
            lambda actor: SignalKind.choices,
            lambda qs, value: qs.filter(kind=value),
        ),
    ],
    columns=[
        Column("kind", _("Kind"), lambda s: s.get_kind_display()),
        Column(
            "class", _("Class"), lambda s: f"{s.training_class} · {s.training_class.organisation}"
        ),
        Column("other", _("Other class"), _other),
        Column("id", _("Raised"), lambda s: s.created_at.strftime("%Y-%m-%d %H:%M"), sort="id"),
        Column("status", _("Review"), lambda s: s.get_status_display()),
    ],
)


def _spot_checks(*, actor, query: str = ""):
    qs = selectors.spot_checks(actor=actor)
    return qs.filter(organisation__name__contains=query) if query else qs


def _rate(s) -> str:
    return "" if s.failure_rate is None else f"{round(s.failure_rate * 100)}%"


SPOT_CHECKS = ListDef(
    name="supervision.spot_checks",
    title=_("Spot checks"),
    url_name="supervision:spot_check_list",
    perm=services.RECORD_SPOTCHECK,
    rows=_spot_checks,
    default_sort="-id",
    search_placeholder=_("Institution"),
    columns=[
        Column("id", _("Drawn on"), lambda s: s.drawn_on, sort="id"),
        Column("organisation", _("Institution"), lambda s: str(s.organisation)),
        Column(
            "sample",
            _("Sample of"),
            lambda s: f"{s.get_subject_display()} · {s.get_method_display()}",
        ),
        Column("rate", _("Failure rate"), _rate),
        Column("violation", _("Violation"), lambda s: s.violation),
    ],
)

register(CLASSES, SIGNALS, SPOT_CHECKS)
