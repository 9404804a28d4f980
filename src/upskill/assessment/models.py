"""Assessment and certificates: exam sessions of a class with a theory and a practical part
(GA23-CRT-1, WH20-EXM-1), pass marks set by the bureau per occupation and level, attempts
(unlimited retakes until passed, each attempt kept), the online theory result that exempts the
theory part (HB61-ONL-1), and certificates (HB61-CRT-1): the training certificate the product
issues on a passed assessment and the other kinds, issued by accredited bodies, recorded and
verified here.

Who sees what (docs/roles.md):

* pass marks: every organisation of the county and the bureaus above it (they are the bureau's
  published setting);
* exam sessions and attempts: like their class (the organiser, the bureau of the county, the
  township centre of the venue);
* certificates: the holder's institution (the organiser of the class or the organisation that
  recorded it), the bureau of the county, and the HR service centre for persons referred to it.
  The public verification page shows masked data only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.policy.certificates import pushes_to_service_centre
from upskill.policy.parameters import region_chain
from upskill.policy_admin.selectors import parameters_in_effect
from upskill.registry.models import Affiliation, AffiliationKind, Person
from upskill.training.models import Enrolment, TrainingClass, class_scope_q

# GA23-CRT-1: the theory exam and the practical assessment are each marked out of 100 and
# passed at 60 unless the bureau sets another mark for the occupation and level (PassMark).
DEFAULT_FULL_MARKS = Decimal(100)
DEFAULT_PASS_MARK = Decimal(60)


def _region_chain(county_code: str) -> list[str]:
    """The county and the city and province above it (GB/T 2260), as the policy engine
    inherits parameters (its root 000000 is no region of the database)."""
    return list(region_chain(county_code))


class PassMarkQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Pass marks set for the viewer's county, its city and its province (the settings it
        inherits), and for a bureau every setting within its jurisdiction."""
        prefix = organisation.jurisdiction_prefix
        chain = _region_chain(organisation.county_code)
        q = Q(region__code__in=chain)
        if prefix:
            q |= Q(region__code__startswith=prefix)
        return self.filter(q)


class PassMark(models.Model):
    """The pass marks a bureau sets for an occupation and level in its region (GA23-CRT-1),
    and whether an online theory result exempts the theory part there (HB61-ONL-1). Without
    one, the theory and the practical part are each passed at 60 of 100."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    occupation_name = models.CharField(_("occupation"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"))
    full_marks = models.DecimalField(
        _("full marks"), max_digits=5, decimal_places=1, default=DEFAULT_FULL_MARKS
    )
    theory_pass_mark = models.DecimalField(
        _("theory pass mark"), max_digits=5, decimal_places=1, default=DEFAULT_PASS_MARK
    )
    practical_pass_mark = models.DecimalField(
        _("practical pass mark"), max_digits=5, decimal_places=1, default=DEFAULT_PASS_MARK
    )
    online_theory_exempts = models.BooleanField(
        _("an online theory result exempts the theory part"),
        default=True,
        help_text=_("HB61-ONL-1"),
    )
    document = models.CharField(_("document"), max_length=128, blank=True)
    set_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PassMarkQuerySet.as_manager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["region__code", "occupation_name", "level"]
        verbose_name = _("pass mark")
        verbose_name_plural = _("pass marks")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "occupation_name", "level"], name="passmark_unique"
            ),
            models.CheckConstraint(
                condition=Q(theory_pass_mark__lte=models.F("full_marks"))
                & Q(practical_pass_mark__lte=models.F("full_marks"))
                & Q(theory_pass_mark__gt=0)
                & Q(practical_pass_mark__gt=0),
                name="passmark_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.occupation_name} ({self.level})"


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Scores being entered")
    CLOSED = "closed", _("Results confirmed")


class ClassRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the class: visible with a class the viewer may see."""
        return self.filter(class_scope_q(organisation, "training_class__"))


class ExamSession(models.Model):
    """An exam session of a class: a theory exam and a practical assessment (GA23-CRT-1). The
    first session examines every trainee; a retake session those not yet passed (WH20-EXM-1).
    The pass marks in force are copied in when it is scheduled, so a later change of the
    bureau's setting does not change results already given."""

    training_class = models.ForeignKey(
        TrainingClass,
        on_delete=models.PROTECT,
        related_name="exam_sessions",
        verbose_name=_("class"),
    )
    number = models.PositiveSmallIntegerField(_("session"), default=1)
    date = models.DateField(_("exam date"))
    place = models.CharField(_("place"), max_length=255)
    examiners = models.CharField(
        _("examiners"), max_length=255, help_text=_("Names of the examiners, separated by 、")
    )
    full_marks = models.DecimalField(_("full marks"), max_digits=5, decimal_places=1)
    theory_pass_mark = models.DecimalField(_("theory pass mark"), max_digits=5, decimal_places=1)
    practical_pass_mark = models.DecimalField(
        _("practical pass mark"), max_digits=5, decimal_places=1
    )
    online_theory_exempts = models.BooleanField(
        _("an online theory result exempts the theory part"), default=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    closed_at = models.DateTimeField(_("results confirmed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClassRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["training_class", "number"]
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        permissions = [("enter_scores", _("Can enter exam scores and confirm results"))]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "number"], name="examsession_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN

    @property
    def is_retake(self) -> bool:
        return self.number > 1


class AttemptResult(models.TextChoices):
    PENDING = "pending", _("Not marked yet")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Absent")


class AttemptQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the exam session's class."""
        return self.filter(class_scope_q(organisation, "session__training_class__"))

    def scope_for_person(self, person: Person):
        """Their own attempts."""
        return self.filter(enrolment__person=person)


class Attempt(models.Model):
    """One trainee's attempt in an exam session: the theory score (or its exemption by an
    online theory result, HB61-ONL-1) and the practical score, absences, and the result. A
    failed or absent trainee retakes in a later session; every attempt is kept (WH20-EXM-1)."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attempts")
    attempt_number = models.PositiveSmallIntegerField(_("attempt"))
    theory_score = models.DecimalField(
        _("theory score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    practical_score = models.DecimalField(
        _("practical score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    theory_absent = models.BooleanField(_("absent from the theory exam"), default=False)
    practical_absent = models.BooleanField(_("absent from the practical assessment"), default=False)
    theory_exempt = models.BooleanField(_("theory exempted (online result)"), default=False)
    online_theory_score = models.DecimalField(
        _("online theory score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    online_theory_reference = models.CharField(
        _("online theory result"),
        max_length=128,
        blank=True,
        help_text=_("Platform and result number of the online theory test (HB61-ONL-1)"),
    )
    result = models.CharField(
        _("result"), max_length=16, choices=AttemptResult.choices, default=AttemptResult.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AttemptQuerySet.as_manager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["session", "enrolment__person__name", "pk"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attempt_once"),
            models.UniqueConstraint(
                fields=["enrolment", "attempt_number"], name="attempt_number_unique"
            ),
            # at most one passed attempt per trainee: retakes stop once passed (WH20-EXM-1)
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(result=AttemptResult.PASSED),
                name="attempt_passed_once",
            ),
            models.CheckConstraint(
                condition=(Q(theory_score__isnull=True) | Q(theory_score__gte=0))
                & (Q(practical_score__isnull=True) | Q(practical_score__gte=0))
                & (Q(online_theory_score__isnull=True) | Q(online_theory_score__gte=0)),
                name="attempt_scores_not_negative",
            ),
            # an exempted theory part stands on an online result (HB61-ONL-1)
            models.CheckConstraint(
                condition=Q(theory_exempt=False) | Q(online_theory_score__isnull=False),
                name="attempt_exempt_has_online_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.session} · {self.get_result_display()}"

    @property
    def person(self) -> Person:
        return self.enrolment.person


class CertificateKind(models.TextChoices):
    """The certificate kinds of HB61-CRT-1 ("five kinds" with the training certificate)."""

    TRAINING = "training", _("Hubei employment and entrepreneurship training certificate")
    QUALIFICATION = "qualification", _("Vocational qualification certificate")
    SKILL_LEVEL = "skill_level", _("Vocational skill level certificate")
    SPECIAL_ABILITY = "special_ability", _("Special vocational ability certificate")
    SPECIAL_OPERATION = "special_operation", _("Special operation certificate")


# The printed title of each kind (the certificate shows the Chinese name whatever the language).
CERTIFICATE_TITLES = {
    CertificateKind.TRAINING: "湖北省就业创业培训合格证",
    CertificateKind.QUALIFICATION: "职业资格证书",
    CertificateKind.SKILL_LEVEL: "职业技能等级证书",
    CertificateKind.SPECIAL_ABILITY: "专项职业能力证书",
    CertificateKind.SPECIAL_OPERATION: "特种作业操作证书",
}

# GA23-EMP-1: the kinds the document names (what counts is the parameter certificates.pushed_kinds,
# policy/certificates.py); the conversion rates count these.
EMPLOYMENT_KINDS = frozenset(
    {CertificateKind.TRAINING, CertificateKind.SKILL_LEVEL, CertificateKind.SPECIAL_ABILITY}
)


class CertificateSource(models.TextChoices):
    ISSUED = "issued", _("Issued by the product on a passed assessment")
    RECORDED = "recorded", _("Issued elsewhere, recorded here")


class Verification(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Could not be verified")


class CertificateQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the certificates of its jurisdiction; an institution or enterprise: those of
        its own trainees; an HR service centre: those of the persons referred to it; anyone else:
        none."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(county__code__startswith=prefix)
        if organisation.kind in (OrganisationKind.INSTITUTION, OrganisationKind.ENTERPRISE):
            return self.filter(holder_organisation=organisation)
        if organisation.kind == OrganisationKind.HR_SERVICE_CENTRE:
            return self.filter(
                person__in=Affiliation.objects.filter(
                    organisation=organisation, kind=AffiliationKind.REFERRAL
                ).values("person_id")
            )
        return self.none()

    def scope_for_person(self, person: Person):
        """Their own certificates."""
        return self.filter(person=person)

    def valid(self):
        """Certificates that count: issued here, or recorded and verified."""
        return self.filter(verification=Verification.VERIFIED)


class Certificate(models.Model):
    """A certificate a person holds (HB61-CRT-1), with the fields the real certificate carries.
    ``serial`` is printed and may be sequential; ``verification_code`` is unguessable
    (``secrets.token_urlsafe``) and the public verification page asks for both, so nobody can
    walk the serial numbers."""

    kind = models.CharField(_("kind"), max_length=24, choices=CertificateKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=CertificateSource.choices)
    serial = models.CharField(_("certificate number"), max_length=64, unique=True)
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, editable=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    # as printed on the certificate
    holder_name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    id_number_masked = models.CharField(_("ID number"), max_length=18)
    project = models.CharField(_("training project"), max_length=128, blank=True)
    occupation_name = models.CharField(_("occupation"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    training_start = models.DateField(_("training from"), null=True, blank=True)
    training_end = models.DateField(_("training until"), null=True, blank=True)
    institution_name = models.CharField(_("training institution"), max_length=128, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=128)
    issue_date = models.DateField(_("issue date"))
    # where it comes from
    attempt = models.OneToOneField(
        Attempt,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("passed attempt"),
    )
    training_class = models.ForeignKey(
        TrainingClass,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("class"),
    )
    holder_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("holder's institution"),
    )
    county = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    verification = models.CharField(
        _("verification status"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.PENDING,
    )
    verification_note = models.CharField(_("verification note"), max_length=255, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # the address the QR code on the PDF encodes (path; the PDF prefixes the site's address)
    verification_path = models.CharField(_("verification address"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [
            ("verify_certificate", _("Can verify certificates issued elsewhere")),
            ("view_archive", _("Can read a worker's lifelong archive")),
        ]
        indexes = [
            models.Index(fields=["county", "kind"]),
            # the certificates list's sort (assessment/lists.py), the primary key last
            models.Index(fields=["issue_date", "id"], name="assessment_cert_issue_id"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.serial}"

    @property
    def title(self) -> str:
        return CERTIFICATE_TITLES[CertificateKind(self.kind)]

    @property
    def is_valid(self) -> bool:
        return self.verification == Verification.VERIFIED

    @property
    def counts_for_employment(self) -> bool:
        """GA23-EMP-1: a valid training, skill-level or special-ability certificate."""
        return self.is_valid and pushes_to_service_centre(
            self.kind, self.county.code, self.issue_date, parameters_in_effect()
        )
