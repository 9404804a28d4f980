"""What an enterprise holds about its employees, from which its subsidy claims are assembled:
labour contracts (劳动合同) with their social-insurance figures (HB61-PJ-1, WH20-OBJ-1), and the
records of its other programs — competition entries (HB61-CMP-1/2), apprenticeship years
(HB45-APP-1), new technician titles (HB45-TEC-1) and work-for-training months (HB61-WFT-1).

Who sees what (docs/roles.md): the enterprise its own records, the bureau of its county or city (and
the province) those of the enterprises of its jurisdiction, an association those of its members.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.registry.models import Person


def enterprise_q(organisation: Organisation) -> Q:
    """The one rule of this app: own records, the bureau's jurisdiction, an association's
    members."""
    q = Q(enterprise=organisation)
    prefix = organisation.jurisdiction_prefix
    if prefix:
        q |= Q(enterprise__region__code__startswith=prefix)
    if organisation.kind == OrganisationKind.ASSOCIATION:
        # a subquery, not a join: no duplicate rows, so the rows can be locked for update
        members = Organisation.objects.filter(associations=organisation).values("pk")
        q |= Q(enterprise__in=members)
    return q


class EnterpriseQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Contracts and program records: the enterprise itself, the bureaus of its jurisdiction and
        the associations it is a member of."""
        return self.filter(enterprise_q(organisation))

    def scope_for_person(self, person: Person):
        """Their own (the contracts and program records naming them)."""
        return self.filter(person=person)


class EmploymentContract(models.Model):
    """An employee's labour contract with the enterprise (HB61-PJ-1): signed on a date for a
    number of years, ended or still running, with the consecutive months of urban employee
    social insurance as recorded on a date and the cumulative unemployment-insurance months
    (WH20-OBJ-1)."""

    enterprise = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="employment_contracts",
        verbose_name=_("enterprise"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="employment_contracts",
        verbose_name=_("employee"),
    )
    signed = models.DateField(_("signed on"))
    years = models.DecimalField(_("length in years"), max_digits=4, decimal_places=1)
    ended = models.DateField(_("employment ended on"), null=True, blank=True)
    consecutive_insured_months = models.PositiveSmallIntegerField(
        _("consecutive months of social insurance")
    )
    insured_as_of = models.DateField(_("social insurance months as of"))
    unemployment_insured_months = models.PositiveSmallIntegerField(
        _("months of unemployment insurance"), default=0
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EnterpriseQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-signed", "pk"]
        # the contracts list's sort (enterprise/lists.py), the primary key last
        indexes = [models.Index(fields=["signed", "id"], name="enterprise_contract_signed_id")]
        verbose_name = _("labour contract")
        verbose_name_plural = _("labour contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "person", "signed"], name="contract_once_per_signing"
            ),
            models.CheckConstraint(condition=Q(years__gt=0), name="contract_years_positive"),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("signed")),
                name="contract_ends_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.enterprise.name} · {self.signed}"

    @property
    def still_employed(self) -> bool:
        return self.ended is None


class RecordKind(models.TextChoices):
    COMPETITION = "competition", _("Competition entry")
    APPRENTICE = "apprentice", _("Apprenticeship year")
    TECHNICIAN = "technician", _("New technician title")
    WORK_FOR_TRAINING = "work_for_training", _("Work-for-training months")


# The calculator's program of each kind of record (upskill.policy.PROGRAMS).
PROGRAM_OF_KIND = {
    RecordKind.COMPETITION: "competition",
    RecordKind.APPRENTICE: "new_apprentice",
    RecordKind.TECHNICIAN: "new_technician",
    RecordKind.WORK_FOR_TRAINING: "work_for_training",
}
KIND_OF_PROGRAM = {program: kind for kind, program in PROGRAM_OF_KIND.items()}


class CompetitionLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class Title(models.TextChoices):
    SENIOR_TECHNICIAN = "senior_technician", _("Senior technician")
    TECHNICIAN = "technician", _("Technician")
    SENIOR_WORKER = "senior_worker", _("Senior worker")


class EnterpriseRecord(models.Model):
    """One record of an enterprise program without a class, of one employee: a competition
    entry (HB61-CMP-1/2: name, level, date, finalist), an apprenticeship year (HB45-APP-1:
    the year's last day), a new technician title (HB45-TEC-1: title, date) or months of
    work-for-training (HB61-WFT-1: months, period ending on the date)."""

    kind = models.CharField(_("kind"), max_length=24, choices=RecordKind.choices)
    enterprise = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enterprise_records",
        verbose_name=_("enterprise"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="enterprise_records",
        verbose_name=_("employee"),
    )
    date = models.DateField(_("date"))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    competition = models.CharField(_("competition"), max_length=120, blank=True)
    competition_level = models.CharField(
        _("competition level"), max_length=16, choices=CompetitionLevel.choices, blank=True
    )
    finalist = models.BooleanField(_("finalist"), default=False)
    title = models.CharField(_("title"), max_length=24, choices=Title.choices, blank=True)
    months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EnterpriseQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("enterprise program record")
        verbose_name_plural = _("enterprise program records")
        indexes = [models.Index(fields=["enterprise", "kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="enterprise_record_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(competition_level__in=[*CompetitionLevel.values, ""]),
                name="enterprise_record_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(title__in=[*Title.values, ""]), name="enterprise_record_title_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person} · {self.date}"

    @property
    def program(self) -> str:
        return PROGRAM_OF_KIND[self.kind]

    @property
    def summary(self) -> str:
        if self.kind == RecordKind.COMPETITION:
            finalist = _("finalist") if self.finalist else _("not a finalist")
            return f"{self.competition} · {self.get_competition_level_display()} · {finalist}"
        if self.kind == RecordKind.TECHNICIAN:
            return str(self.get_title_display())
        if self.kind == RecordKind.WORK_FOR_TRAINING:
            return f"{self.period_start} – {self.date} · {self.months}"
        return str(self.date.year)
