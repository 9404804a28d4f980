"""Employment services (GA23-EMP-1): holders of a vocational skill level certificate, a special
vocational ability certificate or the training certificate are pushed to the county HR service
centre, which records their wishes, recommends jobs from its vacancy list and follows them until
they are employed (or say they are not seeking work). The employment conversion rate follows
from the outcomes.

Who sees what (docs/roles.md): the referral queue, recommendations and follow-ups — the HR service
centre the person was referred to and the bureau of the county; the vacancy list — the HR
service centre that keeps it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.registry.models import Person


def _centre_q(organisation: Organisation, path: str = "") -> Q:
    prefix = organisation.jurisdiction_prefix
    if prefix:
        return Q(**{f"{path}county__code__startswith": prefix})
    if organisation.kind == OrganisationKind.HR_SERVICE_CENTRE:
        return Q(**{f"{path}centre_id": organisation.pk})
    return Q(pk__in=[])


class ReferralStatus(models.TextChoices):
    QUEUED = "queued", _("In the queue")
    FOLLOWING = "following", _("Being followed")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """The kinds of follow-up; the last decisive one is the referral's outcome."""

    CONTACTED = "contacted", _("Contacted")
    INTERVIEWED = "interviewed", _("Interviewed")
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    NOT_SEEKING = "not_seeking", _("Not seeking work")


# Follow-ups that end the referral; employed and self-employed count as converted (GA23-EMP-1).
CLOSING_OUTCOMES = frozenset({Outcome.EMPLOYED, Outcome.SELF_EMPLOYED, Outcome.NOT_SEEKING})
CONVERTED = frozenset({Outcome.EMPLOYED, Outcome.SELF_EMPLOYED})


class ReferralQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """The employment queue: the bureau of the person's county (reads it) and the HR service
        centre the person was referred to; anyone else: none."""
        return self.filter(_centre_q(organisation))

    def scope_for_person(self, person: Person):
        """Their own referral."""
        return self.filter(person=person)


class Referral(models.Model):
    """A certified person in the county HR service centre's queue (GA23-EMP-1), with their
    wishes and the current outcome of the follow-ups."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("HR service centre"),
    )
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        "assessment.Certificate",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("certificate"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.QUEUED
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    # the person's wishes
    wished_job_type = models.CharField(_("wished job type"), max_length=128, blank=True)
    wished_township = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wished township"),
    )
    wished_wage = models.DecimalField(
        _("wished monthly wage (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    wishes_note = models.CharField(_("note on the wishes"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("referred"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReferralQuerySet.as_manager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["status", "-created_at", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["person", "centre"], name="referral_once_per_centre"),
            models.CheckConstraint(
                condition=Q(wished_wage__isnull=True) | Q(wished_wage__gte=0),
                name="referral_wished_wage_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.centre}"


class VacancyQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Vacancies: the HR service centre that keeps them, alone."""
        if organisation.kind == OrganisationKind.HR_SERVICE_CENTRE:
            return self.filter(centre=organisation)
        return self.none()

    def open(self):
        return self.filter(is_open=True)


class Vacancy(models.Model):
    """A job opening on the list the HR service centre keeps, to recommend to the persons in
    its queue (GA23-EMP-1)."""

    centre = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("kept by")
    )
    employer = models.CharField(_("employer"), max_length=128)
    title = models.CharField(_("job"), max_length=128)
    job_type = models.CharField(_("job type"), max_length=128)
    township = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("township"),
    )
    wage_min = models.DecimalField(
        _("monthly wage from (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    wage_max = models.DecimalField(
        _("monthly wage up to (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    places = models.PositiveIntegerField(_("places"), default=1)
    contact = models.CharField(_("contact"), max_length=128, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VacancyQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-is_open", "employer", "title", "pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_min__isnull=True)
                | Q(wage_max__isnull=True)
                | Q(wage_max__gte=models.F("wage_min")),
                name="vacancy_wage_range",
            ),
            models.CheckConstraint(
                condition=(Q(wage_min__isnull=True) | Q(wage_min__gte=0))
                & (Q(wage_max__isnull=True) | Q(wage_max__gte=0)),
                name="vacancy_wages_not_negative",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="vacancy_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.title}"


class ReferralRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the referral: the bureau of the county and the HR service centre."""
        return self.filter(_centre_q(organisation, "referral__"))

    def scope_for_person(self, person: Person):
        """Those of their own referral."""
        return self.filter(referral__person=person)


class Recommendation(models.Model):
    """A vacancy the counsellor recommended to a person in the queue."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="recommendations")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="recommendations")
    note = models.CharField(_("note"), max_length=255, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recommended"), auto_now_add=True)

    objects = ReferralRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["referral", "-created_at"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["referral", "vacancy"], name="recommendation_once")
        ]

    def __str__(self) -> str:
        return f"{self.referral.person} · {self.vacancy}"


class FollowUp(models.Model):
    """What the counsellor learnt on a date: contacted, interviewed, employed (with the employer
    and the start date), self-employed, or not seeking work (GA23-EMP-1)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=16, choices=Outcome.choices)
    date = models.DateField(_("date"))
    employer = models.CharField(_("employer"), max_length=128, blank=True)
    employed_from = models.DateField(_("employed from"), null=True, blank=True)
    vacancy = models.ForeignKey(
        Vacancy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vacancy"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ReferralRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["referral", "date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.referral.person} · {self.date} · {self.get_kind_display()}"
