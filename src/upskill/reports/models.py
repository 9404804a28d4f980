"""Yearly training targets and their split (GA23-TGT-1, HB45-TGT-1).

A target is a number of 人次 for a region, a span of years and a line of training (the
programmes that count towards it, ``LINE_PROGRAMMES``). A bureau splits it across townships
and institutions (a county) or across cities (the province): the split is kept as a draft,
with its difference shown, until its shares add up to the target; only then may it be
confirmed. Progress is never typed: it is counted from the records (``selectors``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region


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
