"""Reads of the reports app: targets and their split, progress counted from the records
(GA23-TGT-1, HB45-TGT-1), the dashboards and the township evaluation (GA23-EVAL-1).

Every figure is computed from the records when asked, never typed: the unit counted against a
target is the 人次, one enrolment (not withdrawn) in a finished class of a programme of the
target's line, in the period; an enterprise's apprentice year or new technician title counts as
one towards the enterprise line. Aggregates are GROUP BY queries, a fixed number per page
whatever the number of townships or institutions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractMonth, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.assessment.models import Certificate
from upskill.core.scoping import SYSTEM, Actor, visible
from upskill.employment.models import CONVERTED
from upskill.enterprise.models import EnterpriseRecord, RecordKind
from upskill.organisations.models import Organisation, OrganisationKind, Region, RegionLevel
from upskill.policy_admin.services import parameters_in_effect
from upskill.subsidies.models import (
    Account,
    ClaimItem,
    ClaimKind,
    ClaimLine,
    Decision,
    LedgerEntry,
    Objection,
    ObjectionStatus,
    PaymentItem,
    PaymentStatus,
)
from upskill.supervision.models import Inspection, InspectionStatus, SpotResult
from upskill.supervision.selectors import sanctions as sanctions_of
from upskill.supervision.selectors import spot_checks as spot_checks_of
from upskill.training.models import (
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
    class_scope_q,
)

from .models import (
    LINE_PROGRAMMES,
    ProgressSummary,
    SplitStatus,
    Target,
    TargetLine,
    TargetShare,
    UpwardKind,
    UpwardReport,
)
from .permissions import ADD_UPWARD, SPLIT_TARGET

MEASURES = ("started", "completed", "certified", "employed", "paid")
DIMENSIONS = ("programme", "region", "institution", "month")
# An enterprise record of these kinds counts as one 人次 of its programme (GA23-TGT-1).
COUNTED_RECORDS = {RecordKind.APPRENTICE: "new_apprentice", RecordKind.TECHNICIAN: "new_technician"}


# -- targets -------------------------------------------------------------------------------


def targets(*, actor: Actor, year: int | None = None) -> QuerySet[Target]:
    """The targets the actor sees, those covering ``year`` when given."""
    qs = visible(Target, actor).select_related("region", "parent", "set_by")
    if year:
        qs = qs.filter(year_from__lte=year, year_to__gte=year)
    return qs


def target_may_change(*, actor: Actor, target: Target) -> bool:
    """The bureau that set a target splits it (the system and superusers too)."""
    if actor is SYSTEM or getattr(actor, "is_superuser", False):
        return True
    organisation = getattr(actor, "organisation", None)
    return (
        organisation is not None
        and organisation.pk == target.set_by_id
        and actor.has_perm(SPLIT_TARGET)
    )


@dataclass(frozen=True)
class TargetPermissions:
    split: bool


def target_permissions(*, actor: Actor, obj: Target) -> TargetPermissions:
    return TargetPermissions(split=target_may_change(actor=actor, target=obj))


def splits_in_draft(*, actor: Actor) -> QuerySet[Target]:
    """Targets whose split is saved as a draft, for the bureau that splits them (its queue)."""
    organisation = getattr(actor, "organisation", None)
    qs = visible(Target, actor).filter(split_status=SplitStatus.DRAFT)
    if organisation is not None:
        qs = qs.filter(set_by=organisation)
    return qs


@dataclass
class Holders:
    regions: list[Region] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)


def split_holders(*, target: Target) -> Holders:
    """Who may hold a share of a target: a county's townships and designated institutions; a
    city's counties; the province's cities (HB45-TGT-1: the province splits its own)."""
    region = target.region
    children = {
        RegionLevel.PROVINCE: RegionLevel.CITY,
        RegionLevel.CITY: RegionLevel.COUNTY,
        RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
    }[region.level]
    holders = Holders(
        regions=list(Region.objects.filter(parent=region, level=children).order_by("code"))
    )
    if region.level == RegionLevel.COUNTY:
        holders.organisations = list(
            Organisation.objects.filter(
                kind=OrganisationKind.INSTITUTION,
                region__code__startswith=region.code,
                is_active=True,
            ).order_by("name")
        )
    return holders


@dataclass
class SplitRow:
    holder: object
    share: int | None
    counted: int


@dataclass
class TargetView:
    target: Target
    counted: int
    started: int
    certified: int
    shares_total: int
    rows: list[SplitRow]

    @property
    def difference(self) -> int:
        return self.shares_total - self.target.quantity

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.counted, self.target.quantity)


def _rate(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _period(year_from: int, year_to: int, as_of: date | None) -> tuple[date, date]:
    end = date(year_to, 12, 31)
    if as_of is not None and as_of < end:
        end = as_of
    return date(year_from, 1, 1), end


def _line_q(line: str, prefix: str = "") -> Q:
    if line == TargetLine.SPECIALTY:
        return Q(**{f"{prefix}training_class__catalog_entry__is_specialty": True})
    return Q(**{f"{prefix}training_class__catalog_entry__program__in": LINE_PROGRAMMES[line]})


def _region_records(region_code: str) -> QuerySet[Enrolment]:
    """Every enrolment (not withdrawn) of classes held in a region, for the figures of a
    target the actor was already allowed to see."""
    return Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, training_class__township__code__startswith=region_code
    )


def _region_summary(region_code: str) -> QuerySet[ProgressSummary]:
    """The progress summary's rows of classes held in a region (its figures of completion),
    for a ranking or an evaluation the actor was already allowed to see."""
    return ProgressSummary.objects.filter(township__code__startswith=region_code)


def _area_prefix(region: Region) -> str:
    code = region.code
    if region.level == RegionLevel.PROVINCE:
        return code[:2]
    if region.level == RegionLevel.CITY:
        return code[:4]
    return code[:6] if region.level == RegionLevel.COUNTY else code


def _enterprise_counted(region_code: str, line: str, start: date, end: date) -> int:
    programmes = LINE_PROGRAMMES.get(line, ())
    kinds = [kind for kind, programme in COUNTED_RECORDS.items() if programme in programmes]
    if not kinds:
        return 0
    return EnterpriseRecord.objects.filter(
        kind__in=kinds,
        date__range=(start, end),
        enterprise__region__code__startswith=region_code,
    ).count()


def target_view(*, actor: Actor, target: Target, as_of: date | None = None) -> TargetView:
    """A target with what counts against it (GA23-TGT-1): finished 人次 of its line, started
    and certified beside, and its split with each holder's count. Four queries whatever the
    number of shares; a township centre or an institution sees its own share only."""
    start, end = _period(target.year_from, target.year_to, as_of)
    prefix = _area_prefix(target.region)
    records = _region_records(prefix).filter(_line_q(target.line))
    finished = Q(
        training_class__status=ClassStatus.FINISHED, training_class__end_date__range=(start, end)
    )
    totals = records.aggregate(
        counted=Count("pk", filter=finished),
        started=Count(
            "pk",
            filter=Q(
                training_class__status__in=(ClassStatus.RUNNING, ClassStatus.FINISHED),
                training_class__start_date__range=(start, end),
            ),
        ),
        certified=Count(
            "pk", filter=Q(attempts__certificate__issue_date__range=(start, end)), distinct=True
        ),
    )
    counted = totals["counted"] + _enterprise_counted(prefix, target.line, start, end)
    shares = list(
        visible(TargetShare, actor).filter(target=target).select_related("region", "organisation")
    )
    by_region: dict[str, int] = {}
    by_organisation: dict[int, int] = {}
    width = _region_width(target.region)
    if shares:
        finished_records = records.filter(finished).order_by()
        if any(share.region_id for share in shares):
            by_region = dict(
                finished_records.annotate(key=Substr("training_class__township__code", 1, width))
                .values("key")
                .annotate(n=Count("pk"))
                .values_list("key", "n")
            )
        if any(share.organisation_id for share in shares):
            by_organisation = dict(
                finished_records.values("training_class__organisation_id")
                .annotate(n=Count("pk"))
                .values_list("training_class__organisation_id", "n")
            )
    rows = [
        SplitRow(
            holder=share.holder,
            share=share.quantity,
            counted=by_region.get(share.region.code[:width], 0)
            if share.region_id
            else by_organisation.get(share.organisation_id, 0),
        )
        for share in shares
    ]
    return TargetView(
        target=target,
        counted=counted,
        started=totals["started"],
        certified=totals["certified"],
        shares_total=sum(share.quantity for share in shares),
        rows=rows,
    )


def split_form_rows(*, target: Target) -> list[tuple[object, int]]:
    """Every possible holder of a share with its current share (0 when none), for the split
    form: two queries."""
    holders = split_holders(target=target)
    current = {
        (share.region_id, share.organisation_id): share.quantity
        for share in TargetShare.objects.filter(target=target)
    }
    return [(region, current.get((region.pk, None), 0)) for region in holders.regions] + [
        (organisation, current.get((None, organisation.pk), 0))
        for organisation in holders.organisations
    ]


# -- dashboards ----------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    target: int | None = None
    started: int = 0
    completed: int = 0
    certified: int = 0
    employed: int = 0
    paid: Decimal = Decimal("0.00")
    rank: int | None = None

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.completed, self.target)


@dataclass
class Dashboard:
    year: int
    as_of: date
    line: str
    computed_at: datetime
    region: Region | None
    totals: Row
    rows: dict[str, list[Row]]
    own_rank: int | None = None
    townships_ranked: int = 0

    def chart(self, dimension: str) -> dict:
        rows = self.rows[dimension]
        return {
            "keys": [row.key for row in rows],
            "labels": [row.label for row in rows],
            **{measure: [float(getattr(row, measure)) for row in rows] for measure in MEASURES},
            "target": [row.target for row in rows],
        }


def actor_region(actor: Actor) -> Region | None:
    """The region whose figures the actor sees: a bureau's jurisdiction, a township centre's
    township; an institution or enterprise its county (its own classes only)."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()
    return organisation.region


def records_in_scope(*, actor: Actor) -> QuerySet[Enrolment]:
    """The enrolments (not withdrawn) whose figures the actor sees: the classes of its scope
    (``training.models.class_scope_q``: a bureau its jurisdiction, a township centre the
    classes held in its township, an institution its own)."""
    qs = visible(Enrolment, actor).filter(status=EnrolmentStatus.ENROLLED)
    organisation = getattr(actor, "organisation", None)
    if organisation is not None:
        qs = qs.filter(class_scope_q(organisation, "training_class__"))
    return qs


def _region_width(region: Region | None) -> int:
    """How many digits of the township code group the region rows: the province's cities,
    a city's counties, a county's (or a township's) townships."""
    if region is None or region.level == RegionLevel.PROVINCE:
        return 4
    if region.level == RegionLevel.CITY:
        return 6
    return 9


def _key(dimension: str, prefix: str, width: int, date_field: str = "end_date"):
    path = f"{prefix}training_class__"
    return {
        "programme": F(f"{path}catalog_entry__program"),
        "region": Substr(f"{path}township__code", 1, width),
        "institution": F(f"{path}organisation_id"),
        "month": ExtractMonth(f"{path}{date_field}"),
    }[dimension]


def _keys(prefix: str, width: int) -> dict:
    """Every dimension's key of a record (the month of its class's end)."""
    return {f"key_{dimension}": _key(dimension, prefix, width) for dimension in DIMENSIONS}


def _group_all(qs: QuerySet, keys: dict, **aggregates) -> list[dict]:
    """``aggregates`` per combination of ``keys`` (name → expression): one query."""
    return list(qs.annotate(**keys).values(*keys).annotate(**aggregates).order_by())


def measure_q(measure: str, start: date, end: date, prefix: str = "") -> Q:
    """The records behind one measure (the list a bar opens)."""
    path = f"{prefix}training_class__"
    if measure == "started":
        return Q(
            **{
                f"{path}status__in": (ClassStatus.RUNNING, ClassStatus.FINISHED),
                f"{path}start_date__range": (start, end),
            }
        )
    if measure == "completed":
        return Q(**{f"{path}status": ClassStatus.FINISHED, f"{path}end_date__range": (start, end)})
    if measure == "certified":
        return Q(**{f"{prefix}attempts__certificate__issue_date__range": (start, end)})
    if measure == "employed":
        return Q(
            **{
                f"{prefix}attempts__certificate__issue_date__range": (start, end),
                f"{prefix}attempts__certificate__referrals__outcome__in": list(CONVERTED),
            }
        )
    if measure == "paid":
        return Q(
            **{f"{path}end_date__range": (start, end)},
            pk__in=PaymentItem.objects.filter(status=PaymentStatus.PAID).values(
                "item__line__enrolment_id"
            ),
        )
    raise ValueError(measure)


def dashboard(
    *,
    actor: Actor,
    year: int,
    as_of: date | None = None,
    line: str = TargetLine.TOTAL,
    from_records: bool = False,
) -> Dashboard:
    """Trainings started, completed (the 人次 counted against targets), certified, employed and
    paid, against target, per programme, region, institution and month, in the actor's scope
    (GA23-TGT-1). Read from the progress summary (``models.ProgressSummary``, kept up to date by
    the services that change the facts): one GROUP BY over its rows, whatever the number of
    records; ``computed_at`` is when the newest of those rows was counted. ``from_records``
    counts the records themselves instead (the definition the summary must equal, for the
    tests and for checking a database). A township centre also gets its rank among the
    county's townships by completion of its share."""
    as_of = as_of or timezone.localdate()
    start, end = _period(year, year, as_of)
    region = actor_region(actor)
    width = _region_width(region)
    organisation = getattr(actor, "organisation", None)
    township_actor = (
        organisation is not None and organisation.kind == OrganisationKind.TOWNSHIP_CENTRE
    )
    if from_records:
        grouped = _grouped_from_records(
            actor=actor, organisation=organisation, line=line, start=start, end=end, width=width
        )
        computed_at = timezone.now()
    else:
        grouped, computed_at = _grouped_from_summary(
            actor=actor, line=line, start=start, end=end, width=width
        )
    if line in (TargetLine.TOTAL, TargetLine.ENTERPRISE, TargetLine.APPRENTICE):
        _add_enterprise_records(grouped, actor=actor, line=line, start=start, end=end)
    rows = _rows(grouped, actor=actor, region=region, year=year, line=line)
    totals = Row(key="", label="")
    for row in rows["programme"]:
        for measure in MEASURES:
            setattr(totals, measure, getattr(totals, measure) + getattr(row, measure))
    target = _region_target(actor=actor, region=region, year=year, line=line)
    totals.target = target.quantity if target else None
    result = Dashboard(
        year=year,
        as_of=as_of,
        line=line,
        computed_at=computed_at,
        region=region,
        totals=totals,
        rows=rows,
    )
    if township_actor:
        ranked = township_ranking(county=region.parent, year=year, as_of=as_of, line=line)
        result.townships_ranked = len(ranked)
        result.own_rank = next((row.rank for row in ranked if row.key == region.code), None)
    return result


def _grouped_from_records(
    *, actor: Actor, organisation, line: str, start: date, end: date, width: int
) -> dict[str, dict[str, dict]]:
    """The dashboard's figures per dimension and key, counted from the records: a fixed number
    of GROUP BY queries over every record of the period in scope (the definition of the
    figures; the dashboards read the summary, ``_grouped_from_summary``)."""
    base = records_in_scope(actor=actor).filter(_line_q(line))
    window = Q(training_class__start_date__range=(start, end)) | Q(
        training_class__end_date__range=(start, end)
    )
    started_q = measure_q("started", start, end)
    completed_q = measure_q("completed", start, end)
    certified_base = base.filter(measure_q("certified", start, end))
    employed_base = base.filter(measure_q("employed", start, end))
    paid_base = PaymentItem.objects.filter(
        measure_q("completed", start, end, "item__line__enrolment__"),
        status=PaymentStatus.PAID,
        item__line__enrolment__in=base.filter(completed_q).values("pk"),
    )
    if organisation is not None:
        # implied by the subquery, stated on the join so the planner starts from the scope's
        # classes rather than from every payment of the province
        paid_base = paid_base.filter(
            class_scope_q(organisation, "item__line__enrolment__training_class__")
        )
    # one GROUP BY per measure over every dimension's key at once (a record's class gives it
    # exactly one key of each), rolled up per dimension here: five queries, not twenty
    grouped: dict[str, dict[str, dict]] = {dimension: {} for dimension in DIMENSIONS}
    counted = _group_all(
        base.filter(window),
        {**_keys("", width), "key_start_month": _key("month", "", width, "start_date")},
        completed=Count("pk", filter=completed_q),
        started=Count("pk", filter=started_q),
    )
    for row in counted:
        for dimension in DIMENSIONS:
            slot = grouped[dimension].setdefault(str(row[f"key_{dimension}"]), {"completed": 0})
            slot["completed"] += row["completed"]
            if dimension != "month":
                slot["started"] = slot.get("started", 0) + row["started"]
        if row["started"]:
            slot = grouped["month"].setdefault(str(row["key_start_month"]), {"completed": 0})
            slot["started"] = slot.get("started", 0) + row["started"]
    for measure, qs, prefix, aggregate in (
        ("certified", certified_base, "", Count("pk", distinct=True)),
        ("employed", employed_base, "", Count("pk", distinct=True)),
        ("paid", paid_base, "item__line__enrolment__", Sum("amount")),
    ):
        for row in _group_all(qs, _keys(prefix, width), **{measure: aggregate}):
            for dimension in DIMENSIONS:
                slot = grouped[dimension].setdefault(str(row[f"key_{dimension}"]), {})
                slot[measure] = (slot.get(measure) or 0) + (row[measure] or 0)
    return grouped


def _summary_line_q(line: str) -> Q:
    if line == TargetLine.SPECIALTY:
        return Q(catalog_entry__is_specialty=True)
    return Q(programme__in=LINE_PROGRAMMES[line])


def summary_in_scope(*, actor: Actor) -> QuerySet[ProgressSummary]:
    """The progress summary's rows whose figures the actor sees: those of the classes of its
    scope, as ``records_in_scope`` (``ProgressSummary`` follows ``class_scope_q``)."""
    return visible(ProgressSummary, actor)


def _grouped_from_summary(
    *, actor: Actor, line: str, start: date, end: date, width: int
) -> tuple[dict[str, dict[str, dict]], datetime]:
    """The dashboard's figures per dimension and key read from the progress summary: one
    GROUP BY over the summary's rows of the period (a row per class and day), rolled up per
    dimension here exactly as ``_grouped_from_records`` rolls up the records. Also the time
    the newest of those rows was counted."""
    summary = summary_in_scope(actor=actor).filter(_summary_line_q(line), day__range=(start, end))
    found = (
        summary.annotate(
            key_programme=F("programme"),
            key_region=Substr("township__code", 1, width),
            key_institution=F("organisation_id"),
            key_month=ExtractMonth("class_end"),
            key_day_month=ExtractMonth("day"),
        )
        .values("key_programme", "key_region", "key_institution", "key_month", "key_day_month")
        .annotate(
            listed=Sum("listed"),
            started=Sum("started"),
            completed=Sum("completed"),
            certified=Sum("certified"),
            employed=Sum("employed"),
            paid=Sum("paid"),
            newest=Max("updated_at"),
        )
        .order_by()
    )
    grouped: dict[str, dict[str, dict]] = {dimension: {} for dimension in DIMENSIONS}
    newest = None
    for row in found:
        newest = row["newest"] if newest is None else max(newest, row["newest"])
        # a class is on the dashboard once it is in the period's window (started or ended in
        # it) or one of its records was certified in it, even before it counts (as the records'
        # GROUP BY lists it)
        if row["listed"] or row["certified"] or row["employed"]:
            for dimension in DIMENSIONS:
                slot = grouped[dimension].setdefault(str(row[f"key_{dimension}"]), {})
                for measure in ("completed", "certified", "employed", "paid"):
                    slot[measure] = slot.get(measure, 0) + row[measure]
                if dimension != "month":
                    slot["started"] = slot.get("started", 0) + row["started"]
        if row["started"]:  # the month a class started in, for the started measure
            slot = grouped["month"].setdefault(str(row["key_day_month"]), {"completed": 0})
            slot["started"] = slot.get("started", 0) + row["started"]
    return grouped, newest or timezone.now()


def _add_enterprise_records(grouped, *, actor, line: str, start: date, end: date) -> None:
    """An apprentice year or a new technician title counts as one completed 人次 of its
    programme (GA23-TGT-1), in the programme and month rows."""
    programmes = LINE_PROGRAMMES[line]
    kinds = [kind for kind, programme in COUNTED_RECORDS.items() if programme in programmes]
    records = visible(EnterpriseRecord, actor).filter(kind__in=kinds, date__range=(start, end))
    for kind, month, n in (
        records.annotate(month=ExtractMonth("date"))
        .values("kind", "month")
        .annotate(n=Count("pk"))
        .values_list("kind", "month", "n")
        .order_by()
    ):
        programme = grouped["programme"].setdefault(COUNTED_RECORDS[kind], {})
        programme["completed"] = programme.get("completed", 0) + n
        programme["started"] = programme.get("started", 0) + n
        by_month = grouped["month"].setdefault(str(month), {})
        by_month["completed"] = by_month.get("completed", 0) + n
        by_month["started"] = by_month.get("started", 0) + n


def _region_target(*, actor, region: Region | None, year: int, line: str) -> Target | None:
    if region is None:
        return None
    county_or_above = region if region.level != RegionLevel.TOWNSHIP else region.parent
    return (
        targets(actor=actor, year=year)
        .filter(region=county_or_above, line=line)
        .order_by("year_to", "pk")
        .first()
    )


def _rows(grouped, *, actor, region, year: int, line: str) -> dict[str, list[Row]]:
    from upskill.catalog.models import PROGRAM_CHOICES

    labels = dict(PROGRAM_CHOICES)
    region_codes = list(grouped["region"])
    region_names = dict(
        Region.objects.filter(code__in=[_full_code(code) for code in region_codes]).values_list(
            "code", "name"
        )
    )
    organisation_names = dict(
        Organisation.objects.filter(
            pk__in=[int(k) for k in grouped["institution"] if k != "None"]
        ).values_list("pk", "name")
    )
    shares = _shares(actor=actor, region=region, year=year, line=line)
    result: dict[str, list[Row]] = {}
    for dimension, counts in grouped.items():
        rows = []
        for key, values in counts.items():
            if dimension == "programme":
                label = str(labels.get(key, key))
                target = None
            elif dimension == "region":
                label = region_names.get(_full_code(key), key)
                target = shares.get(("region", _full_code(key)))
            elif dimension == "institution":
                label = organisation_names.get(int(key), key) if key != "None" else "—"
                target = shares.get(("organisation", key))
            else:
                label = f"{int(key)}月" if key.isdigit() else key
                target = None
            rows.append(
                Row(
                    key=key,
                    label=str(label),
                    target=target,
                    started=values.get("started", 0),
                    completed=values.get("completed", 0),
                    certified=values.get("certified", 0),
                    employed=values.get("employed", 0),
                    paid=values.get("paid") or Decimal("0.00"),
                )
            )
        if dimension == "month":
            rows.sort(key=lambda row: int(row.key) if row.key.isdigit() else 0)
        elif dimension == "programme":
            order = [code for code, _label in PROGRAM_CHOICES]
            rows.sort(key=lambda row: order.index(row.key) if row.key in order else 99)
        else:
            rows.sort(key=lambda row: (-row.completed, row.key))
        result[dimension] = rows
    return result


def _full_code(key: str) -> str:
    """A grouped region key as a region code: a city 4201 → 420100, a county stays, a
    township stays."""
    if len(key) == 4:
        return key + "00"
    return key


def _shares(*, actor, region, year: int, line: str) -> dict[tuple[str, str], int]:
    if region is None:
        return {}
    found: dict[tuple[str, str], int] = {}
    for share in (
        visible(TargetShare, actor)
        .filter(target__line=line, target__year_from__lte=year, target__year_to__gte=year)
        .select_related("region")
    ):
        if share.region_id:
            found[("region", share.region.code)] = share.quantity
        else:
            found[("organisation", str(share.organisation_id))] = share.quantity
    return found


def township_ranking(
    *, county: Region, year: int, as_of: date | None = None, line: str = TargetLine.TOTAL
) -> list[Row]:
    """The county's townships ranked by completion of their share of the line's target (the
    count itself where no share is set), then by township code: the rank a township centre
    sees beside its own figures. Two queries."""
    start, end = _period(year, year, as_of)
    counts = dict(
        _region_summary(county.code[:6])
        .filter(_summary_line_q(line), day__range=(start, end), completed__gt=0)
        .values("township__code")
        .annotate(n=Sum("completed"))
        .values_list("township__code", "n")
        .order_by()
    )
    shares = dict(
        TargetShare.objects.filter(
            target__region=county,
            target__line=line,
            target__year_from__lte=year,
            target__year_to__gte=year,
            region__isnull=False,
        ).values_list("region__code", "quantity")
    )
    townships = Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP).order_by("code")
    rows = [
        Row(
            key=township.code,
            label=township.name,
            target=shares.get(township.code),
            completed=counts.get(township.code, 0),
        )
        for township in townships
    ]
    rows.sort(
        key=lambda row: (
            -(row.rate if row.rate is not None else Decimal(-1)),
            -row.completed,
            row.key,
        )
    )
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


def records_behind(
    *,
    actor: Actor,
    year: int,
    measure: str,
    dimension: str = "",
    key: str = "",
    as_of: date | None = None,
    line: str = TargetLine.TOTAL,
) -> QuerySet[Enrolment]:
    """The enrolments behind one bar of a dashboard (a measure, optionally one key of one
    dimension), in the actor's scope."""
    as_of = as_of or timezone.localdate()
    start, end = _period(year, year, as_of)
    if measure not in MEASURES:
        measure = "completed"
    qs = records_in_scope(actor=actor).filter(_line_q(line), measure_q(measure, start, end))
    if dimension == "programme" and key:
        qs = qs.filter(training_class__catalog_entry__program=key)
    elif dimension == "region" and key:
        qs = qs.filter(training_class__township__code__startswith=key)
    elif dimension == "institution" and key.isdigit():
        qs = qs.filter(training_class__organisation_id=int(key))
    elif dimension == "month" and key.isdigit():
        field_name = "start_date" if measure == "started" else "end_date"
        qs = qs.filter(**{f"training_class__{field_name}__month": int(key)})
    return (
        qs.distinct()
        .select_related(
            "person",
            "training_class__organisation",
            "training_class__township",
            "training_class__catalog_entry__occupation",
        )
        .order_by("training_class__end_date", "training_class_id", "pk")
    )


class RecordsBehind:
    """The records behind a bar as a sequence a ``Paginator`` pages without counting them: the
    count and each class's share come from the progress summary (one query over its rows of
    the bar), a page reads the records of the few classes it covers only (one query), in the
    list's order (the class's end date, the class, the record)."""

    def __init__(self, records: QuerySet[Enrolment], per_class: list[tuple[int, int]]) -> None:
        self.records = records
        self.per_class = per_class
        self.total = sum(n for _class_id, n in per_class)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Enrolment]:
        first, stop, _step = index.indices(self.total)
        if first >= stop:
            return []
        classes, skip, seen = [], 0, 0
        for class_id, n in self.per_class:
            if seen + n > first and seen < stop:
                if not classes:
                    skip = first - seen
                classes.append(class_id)
            seen += n
            if seen >= stop:
                break
        return list(self.records.filter(training_class_id__in=classes)[skip : skip + stop - first])


def records_behind_paged(
    *,
    actor: Actor,
    year: int,
    measure: str,
    dimension: str = "",
    key: str = "",
    as_of: date | None = None,
    line: str = TargetLine.TOTAL,
) -> RecordsBehind:
    """``records_behind`` for the page that lists them: counted and split per class by the
    progress summary, so a page of the province's year reads a few classes' records instead of
    sorting the whole year's."""
    records = records_behind(
        actor=actor,
        year=year,
        measure=measure,
        dimension=dimension,
        key=key,
        as_of=as_of,
        line=line,
    )
    if measure not in MEASURES:
        measure = "completed"
    start, end = _period(year, year, as_of or timezone.localdate())
    figure = "paid_records" if measure == "paid" else measure
    rows = summary_in_scope(actor=actor).filter(
        _summary_line_q(line), day__range=(start, end), **{f"{figure}__gt": 0}
    )
    if dimension == "programme" and key:
        rows = rows.filter(programme=key)
    elif dimension == "region" and key:
        rows = rows.filter(township__code__startswith=key)
    elif dimension == "institution" and key.isdigit():
        rows = rows.filter(organisation_id=int(key))
    elif dimension == "month" and key.isdigit():
        field_name = "day" if measure == "started" else "class_end"
        rows = rows.filter(**{f"{field_name}__month": int(key)})
    per_class = list(
        rows.values("training_class_id", "class_end")
        .annotate(n=Sum(figure))
        .order_by("class_end", "training_class_id")
        .values_list("training_class_id", "n")
    )
    return RecordsBehind(records, per_class)


def key_label(dimension: str, key: str) -> str:
    """A bar's key in words, for the list behind it: a programme's name, a region's, an
    organiser's, a month; never a code."""
    from upskill.catalog.models import PROGRAM_CHOICES

    if dimension == "programme":
        return str(dict(PROGRAM_CHOICES).get(key, key))
    if dimension == "region" and key:
        name = Region.objects.filter(code=_full_code(key)).values_list("name", flat=True).first()
        return name or key
    if dimension == "institution" and key.isdigit():
        name = Organisation.objects.filter(pk=int(key)).values_list("name", flat=True).first()
        return name or key
    if dimension == "month" and key.isdigit():
        return f"{int(key)}月"
    return key


def default_year(*, actor: Actor) -> int:
    """The latest year the actor has a target for, else this year."""
    latest = visible(Target, actor).order_by("-year_to").values_list("year_to", flat=True).first()
    return latest or timezone.localdate().year


def years(*, actor: Actor) -> Iterable[int]:
    found = set(visible(Target, actor).values_list("year_from", flat=True))
    found |= set(visible(Target, actor).values_list("year_to", flat=True))
    found.add(timezone.localdate().year)
    return sorted(found, reverse=True)


def group_by_target(views: list[TargetView]) -> dict[int, list[TargetView]]:
    grouped: dict[int, list[TargetView]] = defaultdict(list)
    for view in views:
        grouped[view.target.year_from].append(view)
    return grouped


# -- evaluations ---------------------------------------------------------------------------

EVALUATION_ITEMS = (
    ("poverty", TargetLine.POVERTY, "evaluation.township_poverty_weight"),
    ("specialty", TargetLine.SPECIALTY, "evaluation.township_specialty_weight"),
)
FLAGGED = 3  # GA23-EVAL-1: the bottom three townships are flagged for the county's notice


@dataclass
class TownshipScore:
    township: Region
    shares: dict[str, int | None]
    done: dict[str, int]
    rates: dict[str, Decimal]
    score: Decimal = Decimal(0)
    rank: int = 0
    flagged: bool = False


@dataclass
class TownshipEvaluation:
    county: Region | None
    year: int
    as_of: date
    computed_at: datetime
    weights: dict[str, Decimal | None]
    rows: list[TownshipScore]

    @property
    def weighted(self) -> bool:
        return all(weight is not None for weight in self.weights.values())


def evaluation_county(actor: Actor) -> Region | None:
    """The county whose townships the actor sees evaluated: a county bureau's (or training
    centre's) own, a township centre's county; none for the others."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return Region.objects.filter(code="421022").first() if actor is SYSTEM else None
    region = organisation.region
    if region.level == RegionLevel.COUNTY and organisation.jurisdiction_prefix:
        return region
    if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
        return region.parent
    return None


def township_evaluation(
    *, actor: Actor, year: int, as_of: date | None = None
) -> TownshipEvaluation:
    """The townships' year-end evaluation (GA23-EVAL-1): each township's completion of its
    share of the poverty-alleviated training target and of the specialty-skill (特色技能)
    training target, combined with the county's weights (parameters
    ``evaluation.township_poverty_weight`` and ``evaluation.township_specialty_weight``);
    ranked by score, ties by the poverty item, then by township code; the bottom three flagged.
    A township centre sees its own row (with its rank). Four queries whatever the number of
    townships."""
    as_of = as_of or timezone.localdate()
    start, end = _period(year, year, as_of)
    county = evaluation_county(actor)
    if county is None:
        return TownshipEvaluation(None, year, as_of, timezone.now(), {}, [])
    params = parameters_in_effect()
    weights: dict[str, Decimal | None] = {}
    for item, _line, parameter in EVALUATION_ITEMS:
        value = params.value(parameter, county.code, date(year, 12, 31))
        weights[item] = None if value is None else Decimal(str(value))
    shares: dict[str, dict[str, int]] = defaultdict(dict)
    for line, code, quantity in TargetShare.objects.filter(
        target__region=county,
        target__line__in=[line for _item, line, _parameter in EVALUATION_ITEMS],
        target__year_from__lte=year,
        target__year_to__gte=year,
        region__isnull=False,
    ).values_list("target__line", "region__code", "quantity"):
        shares[line][code] = quantity
    done_rows = (
        _region_summary(county.code[:6])
        .filter(day__range=(start, end), completed__gt=0)
        .values("township__code")
        .annotate(
            poverty=Sum("completed", filter=_summary_line_q(TargetLine.POVERTY)),
            specialty=Sum("completed", filter=_summary_line_q(TargetLine.SPECIALTY)),
        )
        .order_by()
    )
    done = {
        row["township__code"]: {item: row[item] or 0 for item in ("poverty", "specialty")}
        for row in done_rows
    }
    rows = []
    for township in Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP).order_by(
        "code"
    ):
        counted = done.get(township.code, {})
        row = TownshipScore(township=township, shares={}, done={}, rates={})
        for item, line, _parameter in EVALUATION_ITEMS:
            share = shares[line].get(township.code)
            row.shares[item] = share
            row.done[item] = counted.get(item, 0)
            row.rates[item] = (
                (Decimal(row.done[item]) / Decimal(share) * 100).quantize(Decimal("0.1"))
                if share
                else Decimal(0)
            )
        row.score = sum(
            (row.rates[item] * (weights[item] or Decimal(0)) for item in row.rates),
            Decimal(0),
        ).quantize(Decimal("0.01"))
        rows.append(row)
    rows.sort(key=lambda row: (-row.score, -row.rates["poverty"], row.township.code))
    for position, row in enumerate(rows, start=1):
        row.rank = position
        row.flagged = position > len(rows) - FLAGGED
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
        rows = [row for row in rows if row.township.pk == organisation.region_id]
    return TownshipEvaluation(county, year, as_of, timezone.now(), weights, rows)


# -- the flat statistics export ------------------------------------------------------------


def statistics_rows(*, actor: Actor, year: int, as_of: date | None = None) -> QuerySet:
    """One row per training record (enrolment) of classes started or ended in ``year`` up to
    ``as_of``, in the actor's scope, with its certificate and the amounts approved and paid
    (two correlated sums: one query whatever the number of rows). No person identity: the
    columns are those of docs/reports.md."""
    start, end = _period(year, year, as_of)
    approved = (
        ClaimLine.objects.filter(enrolment=OuterRef("pk"), decision=Decision.APPROVED)
        .values("enrolment")
        .annotate(total=Sum("total"))
        .values("total")
    )
    paid = (
        PaymentItem.objects.filter(item__line__enrolment=OuterRef("pk"), status=PaymentStatus.PAID)
        .values("item__line__enrolment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    certificate = Certificate.objects.filter(attempt__enrolment=OuterRef("pk")).values("serial")[:1]
    return (
        visible(Enrolment, actor)
        .filter(
            Q(training_class__start_date__range=(start, end))
            | Q(training_class__end_date__range=(start, end))
        )
        .annotate(
            approved=Subquery(approved),
            paid=Subquery(paid),
            certificate_serial=Subquery(certificate),
        )
        .select_related(
            "training_class__township__parent",
            "training_class__organisation",
            "training_class__catalog_entry__occupation",
        )
        .order_by("training_class__start_date", "training_class_id", "pk")
    )


def dimension_titles() -> dict[str, str]:
    """The dashboard's breakdowns, as the pages and the reports upward title them."""
    return {
        "programme": _("By programme"),
        "region": _("By region"),
        "institution": _("By organiser"),
        "month": _("By month"),
    }


def measure_labels() -> dict[str, str]:
    """The dashboard's measures (the target beside what is counted against it)."""
    return {
        "target": _("Target"),
        "started": _("Started"),
        "completed": _("Completed"),
        "certified": _("Certified"),
        "employed": _("Employed"),
        "paid": _("Paid (yuan)"),
    }


# -- reports upward (HB45-RPT-1) and the reimbursement request (HB61 五) --------------------


def upward_reports(*, actor: Actor) -> QuerySet[UpwardReport]:
    """The generated reports upward the actor sees (a bureau: those of its jurisdiction)."""
    return visible(UpwardReport, actor).select_related(
        "region", "organisation", "requested_by", "job"
    )


def upward_waiting(*, actor: Actor) -> QuerySet[UpwardReport]:
    """Reports the actor asked for that are generated and not yet downloaded, to be sent up
    (its home queue)."""
    return upward_reports(actor=actor).filter(
        requested_by=actor, generated_at__isnull=False, downloaded_at__isnull=True
    )


def may_generate_upward(*, actor: Actor) -> bool:
    """A bureau (province, city or county) with the permission generates its reports upward."""
    if actor is SYSTEM:
        return True
    organisation = getattr(actor, "organisation", None)
    return bool(
        organisation is not None and organisation.jurisdiction_prefix and actor.has_perm(ADD_UPWARD)
    )


def upward_default_as_of(kind: str, year: int) -> date:
    """The as-of date a report is usually made for: the plan at the start of the year, the
    half-year report at 30 June, the summary and the reimbursement request at the year's end."""
    if kind == UpwardKind.PLAN:
        return date(year, 1, 1)
    if kind == UpwardKind.HALF_YEAR:
        return date(year, 6, 30)
    return date(year, 12, 31)


@dataclass
class UpwardFigures:
    """The figures of a plan, half-year report or year-end summary (HB45-RPT-1): the region's
    targets of the year with what counts against them and their split, and the progress per
    programme, region, organiser and month (the dashboard's own GROUP BY selectors)."""

    kind: str
    year: int
    as_of: date
    region: Region
    computed_at: datetime
    targets: list[TargetView]
    board: Dashboard


def upward_figures(*, actor: Actor, kind: str, year: int, as_of: date) -> UpwardFigures:
    """Counted from the records as of ``as_of``, in the actor's scope, with the same selectors
    as the dashboards (``target_view``, ``dashboard``): a fixed number of aggregate queries
    whatever the number of records."""
    region = actor_region(actor)
    order = list(TargetLine.values)
    found = sorted(
        targets(actor=actor, year=year).filter(region=region),
        key=lambda target: (target.parent_id is not None, order.index(target.line), target.pk),
    )
    views = [target_view(actor=actor, target=target, as_of=as_of) for target in found]
    board = dashboard(actor=actor, year=year, as_of=as_of, line=TargetLine.TOTAL)
    return UpwardFigures(
        kind=kind,
        year=year,
        as_of=as_of,
        region=region,
        computed_at=timezone.now(),
        targets=views,
        board=board,
    )


@dataclass
class AdvancedRow:
    """One provincially insured enterprise's subsidies advanced locally (HB61 五)."""

    enterprise: Organisation
    county: str
    persons: int = 0
    approved: Decimal = Decimal("0.00")
    advanced: Decimal = Decimal("0.00")
    rules: list[tuple[str, int, Decimal]] = field(default_factory=list)


@dataclass
class ReimbursementFigures:
    year: int
    as_of: date
    region: Region
    computed_at: datetime
    rows: list[AdvancedRow]

    @property
    def persons(self) -> int:
        return sum(row.persons for row in self.rows)

    @property
    def approved(self) -> Decimal:
        return sum((row.approved for row in self.rows), Decimal("0.00"))

    @property
    def advanced(self) -> Decimal:
        return sum((row.advanced for row in self.rows), Decimal("0.00"))


def reimbursement_figures(*, actor: Actor, year: int, as_of: date) -> ReimbursementFigures:
    """HB61 五: the enterprises of the actor's jurisdiction that pay unemployment insurance to
    the province directly (``Organisation.unemployment_insured_at_province``) trained their
    employees under plans filed here; the local finance advanced the subsidies, which the
    province reimburses from its skills-upgrading account on the bureau's request. Per
    enterprise: the persons trained, the amounts approved on its enterprise claims of ``year``
    (by the opening of their public notice) and the amounts actually paid out to it up to ``as_of``
    (the ledger's disbursements, less reversals), with the breakdown by rule. Three GROUP BY
    queries."""
    region = actor_region(actor)
    prefix = _area_prefix(region)
    insured = {
        "claim_line__claim__kind": ClaimKind.ENTERPRISE,
        "claim_line__claim__period_year": year,
        "claim_line__claim__county__code__startswith": prefix,
        "organisation__unemployment_insured_at_province": True,
    }
    disbursed = visible(LedgerEntry, actor).filter(
        account=Account.DISBURSED, at__date__lte=as_of, **insured
    )
    approved = dict(
        visible(ClaimItem, actor)
        .filter(
            line__decision=Decision.APPROVED,
            line__claim__kind=ClaimKind.ENTERPRISE,
            line__claim__period_year=year,
            line__claim__county__code__startswith=prefix,
            line__claim__notice_from__lte=as_of,  # approved: its public notice opened
            payee_organisation__unemployment_insured_at_province=True,
        )
        .values("payee_organisation_id")
        .annotate(total=Sum("amount"))
        .values_list("payee_organisation_id", "total")
        .order_by()
    )
    totals = {
        row["organisation_id"]: row
        for row in disbursed.values("organisation_id")
        .annotate(advanced=Sum("amount"), persons=Count("claim_line__person", distinct=True))
        .order_by()
    }
    by_rule: dict[int, list[tuple[str, int, Decimal]]] = defaultdict(list)
    for organisation_id, rule, persons, amount in (
        disbursed.values("organisation_id", "rule")
        .annotate(persons=Count("claim_line__person", distinct=True), advanced=Sum("amount"))
        .values_list("organisation_id", "rule", "persons", "advanced")
        .order_by("organisation_id", "rule")
    ):
        by_rule[organisation_id].append((rule, persons, amount))
    enterprises = Organisation.objects.filter(pk__in=set(totals) | set(approved)).select_related(
        "region"
    )
    county_names = dict(
        Region.objects.filter(
            code__in={enterprise.region.code[:6] for enterprise in enterprises}
        ).values_list("code", "name")
    )
    rows = [
        AdvancedRow(
            enterprise=enterprise,
            county=county_names.get(enterprise.region.code[:6], ""),
            persons=totals.get(enterprise.pk, {}).get("persons", 0),
            approved=approved.get(enterprise.pk) or Decimal("0.00"),
            advanced=totals.get(enterprise.pk, {}).get("advanced") or Decimal("0.00"),
            rules=by_rule.get(enterprise.pk, []),
        )
        for enterprise in enterprises
    ]
    rows.sort(key=lambda row: (row.enterprise.region.code, row.enterprise.name))
    return ReimbursementFigures(
        year=year, as_of=as_of, region=region, computed_at=timezone.now(), rows=rows
    )


# -- institution performance (GA23 六(三), GA23-SPT-1) ---------------------------------------

# Each item of the designated institutions' performance evaluation: its key, the rule it rests
# on, and the parameter holding its weight. The first five are rates (0–100, higher is better;
# the spot-check item is 100 minus the failure rate); the last two deduct points per case.
INSTITUTION_RATE_ITEMS = (
    ("completion", "GA23-TGT-1", "evaluation.institution_completion_weight"),
    ("pass_rate", "GA23-CRT-1", "evaluation.institution_pass_weight"),
    ("employment", "GA23-EMP-1", "evaluation.institution_employment_weight"),
    ("spot_checks", "GA23-SPT-1", "evaluation.institution_spot_check_weight"),
    ("compliance", "GA23-INS-1", "evaluation.institution_compliance_weight"),
)
INSTITUTION_PENALTY_ITEMS = (
    ("sanctions", "GA23-SPT-1", "evaluation.institution_sanction_points"),
    ("objections", "HB45-PUB-1", "evaluation.institution_objection_points"),
)
# GA23-INS-1: the three inspections every class gets (opening, during, closing)
REQUIRED_INSPECTIONS = ("opening", "during", "closing")
HUNDRED = Decimal(100)


@dataclass
class InstitutionScore:
    organisation: Organisation
    share: int | None = None  # its share of the county's employment target
    completed: int = 0
    examined: int = 0
    passed: int = 0
    certified: int = 0
    employed: int = 0
    sampled: int = 0
    failed: int = 0
    classes: int = 0
    compliant_classes: int = 0
    sanctions: int = 0
    objections: int = 0
    rates: dict[str, Decimal | None] = field(default_factory=dict)
    score: Decimal = Decimal(0)
    rank: int = 0

    @property
    def spot_failure_rate(self) -> Decimal | None:
        return _rate(self.failed, self.sampled)


@dataclass
class InstitutionEvaluation:
    county: Region | None
    year: int
    as_of: date
    computed_at: datetime
    weights: dict[str, Decimal | None]
    rows: list[InstitutionScore]
    ranked: int = 0  # how many institutions the ranking holds (an institution sees its row)

    @property
    def weighted(self) -> bool:
        return all(weight is not None for weight in self.weights.values())


def institution_evaluation_county(actor: Actor) -> Region | None:
    """The county whose designated institutions the actor sees evaluated: a county bureau's
    (or training centre's) own; an institution's county (its own row); none for the others."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return Region.objects.filter(code="421022").first() if actor is SYSTEM else None
    region = organisation.region
    if region.level == RegionLevel.COUNTY and organisation.jurisdiction_prefix:
        return region
    if organisation.kind == OrganisationKind.INSTITUTION:
        return Region.objects.filter(code=region.code[:6], level=RegionLevel.COUNTY).first()
    return None


def institution_evaluation(
    *, actor: Actor, year: int, as_of: date | None = None
) -> InstitutionEvaluation:
    """The designated institutions' performance evaluation (GA23 六(三)): for each active
    institution of the county, counted from the records of the year up to ``as_of``:

    - completion (GA23-TGT-1): finished 人次 of its employment-line classes against its share
      of the county's employment target (capped at 100 %);
    - pass rate (GA23-CRT-1): trainees who passed among those examined;
    - employment conversion (GA23-EMP-1): certificates whose referral ended in a job or
      self-employment among the certificates issued;
    - spot checks (GA23-SPT-1): 100 minus the failure rate of its closed spot checks (no
      spot check: nothing failed);
    - compliance (GA23-INS-1): finished classes with the opening, during and closing
      inspections recorded;
    - sanctions (GA23-SPT-1, HB45-BLK-1: of its spot checks of the year, or issued in the
      year) and objections upheld (HB45-PUB-1: of its claims noticed in the year), each
      deducting the county's points.

    The rates are combined with the county's weights (``evaluation.institution_*``
    parameters), ranked by score, ties by completion then by name. An institution sees its own
    row with its rank. A fixed number of queries whatever the number of institutions."""
    as_of = as_of or timezone.localdate()
    start, end = _period(year, year, as_of)
    county = institution_evaluation_county(actor)
    if county is None:
        return InstitutionEvaluation(None, year, as_of, timezone.now(), {}, [])
    params = parameters_in_effect()
    weights: dict[str, Decimal | None] = {}
    for item, _rule, parameter in INSTITUTION_RATE_ITEMS + INSTITUTION_PENALTY_ITEMS:
        value = params.value(parameter, county.code, date(year, 12, 31))
        weights[item] = None if value is None else Decimal(str(value))
    institutions = list(
        Organisation.objects.filter(
            kind=OrganisationKind.INSTITUTION,
            region__code__startswith=county.code[:6],
            is_active=True,
        ).order_by("name", "pk")
    )
    rows = {o.pk: InstitutionScore(organisation=o) for o in institutions}
    ids = list(rows)
    for organisation_id, quantity in TargetShare.objects.filter(
        target__region=county,
        target__line=TargetLine.EMPLOYMENT,
        target__year_from__lte=year,
        target__year_to__gte=year,
        organisation_id__in=ids,
    ).values_list("organisation_id", "quantity"):
        rows[organisation_id].share = quantity
    finished = measure_q("completed", start, end)
    issued = Q(attempts__certificate__issue_date__range=(start, end))
    for row in (
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED, training_class__organisation_id__in=ids
        )
        .values("training_class__organisation_id")
        .annotate(
            completed=Count("pk", filter=finished & _line_q(TargetLine.EMPLOYMENT), distinct=True),
            examined=Count(
                "pk",
                filter=finished & Q(attempts__result__in=("passed", "failed", "absent")),
                distinct=True,
            ),
            passed=Count("pk", filter=finished & Q(attempts__result="passed"), distinct=True),
            certified=Count("attempts__certificate", filter=issued, distinct=True),
            employed=Count(
                "attempts__certificate",
                filter=issued & Q(attempts__certificate__referrals__outcome__in=list(CONVERTED)),
                distinct=True,
            ),
        )
        .order_by()
    ):
        score = rows[row.pop("training_class__organisation_id")]
        for name, value in row.items():
            setattr(score, name, value)
    checked = (
        spot_checks_of(actor=SYSTEM)
        .filter(organisation_id__in=ids, closed_at__isnull=False, drawn_on__range=(start, end))
        .values("organisation_id")
        .annotate(
            sampled=Count(
                "items", filter=Q(items__result__in=(SpotResult.VERIFIED, SpotResult.FAILED))
            ),
            failed=Count("items", filter=Q(items__result=SpotResult.FAILED)),
        )
        .order_by()
    )
    for row in checked:
        rows[row["organisation_id"]].sampled = row["sampled"]
        rows[row["organisation_id"]].failed = row["failed"]
    finished_classes = TrainingClass.objects.filter(
        organisation_id__in=ids, status=ClassStatus.FINISHED, end_date__range=(start, end)
    )
    for organisation_id, n in (
        finished_classes.values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
        .order_by()
    ):
        rows[organisation_id].classes = n
    for row in (
        Inspection.objects.filter(
            training_class__in=finished_classes,
            status=InspectionStatus.DONE,
            kind__in=REQUIRED_INSPECTIONS,
        )
        .values("training_class_id", "training_class__organisation_id")
        .annotate(kinds=Count("kind", distinct=True))
        .order_by()
    ):
        if row["kinds"] == len(REQUIRED_INSPECTIONS):
            rows[row["training_class__organisation_id"]].compliant_classes += 1
    for organisation_id, n in (
        sanctions_of(actor=SYSTEM)
        .filter(
            # a spot check's sanction belongs to the year of the check, any other to its date
            Q(spot_check__drawn_on__range=(start, end))
            | Q(spot_check__isnull=True, valid_from__range=(start, end)),
            organisation_id__in=ids,
        )
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
        .order_by()
    ):
        rows[organisation_id].sanctions = n
    for organisation_id, n in (
        Objection.objects.filter(
            claim__claimant_id__in=ids,
            status=ObjectionStatus.UPHELD,
            claim__notice_from__range=(start, end),
        )
        .values("claim__claimant_id")
        .annotate(n=Count("pk"))
        .values_list("claim__claimant_id", "n")
        .order_by()
    ):
        rows[organisation_id].objections = n
    for row in rows.values():
        completion = _rate(row.completed, row.share)
        row.rates = {
            "completion": min(completion, HUNDRED) if completion is not None else None,
            "pass_rate": _rate(row.passed, row.examined),
            "employment": _rate(row.employed, row.certified),
            "spot_checks": HUNDRED - (row.spot_failure_rate or Decimal(0)),
            "compliance": _rate(row.compliant_classes, row.classes),
        }
        score = sum(
            (
                (row.rates[item] or Decimal(0)) * (weights[item] or Decimal(0))
                for item, _rule, _parameter in INSTITUTION_RATE_ITEMS
            ),
            Decimal(0),
        )
        score -= (weights["sanctions"] or Decimal(0)) * row.sanctions
        score -= (weights["objections"] or Decimal(0)) * row.objections
        row.score = score.quantize(Decimal("0.01"))
    ranked = sorted(
        rows.values(),
        key=lambda row: (
            -row.score,
            -(row.rates["completion"] or Decimal(0)),
            row.organisation.name,
            row.organisation.pk,
        ),
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.kind == OrganisationKind.INSTITUTION:
        ranked = [row for row in ranked if row.organisation.pk == organisation.pk]
    return InstitutionEvaluation(
        county, year, as_of, timezone.now(), weights, ranked, ranked=len(rows)
    )
