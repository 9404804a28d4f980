"""The subsidies' list pages (core.lists): what they filter, sort and export."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from upskill.core.lists import Column, Filter, ListDef, register

from . import selectors
from .models import AdvanceStatus, BatchStatus, ClaimKind, ClaimStatus, Payee
from .selectors import advances as advance_selectors


def _claims(*, actor, query: str = ""):
    qs = selectors.claim_list(actor=actor)
    if query:
        by_number = Q(pk=int(query)) if query.isdigit() else Q(pk__in=[])
        qs = qs.filter(
            by_number | Q(claimant__name__contains=query) | Q(training_class__name__contains=query)
        )
    return qs


CLAIMS = ListDef(
    name="subsidies.claims",
    title=_("Subsidy claims"),
    url_name="subsidies:claim_list",
    perm="subsidies.view_claim",
    rows=_claims,
    default_sort="-id",
    search_placeholder=_("Claim number, claimant or class"),
    filters=[
        Filter(
            "status",
            _("Status"),
            lambda actor: ClaimStatus.choices,
            lambda qs, value: qs.filter(status=value),
        ),
        Filter(
            "kind",
            _("Kind"),
            lambda actor: ClaimKind.choices,
            lambda qs, value: qs.filter(kind=value),
        ),
    ],
    columns=[
        Column("id", "#", lambda c: c.pk, sort="id"),
        Column("claimant", _("Claimant"), lambda c: c.claimant.name),
        Column(
            "class",
            _("Class"),
            lambda c: c.training_class.name if c.training_class else c.get_kind_display(),
        ),
        Column("status", _("Status"), lambda c: c.get_status_display()),
        Column("amount", _("Amount"), lambda c: c.accepted_total),
    ],
)


def _batches(*, actor, query: str = ""):
    qs = selectors.batch_list(actor=actor)
    return qs.filter(reference__contains=query) if query else qs


BATCHES = ListDef(
    name="subsidies.batches",
    title=_("Payment batches"),
    url_name="subsidies:batch_list",
    perm="subsidies.view_paymentbatch",
    rows=_batches,
    default_sort="-id",
    search_placeholder=pgettext_lazy("payment batch", "Reference"),
    filters=[
        Filter(
            "status",
            _("Status"),
            lambda actor: BatchStatus.choices,
            lambda qs, value: qs.filter(status=value),
        ),
        Filter(
            "payee",
            _("Payee"),
            lambda actor: Payee.choices,
            lambda qs, value: qs.filter(payee=value),
        ),
    ],
    columns=[
        Column("id", pgettext_lazy("payment batch", "Reference"), lambda b: b.reference, sort="id"),
        Column("fund", _("Fund"), lambda b: str(b.fund)),
        Column("payee", _("Payee"), lambda b: b.get_payee_display()),
        Column("status", _("Status"), lambda b: b.get_status_display()),
        Column("amount", _("Amount"), lambda b: b.total),
    ],
)


def _fees(*, actor, query: str = ""):
    qs = selectors.township_fee_items(actor=actor)
    return qs.filter(line__person__name__contains=query) if query else qs


def _claimed(item, attribute: str) -> str:
    claimed = item.latest_township_claim
    if not claimed:
        return ""
    if attribute == "payment":
        return claimed.payment.get_status_display() if claimed.payment else ""
    return f"#{claimed.line.claim_id} {claimed.line.claim.get_status_display()}"


TOWNSHIP_FEES = ListDef(
    name="subsidies.township_fees",
    title=_("Township management fees"),
    url_name="subsidies:township_fees",
    perm="subsidies.view_claimitem",
    rows=_fees,
    search_placeholder=_("Trainee's name"),
    personal=True,
    columns=[
        Column(
            "trainee",
            _("Trainee"),
            lambda i: f"{i.line.person.name} {i.line.person.id_number_masked}",
        ),
        Column(
            "class",
            _("Class"),
            lambda i: (
                i.line.claim.training_class.name
                if i.line.claim.training_class
                else i.line.claim.claimant.name
            ),
        ),
        Column("amount", _("Amount"), lambda i: i.amount),
        Column(
            "subsidy",
            _("Training subsidy"),
            lambda i: f"{i.line.get_decision_display()} · {i.line.claim.get_status_display()}",
        ),
        Column("claim", _("Township claim"), lambda i: _claimed(i, "claim")),
        Column("payment", _("Payment"), lambda i: _claimed(i, "payment")),
    ],
)


def _advances(*, actor, query: str = ""):
    qs = advance_selectors.advance_list(actor=actor)
    if query:
        qs = qs.filter(Q(claimant__name__contains=query) | Q(training_class__name__contains=query))
    return qs


ADVANCES = ListDef(
    name="subsidies.advances",
    title=_("Advance payments"),
    url_name="subsidies:advance_list",
    perm="subsidies.view_claim",
    rows=_advances,
    default_sort="-id",
    search_placeholder=_("Organiser or class"),
    filters=[
        Filter(
            "status",
            _("Status"),
            lambda actor: AdvanceStatus.choices,
            lambda qs, value: qs.filter(status=value),
        ),
    ],
    columns=[
        Column("id", "#", lambda a: a.pk, sort="id"),
        Column("claimant", _("Organiser"), lambda a: a.claimant.name),
        Column("class", _("Class"), lambda a: a.training_class.name),
        Column("amount", _("Advance"), lambda a: a.amount),
        Column("status", _("Status"), lambda a: a.get_status_display()),
        Column("receivable", _("To recover"), lambda a: a.receivable or ""),
    ],
)

register(CLAIMS, BATCHES, TOWNSHIP_FEES, ADVANCES)
