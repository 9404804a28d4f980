"""Catalogues published by year and version (HB45-CAT-1).

A catalogue belongs to a region (the province, or a city/county that publishes its own), a year
and a version. It is edited as a draft, then published; a mid-year adjustment is a *new version*
that starts as a copy of the previous one, so what was in force before stays readable.

Catalogues are public reference data: every organisation sees every catalogue, and the public
(no log-in) sees the published ones. Writing needs a permission (bureau or provincial
administrators) and a region in the writer's jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill import policy
from upskill.core.history import audit_history
from upskill.core.scoping import SYSTEM, ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region

ADD_CATALOG = "catalog.add_catalog"
CHANGE_CATALOG = "catalog.change_catalog"
PUBLISH_CATALOG = "catalog.publish_catalog"


class PublicQuerySet(ScopedQuerySet):
    """Reference data: all rows for every organisation; the published ones for the public.

    ``catalog_path`` is the lookup from the model to its :class:`Catalog` ("" for Catalog)."""

    catalog_path = "catalog__"

    def scope_for(self, organisation: Organisation):
        """Catalogues and what they list: every organisation (public reference data, HB45-CAT-1);
        the catalogue selectors show drafts only to those who edit catalogues."""
        return self.all()  # public reference data (HB45-CAT-1)

    def scope_for_person(self, person):
        """The published versions, as the public."""
        return self.published()

    def published(self):
        return self.filter(**{f"{self.catalog_path}published_at__isnull": False})

    def visible_to(self, actor):
        if actor is SYSTEM or (
            getattr(actor, "is_superuser", False) and getattr(actor, "is_authenticated", False)
        ):
            return self.all()
        organisation = (
            getattr(actor, "organisation", None)
            if getattr(actor, "is_authenticated", False)
            else None
        )
        if organisation is None or not organisation.is_active:
            # the public, a learner, a user of no organisation: published versions only
            return self.published()
        return self.scope_for(organisation)


class CatalogKind(models.TextChoices):
    OCCUPATIONS = "occupations", _("Occupations")
    PROJECTS = "projects", _("Subsidised training projects")
    INSTITUTIONS = "institutions", _("Designated training institutions")
    EVALUATION = "evaluation", _("Skill evaluation institutions")
    PLATFORMS = "platforms", _("Online training platforms")


class CatalogQuerySet(PublicQuerySet):
    catalog_path = ""


class Catalog(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=CatalogKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200, blank=True)
    document = models.CharField(_("document number"), max_length=128, blank=True)
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("previous version"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("publisher"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CatalogQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-year", "region__code", "kind", "-version"]
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        permissions = [("publish_catalog", _("Can publish a catalogue version"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "year", "version"], name="catalog_unique_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="catalog_version_positive"),
            # one draft at a time per catalogue (catalog_new_version refuses a second one)
            models.UniqueConstraint(
                fields=["kind", "region", "year"],
                condition=Q(published_at__isnull=True),
                name="catalog_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.region} {self.year} {self.get_kind_display()} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class OccupationLevel(models.IntegerChoices):
    # National vocational qualification levels: 5 is the lowest.
    ONE = 1, _("Level 1 (senior technician)")
    TWO = 2, _("Level 2 (technician)")
    THREE = 3, _("Level 3 (senior)")
    FOUR = 4, _("Level 4 (intermediate)")
    FIVE = 5, _("Level 5 (elementary)")


class OccupationQuerySet(PublicQuerySet):
    pass


class Occupation(models.Model):
    """An occupation (工种) at a level in an occupation catalogue, with its catalogue price of
    training and examination per person and certificate (WH20-FEE-1)."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="occupations", verbose_name=_("catalogue")
    )
    name = models.CharField(_("occupation"), max_length=64, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    category = models.CharField(_("occupation family"), max_length=64, blank=True)
    price = models.DecimalField(
        _("catalogue price"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Training and examination per person and certificate (WH20-FEE-1)."),
    )
    exam_fee = models.DecimalField(
        _("examination fee"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    objects = OccupationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["catalog", "category", "name", "-level"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "name", "level"], name="occupation_unique_level"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5), name="occupation_level_range"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="occupation_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"


class CatalogEntryQuerySet(PublicQuerySet):
    def active(self):
        return self.filter(is_active=True)


PROGRAM_CHOICES = [
    ("employment", _("Employment skills training")),
    ("poverty", _("Training of poverty-alleviated labour")),
    ("post_skill", _("On-the-job skills upgrading")),
    ("pre_job", _("Pre-job training")),
    ("online_skill_level", _("Online skill-level training")),
    ("work_for_training", _("Work-for-training")),
    ("competition", _("Skills competition")),
    ("new_technician", _("New eight-grade technician")),
    ("new_apprentice", _("New apprenticeship")),
]
assert [code for code, _label in PROGRAM_CHOICES] == list(policy.PROGRAMS)


class CatalogEntry(models.Model):
    """A subsidised training project (补贴性培训项目目录): an occupation and level taught under a
    programme, its standard class hours, and the policy parameter that gives its subsidy."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="entries", verbose_name=_("catalogue")
    )
    program = models.CharField(_("programme"), max_length=32, choices=PROGRAM_CHOICES)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="entries", verbose_name=_("occupation")
    )
    standard_hours = models.DecimalField(_("standard class hours"), max_digits=6, decimal_places=1)
    min_practical_share = models.DecimalField(
        _("minimum practical share"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Blank: the policy parameter practice.min_share in force (GA23-HRS-1)."),
    )
    subsidy_parameter = models.CharField(
        _("subsidy parameter"), max_length=128, default="training_subsidy.standard"
    )
    # GA23-EVAL-1: a 特色技能 (specialty-skill) project; its trainings are the second item of
    # the townships' year-end evaluation.
    is_specialty = models.BooleanField(_("specialty-skill project"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CatalogEntryQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["catalog", "program", "occupation__name", "-occupation__level"]
        verbose_name = _("training project")
        verbose_name_plural = _("training projects")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "program", "occupation"], name="catalogentry_unique"
            ),
            models.CheckConstraint(
                condition=Q(standard_hours__gt=0), name="catalogentry_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_practical_share__isnull=True)
                | (Q(min_practical_share__gte=0) & Q(min_practical_share__lte=1)),
                name="catalogentry_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} · {self.get_program_display()}"


class DesignatedInstitutionQuerySet(PublicQuerySet):
    pass


class DesignatedInstitution(models.Model):
    """A training institution designated in a catalogue for some occupations."""

    catalog = models.ForeignKey(
        Catalog,
        on_delete=models.CASCADE,
        related_name="institutions",
        verbose_name=_("catalogue"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="designations",
        limit_choices_to={"kind": OrganisationKind.INSTITUTION},
        verbose_name=_("institution"),
    )
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="+", verbose_name=_("occupations")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = DesignatedInstitutionQuerySet.as_manager()
    history = audit_history(m2m_fields=[occupations])

    class Meta:
        ordering = ["catalog", "organisation__name"]
        verbose_name = _("designated institution")
        verbose_name_plural = _("designated institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "organisation"], name="designatedinstitution_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="designatedinstitution_period",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class EvaluationInstitutionQuerySet(PublicQuerySet):
    pass


class EvaluationInstitution(models.Model):
    """A skill evaluation (assessment) institution and the occupations it may assess."""

    catalog = models.ForeignKey(
        Catalog,
        on_delete=models.CASCADE,
        related_name="evaluation_institutions",
        verbose_name=_("catalogue"),
    )
    name = models.CharField(_("name"), max_length=128)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="+", verbose_name=_("occupations")
    )
    accreditation_number = models.CharField(_("accreditation number"), max_length=64, blank=True)

    objects = EvaluationInstitutionQuerySet.as_manager()
    history = audit_history(m2m_fields=[occupations])

    class Meta:
        ordering = ["catalog", "name"]
        verbose_name = _("evaluation institution")
        verbose_name_plural = _("evaluation institutions")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "name"], name="evaluationinstitution_unique")
        ]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Permit:
    field: str
    label: str


# The three permits an online platform needs (WH20-PLT-1).
PERMITS = (
    Permit("project", _("inclusion in project-based training")),
    Permit("assessment", _("skill-level assessment")),
    Permit("training", _("vocational training")),
)


class OnlinePlatformQuerySet(PublicQuerySet):
    pass


class OnlinePlatform(models.Model):
    """An online vocational training platform. Its trainees' subsidies need all three permits
    of WH20-PLT-1 held and valid on the day."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="platforms", verbose_name=_("catalogue")
    )
    name = models.CharField(_("platform"), max_length=128)
    operator = models.CharField(_("operator"), max_length=128)
    website = models.URLField(_("website"), blank=True)
    # The platform's operating company: the link that stays across catalogue versions (a new
    # version copies it), so a class names the organisation, not one version's row.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platform_entries",
        limit_choices_to={"kind": OrganisationKind.PLATFORM},
        verbose_name=_("platform organisation"),
    )
    project_permit = models.CharField(_("project-based training permit"), max_length=64, blank=True)
    project_permit_valid_from = models.DateField(
        _("project-based training permit valid from"), null=True, blank=True
    )
    project_permit_valid_until = models.DateField(
        _("project-based training permit valid until"), null=True, blank=True
    )
    assessment_permit = models.CharField(_("skill assessment permit"), max_length=64, blank=True)
    assessment_permit_valid_from = models.DateField(
        _("skill assessment permit valid from"), null=True, blank=True
    )
    assessment_permit_valid_until = models.DateField(
        _("skill assessment permit valid until"), null=True, blank=True
    )
    training_permit = models.CharField(_("vocational training permit"), max_length=64, blank=True)
    training_permit_valid_from = models.DateField(
        _("vocational training permit valid from"), null=True, blank=True
    )
    training_permit_valid_until = models.DateField(
        _("vocational training permit valid until"), null=True, blank=True
    )

    objects = OnlinePlatformQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["catalog", "name"]
        verbose_name = _("online platform")
        verbose_name_plural = _("online platforms")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "name"], name="onlineplatform_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def missing_permits(self, day: date, until: date | None = None) -> list[str]:
        """One explanation per permit not held or not valid on ``day`` (through ``until`` when
        given: a class's whole dates) (WH20-PLT-1)."""
        from django.utils.translation import gettext

        last = until or day
        reasons = []
        for permit in PERMITS:
            number = getattr(self, f"{permit.field}_permit")
            valid_from = getattr(self, f"{permit.field}_permit_valid_from")
            valid_until = getattr(self, f"{permit.field}_permit_valid_until")
            if not number:
                reasons.append(
                    gettext("WH20-PLT-1: no permit for %(permit)s.") % {"permit": permit.label}
                )
            elif valid_from is not None and day < valid_from:
                reasons.append(
                    gettext(
                        "WH20-PLT-1: the permit for %(permit)s (%(number)s) is valid only from "
                        "%(from)s."
                    )
                    % {"permit": permit.label, "number": number, "from": valid_from.isoformat()}
                )
            elif valid_until is not None and valid_until < last:
                reasons.append(
                    gettext(
                        "WH20-PLT-1: the permit for %(permit)s (%(number)s) expired on %(until)s."
                    )
                    % {"permit": permit.label, "number": number, "until": valid_until.isoformat()}
                )
        return reasons

    def eligible_on(self, day: date) -> bool:
        """True only when all three permits of WH20-PLT-1 are held and valid on ``day``."""
        return not self.missing_permits(day)
