"""Funds (a source's budget for a county and year) and the working-day calendar's exceptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, Region

from ._common import MONEY, _bureau_q


class FundSource(models.TextChoices):
    EMPLOYMENT = "employment_fund", _("Employment subsidy fund (就业补助资金)")
    SKILLS_ACCOUNT = (
        "skills_account",
        _("Skills upgrading action account (职业技能提升行动专账资金)"),
    )
    UNEMPLOYMENT_INSURANCE = (
        "unemployment_insurance",
        _("Unemployment insurance fund (失业保险基金)"),
    )


class FundQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Funds: the bureaus whose jurisdiction holds the fund's region; nobody else."""
        q = _bureau_q(organisation, "region")
        return self.filter(q) if q is not None else self.none()


class Fund(models.Model):
    """A fund source's budget for one year in one county (HB45-PUB-1)."""

    source = models.CharField(_("fund source"), max_length=32, choices=FundSource.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget"), **MONEY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FundQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-year", "region", "source"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["source", "region", "year"], name="fund_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_budget_positive"),
            models.CheckConstraint(
                condition=Q(source__in=FundSource.values), name="fund_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} {self.region.name}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Make-up working day")


class EveryoneQuerySet(ScopedQuerySet):
    """Published data every organisation may read (the official calendar)."""

    def scope_for(self, organisation: Organisation):
        """The working-day calendar: every organisation."""
        return self.all()

    def scope_for_person(self, person):
        """All (the official calendar)."""
        return self.all()


# The holiday names the ``chinese-calendar`` library stores (in English), in the reader's language.
HOLIDAY_NAMES = {
    "New Year's Day": pgettext_lazy("holiday", "New Year's Day"),
    "Spring Festival": pgettext_lazy("holiday", "Spring Festival"),
    "Tomb-sweeping Day": pgettext_lazy("holiday", "Tomb-sweeping Day"),
    "Labour Day": pgettext_lazy("holiday", "Labour Day"),
    "Dragon Boat Festival": pgettext_lazy("holiday", "Dragon Boat Festival"),
    "National Day": pgettext_lazy("holiday", "National Day"),
    "Mid-autumn Festival": pgettext_lazy("holiday", "Mid-autumn Festival"),
    "Anti-Fascist 70th Day": pgettext_lazy("holiday", "Anti-Fascist 70th Day"),
}


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday on a weekday or a make-up working
    day on a weekend. Seeded from the ``chinese-calendar`` library, editable by the bureau.
    Public notice periods (HB45-PUB-1) are counted in working days."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)
    from_library = models.BooleanField(_("from the official calendar"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EveryoneQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DayKind.values), name="calendar_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the library's holidays are stored in English; a
        name the bureau typed is shown as typed."""
        return str(HOLIDAY_NAMES.get(self.name, self.name))
