"""Yearly training targets and their split (GA23-TGT-1, HB45-TGT-1).

A target is a number of 人次 for a region, a span of years and a line of training (the
programmes that count towards it, ``LINE_PROGRAMMES``). A bureau splits it across townships
and institutions (a county) or across cities (the province): the split is kept as a draft,
with its difference shown, until its shares add up to the target; only then may it be
confirmed. Progress is never typed: it is counted from the records (``selectors``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.training.models import TrainingClass, class_scope_q


class TargetLine(models.TextChoices):
    TOTAL = "total", _("All subsidised training")
    EMPLOYMENT = "employment", _("Employment and entrepreneurship training")
    POVERTY = "poverty", _("Training of poverty-alleviated labour")
    SPECIALTY = "specialty", _("Specialty-skill training")
    ENTERPRISE = "enterprise", _("Enterprise post-skill training")
    APPRENTICE = "apprentice", _("New apprenticeship")


# GA23-TGT-1 / HB45-TGT-1: the programmes (catalog.PROGRAM_CHOICES) whose finished records
# count towards a line. An apprentice year and a new technician title (enterprise records)
# count as one each towards the enterprise line (and the apprentice year towards the
# apprentice line). The specialty line counts the catalogue's 特色技能 projects.
LINE_PROGRAMMES: dict[str, tuple[str, ...]] = {
    TargetLine.TOTAL: (
        "employment",
        "poverty",
        "post_skill",
        "pre_job",
        "online_skill_level",
        "work_for_training",
        "competition",
        "new_technician",
        "new_apprentice",
    ),
    TargetLine.EMPLOYMENT: ("employment", "poverty"),
    TargetLine.POVERTY: ("poverty",),
    TargetLine.SPECIALTY: (),
    TargetLine.ENTERPRISE: (
        "post_skill",
        "pre_job",
        "online_skill_level",
        "work_for_training",
        "new_technician",
        "new_apprentice",
    ),
    TargetLine.APPRENTICE: ("new_apprentice",),
}


class SplitStatus(models.TextChoices):
    NONE = "none", _("Not split")
    DRAFT = "draft", _("Split in draft")
    CONFIRMED = "confirmed", _("Split confirmed")


def _region_q(organisation: Organisation, prefix: str = "") -> Q:
    """The targets of a bureau's jurisdiction and of the regions above it (a county sees the
    province's figures); an institution or a township centre: those of its county."""
    code = organisation.region.code
    field = f"{prefix}region__code"
    above = Q(**{f"{field}__in": [code[:2] + "0000", code[:4] + "00", code[:6]]})
    jurisdiction = organisation.jurisdiction_prefix
    if jurisdiction:
        return Q(**{f"{field}__startswith": jurisdiction}) | above
    return Q(**{field: code[:6]})


class TargetQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the targets of its jurisdiction and those of the regions above it; a
        township centre or an institution: its county's targets (its own share only, see the
        shares); anyone else: none."""
        if organisation.jurisdiction_prefix or organisation.kind in (
            OrganisationKind.TOWNSHIP_CENTRE,
            OrganisationKind.INSTITUTION,
        ):
            return self.filter(_region_q(organisation))
        return self.none()


class Target(models.Model):
    """A yearly (or multi-year) target of a region for one line of training (GA23-TGT-1,
    HB45-TGT-1), possibly part of a wider one (``parent``: "of which")."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    line = models.CharField(_("line of training"), max_length=16, choices=TargetLine.choices)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    quantity = models.PositiveIntegerField(_("target (person-times)"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("part of"),
    )
    document = models.CharField(_("document"), max_length=128, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    split_status = models.CharField(
        _("split"), max_length=16, choices=SplitStatus.choices, default=SplitStatus.NONE
    )
    set_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TargetQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-year_from", "region__code", "line", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        permissions = [
            ("view_dashboard", _("Can see the progress dashboards and evaluations")),
            ("split_target", _("Can split and confirm a target")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "line", "year_from", "year_to"], name="target_unique"
            ),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="target_years"
            ),
        ]

    def __str__(self) -> str:
        years = (
            str(self.year_from)
            if self.year_from == self.year_to
            else f"{self.year_from}–{self.year_to}"
        )
        return f"{self.region} {years} {self.get_line_display()} {self.quantity}"

    @property
    def programmes(self) -> tuple[str, ...]:
        return LINE_PROGRAMMES[self.line]


class TargetShareQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the shares of the targets it sees; a township centre: its township's
        shares; an institution: its own shares; anyone else: none."""
        if organisation.jurisdiction_prefix:
            return self.filter(_region_q(organisation, "target__"))
        if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
            return self.filter(region_id=organisation.region_id)
        if organisation.kind == OrganisationKind.INSTITUTION:
            return self.filter(organisation=organisation)
        return self.none()


class TargetShare(models.Model):
    """One share of a target's split: a township's or a city's (``region``) or an
    institution's (``organisation``)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="shares")
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("township or city"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    quantity = models.PositiveIntegerField(_("share (person-times)"))

    objects = TargetShareQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["target", "region__code", "organisation__name", "pk"]
        verbose_name = _("target share")
        verbose_name_plural = _("target shares")
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(organisation__isnull=True))
                | (Q(region__isnull=True) & Q(organisation__isnull=False)),
                name="targetshare_one_holder",
            ),
            models.UniqueConstraint(
                fields=["target", "region"],
                condition=Q(region__isnull=False),
                name="targetshare_unique_region",
            ),
            models.UniqueConstraint(
                fields=["target", "organisation"],
                condition=Q(organisation__isnull=False),
                name="targetshare_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or self.organisation}: {self.quantity}"

    @property
    def holder(self):
        return self.region or self.organisation


class UpwardKind(models.TextChoices):
    """The reports a bureau sends up (HB45-RPT-1, HB45 五(三): 年初报计划、半年报进度、年终报
    总结) and the request to reimburse advanced enterprise subsidies (HB61 五)."""

    PLAN = "plan", _("Start-of-year plan")
    HALF_YEAR = "half_year", _("Half-year progress report")
    YEAR_END = "year_end", _("Year-end summary")
    REIMBURSEMENT = "reimbursement", _("Request to reimburse advanced enterprise subsidies")


class UpwardReportQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the reports of its jurisdiction (its own, and those its cities or counties
        generated for it to read); anyone else: none."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(region__code__startswith=prefix)
        return self.none()


class UpwardReport(models.Model):
    """One generated report upward (HB45-RPT-1) or reimbursement request (HB61 五): kept with
    its as-of date, its scope (the region of the bureau that asked) and who asked; its Excel
    and PDF files are written by a background job (``tasks.upward_report_task``) and can be
    downloaded again. The figures are counted from the records when it is generated."""

    kind = models.CharField(_("report"), max_length=16, choices=UpwardKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("scope")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked by"),
    )
    job = models.ForeignKey(
        "core.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("background job"),
    )
    xlsx = models.CharField(_("Excel file"), max_length=255, blank=True)
    pdf = models.CharField(_("PDF file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    # first downloaded: until then the report waits in its asker's home queue
    downloaded_at = models.DateTimeField(_("first downloaded"), null=True, blank=True)

    objects = UpwardReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report upward")
        verbose_name_plural = _("reports upward")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UpwardKind.values), name="upwardreport_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_kind_display()} ({self.as_of:%Y-%m-%d})"

    @property
    def ready(self) -> bool:
        return bool(self.xlsx and self.pdf)


class ProgressSummaryQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the class (``training.models.class_scope_q``): a bureau the classes of its
        jurisdiction, a township centre those held in its township, an institution or
        enterprise its own; anyone else: none."""
        return self.filter(class_scope_q(organisation))


class ProgressSummary(models.Model):
    """The dashboards' figures of one class on one day (issue 18: aggregates kept up to date
    incrementally), so a province's dashboard reads tens of thousands of rows instead of
    aggregating every record of its year. Kept in the same transaction by the services that
    change the facts (the ``class.figures_changed`` and ``certificate.issued`` hooks,
    ``services.summary_refresh``); ``upskill reports rebuild-summary`` recounts them all.

    A class has a row on its start day (``started``: its enrolled records when it is running or
    finished), on its end day (``completed`` when finished, ``paid``: the amounts paid for its
    records) and on the day of each record's first certificate of a year (``certified``,
    ``employed``: once per record and year, so a sum over any part of a year counts each record
    once, as the dashboard's distinct count does). ``listed`` (its enrolled records) on its
    start and end days says the class is in a period's window even before it counts. The
    class's programme, township and organiser are copied so the dashboards group without
    joining the records; a class's month on the dashboard is that of ``class_end`` (of
    ``day`` for ``started``)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="+", verbose_name=_("class")
    )
    day = models.DateField(_("day"))
    class_end = models.DateField(_("end date"))
    programme = models.CharField(_("programme"), max_length=32)
    catalog_entry = models.ForeignKey(
        "catalog.CatalogEntry", on_delete=models.CASCADE, related_name="+"
    )
    township = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    listed = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)
    employed = models.PositiveIntegerField(default=0)
    paid = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # the records with money paid (the list behind the paid bar counts records, not yuan)
    paid_records = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"))

    objects = ProgressSummaryQuerySet.as_manager()

    class Meta:
        ordering = ["day", "training_class"]
        verbose_name = _("progress summary row")
        verbose_name_plural = _("progress summary")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "day"], name="progresssummary_unique_day"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="progresssummary_day")]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.day:%Y-%m-%d}"
