"""Writes of the reports app: targets and their split (GA23-TGT-1, HB45-TGT-1). Every function
takes the acting user or token first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.assessment.models import Certificate
from upskill.core.jobs import job_start
from upskill.core.models import AccessAction
from upskill.core.scoping import SYSTEM, Actor, require_perm
from upskill.core.services import access_log_record
from upskill.employment.models import CONVERTED
from upskill.organisations.models import Organisation, OrganisationKind, Region, RegionLevel
from upskill.subsidies.models import PaymentItem, PaymentStatus
from upskill.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass

from . import documents
from .models import (
    ProgressSummary,
    SplitStatus,
    Target,
    TargetLine,
    TargetShare,
    UpwardKind,
    UpwardReport,
)
from .permissions import (
    ADD_TARGET,
    ADD_UPWARD,
    SPLIT_TARGET,
    VIEW_DASHBOARD,
    VIEW_TARGET,
    VIEW_UPWARD,
)
from .selectors import (
    may_generate_upward,
    reimbursement_figures,
    split_holders,
    target_may_change,
    upward_default_as_of,
    upward_figures,
)
from .tasks import upward_report_task

__all__ = [
    "ADD_TARGET",
    "ADD_UPWARD",
    "SPLIT_TARGET",
    "VIEW_DASHBOARD",
    "VIEW_TARGET",
    "VIEW_UPWARD",
]


def _setter(actor: Actor, region: Region) -> Organisation:
    """The bureau setting a target for ``region``: the actor's own, which must be the bureau
    of that region (a county sets the county's targets, the province the province's)."""
    organisation = getattr(actor, "organisation", None)
    if actor is SYSTEM or organisation is None:
        bureau = (
            Organisation.objects.filter(
                region=region,
                kind__in=[
                    OrganisationKind.PROVINCE_HR,
                    OrganisationKind.CITY_HR,
                    OrganisationKind.COUNTY_HR,
                ],
            )
            .order_by("pk")
            .first()
        )
        if bureau is None:
            raise ValidationError(_("No bureau holds this region."))
        return bureau
    if organisation.region_id != region.pk or not organisation.jurisdiction_prefix:
        raise PermissionDenied(_("A bureau sets the targets of its own region only."))
    return organisation


@transaction.atomic
def target_set(
    *,
    actor: Actor,
    region: Region,
    line: str,
    year_from: int,
    year_to: int | None = None,
    quantity: int,
    parent: Target | None = None,
    document: str = "",
    note: str = "",
) -> Target:
    """Set (or change) a region's target for a line of training over a span of years
    (GA23-TGT-1, HB45-TGT-1). A changed quantity puts a confirmed split back to draft: its
    shares no longer add up to it."""
    require_perm(actor, ADD_TARGET)
    if region.level == RegionLevel.TOWNSHIP:
        raise ValidationError(_("Targets are set for a county, a city or the province."))
    if line not in TargetLine.values:
        raise ValidationError(_("Unknown line of training."))
    year_to = year_to or year_from
    if year_to < year_from:
        raise ValidationError(_("The last year comes before the first."))
    if quantity <= 0:
        raise ValidationError(_("A target is a positive number of person-times."))
    if parent is not None and (
        parent.region_id != region.pk
        or parent.year_from > year_from
        or parent.year_to < year_to
        or quantity > parent.quantity
    ):
        raise ValidationError(
            _("A part of a target is of the same region and years, and not larger than it.")
        )
    setter = _setter(actor, region)
    target, created = Target.objects.get_or_create(
        region=region,
        line=line,
        year_from=year_from,
        year_to=year_to,
        defaults={
            "quantity": quantity,
            "parent": parent,
            "document": document,
            "note": note,
            "set_by": setter,
        },
    )
    if not created:
        changed = target.quantity != quantity
        target.quantity = quantity
        target.parent = parent
        target.document = document
        target.note = note
        if changed and target.split_status == SplitStatus.CONFIRMED:
            target.split_status = SplitStatus.DRAFT
        target.save()
    return target


def _no_share(holder) -> str:
    return _("%(holder)s has no share of this target.") % {"holder": holder}


@transaction.atomic
def target_split_save(
    *, actor: Actor, target: Target, shares: dict[object, int], confirm: bool = False
) -> Target:
    """Save a target's split (GA23-TGT-1): ``shares`` maps a township or city (``Region``) or
    an institution (``Organisation``) to its share. The split is kept as a draft whatever it
    adds up to (the page shows the difference); with ``confirm`` it is confirmed, which only a
    split adding up to the target may be. A zero share is removed."""
    require_perm(actor, SPLIT_TARGET)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if not target_may_change(actor=actor, target=target):
        raise PermissionDenied(_("Only the bureau that set the target splits it."))
    holders = split_holders(target=target)
    allowed_regions = {region.pk for region in holders.regions}
    allowed_organisations = {organisation.pk for organisation in holders.organisations}
    rows: list[TargetShare] = []
    for holder, quantity in shares.items():
        quantity = int(quantity or 0)
        if quantity < 0:
            raise ValidationError(_("A share cannot be negative."))
        if not quantity:
            continue
        if isinstance(holder, Region):
            if holder.pk not in allowed_regions:
                raise ValidationError(
                    _("%(holder)s has no share of this target.") % {"holder": holder}
                )
            rows.append(TargetShare(target=target, region=holder, quantity=quantity))
        elif isinstance(holder, Organisation):
            if holder.pk not in allowed_organisations:
                raise ValidationError(
                    _("%(holder)s has no share of this target.") % {"holder": holder}
                )
            rows.append(TargetShare(target=target, organisation=holder, quantity=quantity))
        else:
            raise ValidationError(_("A share goes to a township, a city or an institution."))
    total = sum(row.quantity for row in rows)
    if confirm and total != target.quantity:
        raise ValidationError(
            _(
                "The shares add up to %(total)s, the target is %(target)s (difference "
                "%(difference)s): the split stays a draft until they agree (GA23-TGT-1)."
            )
            % {"total": total, "target": target.quantity, "difference": total - target.quantity}
        )
    target.shares.all().delete()
    for row in rows:
        row.save()
    target.split_status = SplitStatus.CONFIRMED if confirm else SplitStatus.DRAFT
    target.save(update_fields=["split_status"])
    return target


# -- reports upward (HB45-RPT-1) and the reimbursement request (HB61 五) --------------------


def upward_report_request(
    *, actor: Actor, kind: str, year: int, as_of: date | None = None
) -> UpwardReport:
    """Ask for a report upward (the plan, the half-year progress, the year-end summary:
    HB45-RPT-1) or the request to reimburse advanced enterprise subsidies (HB61 五) of the
    actor's jurisdiction, as of a date: kept with who asked and generated by a background job
    (``tasks.upward_report_task``) that writes its Excel and PDF files."""
    require_perm(actor, ADD_UPWARD)
    if not may_generate_upward(actor=actor):
        raise PermissionDenied(_("A bureau generates the reports of its own jurisdiction."))
    if kind not in UpwardKind.values:
        raise ValidationError(_("Unknown kind of report."))
    as_of = as_of or upward_default_as_of(kind, year)
    if as_of.year != year:
        raise ValidationError({"as_of": _("The as-of date falls in the report's year.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The as-of date cannot be in the future.")})
    organisation = getattr(actor, "organisation", None)
    if organisation is None:  # the system: the province's report
        organisation = Organisation.objects.filter(kind=OrganisationKind.PROVINCE_HR).first()
        if organisation is None:
            raise ValidationError(_("No bureau holds this region."))
    report = UpwardReport.objects.create(
        kind=kind,
        year=year,
        as_of=as_of,
        region=organisation.region,
        organisation=organisation,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with transaction.atomic():
        report.job = job_start(
            actor=actor,
            kind="reports.upward",
            task=upward_report_task,
            title=f"{organisation.region.name} {year} {report.get_kind_display()}",
            report_id=report.pk,
        )
        UpwardReport.objects.filter(pk=report.pk).update(job=report.job)
    report.refresh_from_db()
    return report


def upward_report_generate(*, report: UpwardReport, progress=None) -> UpwardReport:
    """The job's body: count the figures as the job's actor (the selectors the dashboards use),
    write the Excel and PDF files to the storage, and keep their names with the report."""
    step = progress or (lambda done, total, message="": None)
    actor = report.requested_by or SYSTEM
    step(0, 3, _("Counting the figures…"))
    if report.kind == UpwardKind.REIMBURSEMENT:
        figures = reimbursement_figures(actor=actor, year=report.year, as_of=report.as_of)
        xlsx, pdf = documents.reimbursement_xlsx, documents.reimbursement_pdf
    else:
        figures = upward_figures(
            actor=actor, kind=report.kind, year=report.year, as_of=report.as_of
        )
        xlsx, pdf = documents.upward_xlsx, documents.upward_pdf
    step(1, 3, _("Writing the Excel file…"))
    stem = f"reports/upward/{report.pk}/{report.kind}-{report.region.code}-{report.as_of:%Y%m%d}"
    report.xlsx = default_storage.save(f"{stem}.xlsx", ContentFile(xlsx(figures)))
    step(2, 3, _("Writing the PDF file…"))
    report.pdf = default_storage.save(f"{stem}.pdf", ContentFile(pdf(figures)))
    report.generated_at = timezone.now()
    report.save(update_fields=["xlsx", "pdf", "generated_at"])
    return report


def upward_report_file(*, actor: Actor, report: UpwardReport, fmt: str) -> tuple[object, str]:
    """A generated report's file (``xlsx`` or ``pdf``) and its download name; the download is
    written in the access log."""
    require_perm(actor, VIEW_UPWARD)
    stored = report.xlsx if fmt == "xlsx" else report.pdf if fmt == "pdf" else ""
    if not stored or not default_storage.exists(stored):
        raise ValidationError(_("The file is not ready."))
    access_log_record(
        actor=actor,
        action=AccessAction.EXPORT,
        description=_("Report upward: %(report)s") % {"report": str(report)},
        obj=report,
    )
    if report.downloaded_at is None:
        UpwardReport.objects.filter(pk=report.pk).update(downloaded_at=timezone.now())
    return default_storage.open(stored, "rb"), stored.rsplit("/", 1)[-1]


# -- the progress summary (issue 18: aggregates kept up to date incrementally) -----------------

SUMMARY_CHUNK = 1000  # classes recounted per round of queries
_FIGURES = ("listed", "started", "completed", "certified", "employed", "paid", "paid_records")


def _summary_rows(class_ids: list[int]) -> list[ProgressSummary]:
    """The progress summary's rows of these classes, counted from the records (five queries):
    what the dashboards would count of each class on each day (models.ProgressSummary)."""
    enrolled = Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, training_class_id__in=class_ids
    )
    counts = dict(
        enrolled.values("training_class_id")
        .annotate(n=Count("pk"))
        .values_list("training_class_id", "n")
        .order_by()
    )
    if not counts:  # no enrolled record, nothing to count (certificates and money hang on one)
        return []
    classes = {
        row[0]: row
        for row in TrainingClass.objects.filter(pk__in=list(counts)).values_list(
            "pk",
            "status",
            "start_date",
            "end_date",
            "catalog_entry_id",
            "catalog_entry__program",
            "township_id",
            "organisation_id",
        )
    }
    rows: dict[tuple[int, date], dict] = {}

    def row(class_id: int, day: date) -> dict:
        return rows.setdefault((class_id, day), dict.fromkeys(_FIGURES, 0))

    for class_id, n in counts.items():
        _pk, status, start, end, *_rest = classes[class_id]
        at_start, at_end = row(class_id, start), row(class_id, end)
        at_start["listed"] = at_end["listed"] = n
        if status in (ClassStatus.RUNNING, ClassStatus.FINISHED):
            at_start["started"] = n
        if status == ClassStatus.FINISHED:
            at_end["completed"] = n
    # certified and employed: once per record and year, on the day of its first certificate of
    # that year (the dashboard counts records, not certificates)
    certificates = Certificate.objects.filter(
        attempt__enrolment__status=EnrolmentStatus.ENROLLED,
        attempt__enrolment__training_class_id__in=list(counts),
    )
    for measure, qs in (
        ("certified", certificates),
        ("employed", certificates.filter(referrals__outcome__in=list(CONVERTED))),
    ):
        first: dict[tuple[int, int, int], date] = {}
        for enrolment_id, class_id, issued in qs.values_list(
            "attempt__enrolment_id", "attempt__enrolment__training_class_id", "issue_date"
        ).order_by():
            key = (class_id, enrolment_id, issued.year)
            if key not in first or issued < first[key]:
                first[key] = issued
        for (class_id, _enrolment, _year), issued in first.items():
            row(class_id, issued)[measure] += 1
    # paid: the money of a finished class's records, on its end day
    for class_id, amount, records in (
        PaymentItem.objects.filter(
            status=PaymentStatus.PAID,
            item__line__enrolment__status=EnrolmentStatus.ENROLLED,
            item__line__enrolment__training_class_id__in=list(counts),
        )
        .values("item__line__enrolment__training_class_id")
        .annotate(amount=Sum("amount"), records=Count("item__line__enrolment_id", distinct=True))
        .values_list("item__line__enrolment__training_class_id", "amount", "records")
        .order_by()
    ):
        _pk, status, _start, end, *_rest = classes[class_id]
        at_end = row(class_id, end)
        at_end["paid_records"] = records
        if status == ClassStatus.FINISHED:
            at_end["paid"] = amount or Decimal("0.00")
    now = timezone.now()
    return [
        ProgressSummary(
            training_class_id=class_id,
            day=day,
            class_end=classes[class_id][3],
            catalog_entry_id=classes[class_id][4],
            programme=classes[class_id][5],
            township_id=classes[class_id][6],
            organisation_id=classes[class_id][7],
            updated_at=now,
            **figures,
        )
        for (class_id, day), figures in sorted(rows.items())
        if any(figures.values())
    ]


def summary_refresh(*, class_ids: Iterable[int]) -> int:
    """Recount the progress summary's rows of these classes from their records, in the
    caller's transaction (the ``class.figures_changed`` hook: the services that change the
    facts call it). The classes are locked first, so two transactions recounting the same
    class take turns. Returns the rows written."""
    ids = sorted({int(pk) for pk in class_ids if pk is not None})
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), SUMMARY_CHUNK):
            chunk = ids[start : start + SUMMARY_CHUNK]
            list(TrainingClass.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
            ProgressSummary.objects.filter(training_class_id__in=chunk).delete()
            rows = _summary_rows(chunk)
            ProgressSummary.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
    return written


def summary_on_certificate(*, certificate: Certificate, actor: Actor) -> None:
    """The ``certificate.issued`` hook: an issued certificate counts its record as certified."""
    if certificate.attempt_id:
        summary_refresh(
            class_ids=Enrolment.objects.filter(attempts__certificate=certificate).values_list(
                "training_class_id", flat=True
            )
        )


@transaction.atomic
def summary_rebuild(*, progress=None) -> int:
    """Recount the whole progress summary from the records (``upskill reports
    rebuild-summary``: at installation, after a bulk load such as the synthetic province).
    Never run on a request. Returns the rows written."""
    ProgressSummary.objects.all().delete()
    ids = list(
        Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
        .values_list("training_class_id", flat=True)
        .distinct()
        .order_by("training_class_id")
    )
    written = 0
    for start in range(0, len(ids), SUMMARY_CHUNK):
        rows = _summary_rows(ids[start : start + SUMMARY_CHUNK])
        ProgressSummary.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
        if progress is not None:
            progress(min(start + SUMMARY_CHUNK, len(ids)), len(ids))
    return written
