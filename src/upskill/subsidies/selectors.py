"""Reads of the subsidies app, already scoped; the public disclosure's aggregates; the batch
settlement (the policy engine's batch path over a county's finished classes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from upskill.core.scoping import visible

from . import ledger
from .models import (
    Account,
    Claim,
    ClaimItem,
    ClaimStatus,
    Decision,
    EntryKind,
    Fund,
    FundSource,
    LedgerCheckpoint,
    LedgerEntry,
    Payee,
    PayeeAccount,
    PaymentBatch,
    PaymentStatus,
)


def claim_list(*, actor) -> QuerySet[Claim]:
    # the list shows each claim's total (Claim.accepted_total reads its lines)
    return (
        visible(Claim, actor)
        .select_related("claimant", "training_class", "county")
        .prefetch_related("lines")
    )


def claimable_classes(*, actor):
    """The actor's finished classes without a live claim."""
    from upskill.training.models import ClassStatus, TrainingClass

    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return TrainingClass.objects.none()
    return (
        visible(TrainingClass, actor)
        .filter(organisation=organisation, status=ClassStatus.FINISHED)
        .exclude(claims__status__in=[s for s in ClaimStatus.values if s != ClaimStatus.REFUSED])
    )


def enterprise_programs(*, actor) -> list[tuple[str, str]]:
    """The programs an enterprise's clerk claims for without a class (HB61-CMP-1/2, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1), as (code, label); none for anyone else."""
    from upskill.catalog.models import PROGRAM_CHOICES
    from upskill.enterprise.models import KIND_OF_PROGRAM
    from upskill.organisations.models import OrganisationKind

    organisation = getattr(actor, "organisation", None)
    if (
        organisation is None
        or organisation.kind != OrganisationKind.ENTERPRISE
        or not actor.has_perm("subsidies.submit_claim")
    ):
        return []
    return [(code, label) for code, label in PROGRAM_CHOICES if code in KIND_OF_PROGRAM]


def township_fee_items(*, actor) -> QuerySet[ClaimItem]:
    """GA23-FEE-1 fees the engine computed for the actor's township centre on organisers'
    lines, each with the township claim that claims it (if any) and that claim's payment."""
    from .models import ClaimKind

    return (
        visible(ClaimItem, actor)
        .filter(rule="GA23-FEE-1", payee_organisation=getattr(actor, "organisation", None))
        .exclude(line__claim__kind=ClaimKind.TOWNSHIP)
        .select_related("line__person", "line__claim__training_class")
        .prefetch_related("township_claims__line__claim", "township_claims__payment")
        .order_by("-line__date", "pk")
    )


@dataclass(frozen=True)
class FeeYear:
    year: int
    count: int
    amount: Decimal


def township_claimable_years(*, actor) -> list[FeeYear]:
    """For a township centre's clerk: per training year, the GA23-FEE-1 fees ready to claim."""
    from upskill.organisations.models import OrganisationKind

    from .services import township_fees_claimable

    organisation = getattr(actor, "organisation", None)
    if (
        organisation is None
        or organisation.kind != OrganisationKind.TOWNSHIP_CENTRE
        or not actor.has_perm("subsidies.submit_claim")
    ):
        return []
    years: dict[int, list[Decimal]] = defaultdict(list)
    for fee in township_fees_claimable(organisation, None):
        years[fee.line.date.year].append(fee.amount)
    return [
        FeeYear(year, len(amounts), sum(amounts, Decimal("0.00")))
        for year, amounts in sorted(years.items(), reverse=True)
    ]


def notices(*, on: date) -> QuerySet[Claim]:
    """Claims under public notice (HB45-PUB-1): public."""
    return (
        Claim.objects.filter(status=ClaimStatus.NOTICE, notice_from__lte=on, notice_until__gte=on)
        .select_related("claimant", "training_class")
        .order_by("notice_until", "pk")
    )


@dataclass(frozen=True)
class FundUse:
    fund: Fund
    committed: Decimal
    disbursed: Decimal
    remaining: Decimal


def fund_overview(*, actor) -> list[FundUse]:
    return [
        FundUse(f, ledger.committed(f), ledger.disbursed(f), ledger.remaining(f))
        for f in visible(Fund, actor).select_related("region")
    ]


def batch_list(*, actor) -> QuerySet[PaymentBatch]:
    # the list shows each batch's total (PaymentBatch.total reads its items)
    return (
        visible(PaymentBatch, actor)
        .select_related("fund__region", "county")
        .prefetch_related("items")
    )


def ledger_entries(*, actor) -> QuerySet[LedgerEntry]:
    return visible(LedgerEntry, actor).select_related("fund", "batch", "organisation", "person")


def ledger_checkpoints(*, actor) -> QuerySet[LedgerCheckpoint]:
    """The ledger's signed checkpoints, newest first (HB45-PUB-1)."""
    return visible(LedgerCheckpoint, actor).order_by("-seq", "-created_at")


# -- public disclosure (HB45-PUB-1) -----------------------------------------------------------

# The line's calculator record names its programme for classes and enterprise records alike; a
# township's fee line (GA23-FEE-1) names the rule. The township is the one the training was held
# in, reached through the enrolment (a township's fee line keeps its trainee's enrolment).
DIMENSIONS = {
    "fund": "fund__source",
    "program": "claim_line__record__program",
    "township": "claim_line__enrolment__training_class__township__name",
    "institution": "claim_line__claim__claimant__name",
}


def _dimension_labels(name: str) -> dict:
    from django.utils.translation import gettext as _

    from upskill.catalog.models import PROGRAM_CHOICES

    if name == "fund":
        return dict(FundSource.choices)
    if name == "program":
        return {**dict(PROGRAM_CHOICES), "GA23-FEE-1": _("Township management fees (GA23-FEE-1)")}
    return {}


@dataclass(frozen=True)
class Aggregate:
    key: str
    amount: Decimal
    people: int


# Years a disclosure can be asked for. Outside them the year lookup cannot even be written as
# a date range in local time (year 1 shifted to UTC is year 0; 10000 has no date), which answered
# 500; now it is a message.
DISCLOSURE_YEARS = range(2000, 2101)


def disclosure_year_check(year: int) -> int:
    """``year`` if a disclosure can be asked for it, else ``ValidationError`` with a message."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if year not in DISCLOSURE_YEARS:
        raise ValidationError(
            _(
                "There is no disclosure for the year %(year)s: "
                "choose a year from %(first)s to %(last)s."
            ),
            params={"year": year, "first": DISCLOSURE_YEARS[0], "last": DISCLOSURE_YEARS[-1]},
        )
    return year


def disclosure(*, year: int) -> dict[str, list[Aggregate]]:
    """Fund use of a year: amounts actually paid out (payments and advances, net of reversals)
    and head-counts, by fund, programme, township and institution. Aggregates only: no name, no
    number of any person. Public by design (HB45-PUB-1)."""
    disclosure_year_check(year)
    paid = LedgerEntry.objects.filter(account=Account.DISBURSED, at__year=year)
    result: dict[str, list[Aggregate]] = {}
    for name, path in DIMENSIONS.items():
        labels = _dimension_labels(name)
        rows = (
            paid.values(path)
            .annotate(amount=Sum("amount"), people=Count("claim_line__person", distinct=True))
            .order_by(path)
        )
        result[name] = [
            Aggregate(
                str(labels.get(row[path], row[path] or "—")),
                (row["amount"] or Decimal(0)).quantize(Decimal("0.01")),
                row["people"],
            )
            for row in rows
        ]
    return result


def disclosure_total(*, year: int) -> Aggregate:
    disclosure_year_check(year)
    paid = LedgerEntry.objects.filter(account=Account.DISBURSED, at__year=year)
    row = paid.aggregate(amount=Sum("amount"), people=Count("claim_line__person", distinct=True))
    return Aggregate(
        str(year), (row["amount"] or Decimal(0)).quantize(Decimal("0.01")), row["people"]
    )


def disclosure_years() -> list[int]:
    return sorted({d.year for d in LedgerEntry.objects.dates("at", "year")}, reverse=True)


def bar_chart_svg(rows: list[Aggregate], *, width: int = 640, bar: int = 22) -> str:
    """A horizontal bar chart drawn on the server (no script, no CDN)."""
    from django.utils.html import escape

    top = max((r.amount for r in rows), default=Decimal(0)) or Decimal(1)
    label_w, gap = 220, 6
    height = max(1, len(rows)) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" viewBox="0 0 {width} {height}">'
    ]
    for i, row in enumerate(rows):
        y = gap + i * (bar + gap)
        w = int((width - label_w - 100) * (row.amount / top)) if row.amount > 0 else 0
        parts.append(
            f'<text x="0" y="{y + bar - 6}" font-size="13">{escape(row.key[:18])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#1095c1"/>'
            f'<text x="{label_w + w + 4}" y="{y + bar - 6}" font-size="13">{row.amount:,.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# -- batch settlement ---------------------------------------------------------------------------


def settle(
    *,
    region: str,
    year: int,
    progress: Callable[[int, int, str], None] | None = None,
    params=None,
) -> dict:
    """What would be claimable for every finished class of a region ending in a year: the
    engine's batch path (``policy.batch``) over one record per trainee, the persons' other
    subsidised claim lines as history (HB45-CAP-1). Totals per programme, payee kind and rule."""
    from upskill import policy
    from upskill.policy.batch import ITEM_KINDS, evaluate_frame, frame_from_records, row_lists
    from upskill.policy.records import read_record
    from upskill.policy_admin.services import parameters_in_effect
    from upskill.training.models import ClassStatus, EnrolmentStatus, TrainingClass

    from .models import ClaimLine
    from .services import class_facts, class_record, persons_history

    params = params or parameters_in_effect()
    classes = list(
        TrainingClass.objects.filter(
            status=ClassStatus.FINISHED,
            township__code__startswith=region,
            end_date__year=year,
        ).select_related("catalog_entry__occupation", "organisation")
    )
    raws, programs, persons = [], [], {}
    total = len(classes)
    for done, training_class in enumerate(classes, start=1):
        enrolments = list(
            training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
                "person"
            )
        )
        facts = class_facts(training_class, enrolments)
        for enrolment in enrolments:
            raws.append(class_record(enrolment, facts=facts))
            programs.append(training_class.program)
            persons[enrolment.person_id] = enrolment.person
        if progress:
            progress(done, total + 1, training_class.name)
    # the settled classes' own claim lines are what is being settled, not history
    settled = {
        f"L{pk}"
        for pk in ClaimLine.objects.filter(
            claim__training_class__in=[c.pk for c in classes]
        ).values_list("pk", flat=True)
    }
    history = [h for h in persons_history(persons.values()) if h.id not in settled]
    records, invalid = [], 0
    for index, raw in enumerate(raws):
        record, _problems = read_record(raw, index)
        if record is None:
            invalid += 1
        else:
            records.append(record)
    frame, apart = frame_from_records(records)
    out = evaluate_frame(frame, params, history) if len(frame) else None
    by_key: dict[tuple[str, str, str], list] = defaultdict(lambda: [0, 0])
    accepted = rejected = 0
    rows = out.iter_rows(named=True) if out is not None else []
    for row in rows:
        status, items, _reasons = row_lists(row)
        if status == "accepted":
            accepted += 1
        else:
            rejected += 1
        for rule, cents in items:
            _kind, payee = ITEM_KINDS.get(rule, ("", ""))
            key = (programs[row["idx"]], payee, rule)
            by_key[key][0] += cents
            by_key[key][1] += 1
    results = policy.run([raws[r.index] for r in apart], params, history=history)
    for record, result in zip(apart, results, strict=True):
        accepted += result.status == "accepted"
        rejected += result.status != "accepted"
        for item in result.items:
            key = (programs[record.index], item.payee, item.rule)
            by_key[key][0] += item.cents
            by_key[key][1] += 1
    if progress:
        progress(total + 1, total + 1, "")
    lines = [
        {
            "program": program,
            "payee": payee,
            "rule": rule,
            "count": count,
            "amount": f"{Decimal(cents).scaleb(-2):.2f}",
        }
        for (program, payee, rule), (cents, count) in sorted(by_key.items())
    ]
    return {
        "region": region,
        "year": year,
        "classes": total,
        "records": len(raws),
        "accepted": accepted,
        "rejected": rejected + invalid,
        "total": f"{Decimal(sum(v[0] for v in by_key.values())).scaleb(-2):.2f}",
        "lines": lines,
    }


def class_links(*, training_class, actor) -> list:
    """The class ledger's link to the subsidy claims made for it (core/hooks.py class.links)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from upskill.core.hooks import ClassLink
    from upskill.core.scoping import visible

    from .models import Claim

    if not actor.has_perm("subsidies.view_claim"):
        return []
    claim = visible(Claim, actor).filter(training_class=training_class).order_by("-pk").first()
    if claim is not None:
        url = reverse("subsidies:claim_detail", args=[claim.pk])
        title = _("Subsidy claim")
    else:
        url, title = reverse("subsidies:claim_list"), _("Subsidy claims")
    return [ClassLink(title, url, order=30)]


# -- the trainee's allowance account (GA23-LIV-1/2) -------------------------------------------


def unpaid_approved_items(*, person) -> QuerySet[ClaimItem]:
    """The person's own money approved and not paid yet: items payable to the trainee whose
    line is approved (charged to a fund once the claim is approved) with no payment entry in
    the ledger, and not given up (a cancelled payment reverses its charge). While there is any,
    a change of the person's bank account waits for the payment clerk (registry asks through
    the hook ``person.unpaid_money``)."""
    return (
        ClaimItem.objects.filter(
            payee=Payee.TRAINEE, line__person=person, line__decision=Decision.APPROVED
        )
        .exclude(entries__kind=EntryKind.PAYMENT)
        .exclude(payment__status=PaymentStatus.CANCELLED)
    )


def person_has_unpaid_money(*, person) -> bool:
    return unpaid_approved_items(person=person).exists()


@dataclass(frozen=True)
class PaymentAccount:
    """What the batch page says of a payment's account: the one it was exported with (masked),
    the one in use now when it differs, and a change waiting for a decision."""

    exported_masked: str
    current_masked: str
    changed_since_export: bool
    pending_change: object | None
    changes_url: str


def batch_accounts(batch: PaymentBatch, payments) -> dict[int, PaymentAccount]:
    """For each payment of the batch (by pk), its account's state, in a fixed number of
    queries."""
    from django.urls import reverse

    from upskill.registry.models import BankAccount, BankAccountChangeRequest, ChangeStatus

    payments = list(payments)
    person_ids = {p.item.line.person_id for p in payments if p.item.payee == Payee.TRAINEE}
    current = {
        a.person_id: a for a in BankAccount.objects.filter(person_id__in=person_ids, is_active=True)
    }
    pending = {
        c.person_id: c
        for c in BankAccountChangeRequest.objects.filter(
            person_id__in=person_ids, status=ChangeStatus.PENDING
        )
    }
    organisations = {
        a.organisation_id: a
        for a in PayeeAccount.objects.filter(
            organisation_id__in={p.item.payee_organisation_id for p in payments}
        )
    }
    states = {}
    for payment in payments:
        item = payment.item
        if item.payee == Payee.TRAINEE:
            account = current.get(item.line.person_id)
            changed = payment.account_fixed_at is not None and (
                account is None or account.pk != payment.bank_account_id
            )
            url = reverse("registry:bank_account_changes") + f"?person={item.line.person_id}"
            waiting = pending.get(item.line.person_id)
        else:
            account = organisations.get(item.payee_organisation_id)
            changed = payment.account_fixed_at is not None and (
                account is None or account.account_number != payment.account_number
            )
            url, waiting = "", None
        states[payment.pk] = PaymentAccount(
            exported_masked=payment.account_number_masked if payment.account_fixed_at else "",
            current_masked=account.account_number_masked if account else "",
            changed_since_export=changed,
            pending_change=waiting,
            changes_url=url,
        )
    return states
