"""The Wuhan enrolment path (WH20 三, 附件1, 附件3): an association's members and calls, the
member enterprises' applications (WH20-ENR-1), the training batches the association schedules
them into with an institution and its platform, the employees an enterprise puts forward
(WH20-ENR-2, WH20-OBJ-1), who pays the fee and the receipts (WH20-FEE-1), the agreements signed
before training and the deduction when an employee leaves (WH20-LVE-1), and the institution's
statement of how the subsidy is used (WH20-USE-1).

Who sees what (docs/roles.md): an association its members, calls, applications, batches and
counts, never the persons put forward; an enterprise its own applications and employees; the
institution the batches it runs and the employees in them; the bureau of the city or county
those of its jurisdiction; a learner the nominations and receipts about themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import Occupation, OnlinePlatform
from upskill.core.fields import EncryptedTextField, PhoneMaskField
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.enterprise.models import EmploymentContract
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.registry.models import Person
from upskill.training.models import Enrolment

# The general occupations of WH20 三(二) ("通用工种（安全评价师或劳动关系协调员）"): a call's
# default list (WH20-ENR-2), kept on the call so the association can change it.
GENERAL_OCCUPATIONS = ["安全评价师", "劳动关系协调员"]


def _jurisdiction(organisation: Organisation, path: str) -> Q | None:
    prefix = organisation.jurisdiction_prefix
    return Q(**{f"{path}region__code__startswith": prefix}) if prefix else None


class MembershipQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """An association its members; an enterprise its own memberships; a bureau those of the
        enterprises of its jurisdiction."""
        q = Q(association=organisation) | Q(enterprise=organisation)
        if (j := _jurisdiction(organisation, "enterprise__")) is not None:
            q |= j
        return self.filter(q)


class Membership(models.Model):
    """A member enterprise of an association, as the association keeps it (number, joined, left);
    the organisation's "member of associations" follows it (what the scoping layer reads)."""

    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships_kept",
        verbose_name=_("association"),
    )
    enterprise = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("member enterprise"),
    )
    number = models.CharField(_("member number"), max_length=32, blank=True)
    joined_on = models.DateField(_("member since"))
    ended_on = models.DateField(_("membership ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["association", "enterprise__name", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "enterprise"], name="membership_once_per_association"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.association.name}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class CallQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """The association's own calls; its member enterprises; the institutions running one of
        its batches; a bureau the calls of the associations of its jurisdiction."""
        q = Q(association=organisation)
        if organisation.kind == OrganisationKind.ENTERPRISE:
            q |= Q(association__in=organisation.associations.values("pk"))
        if organisation.kind == OrganisationKind.INSTITUTION:
            q |= Q(pk__in=Batch.objects.filter(institution=organisation).values("call_id"))
        if (j := _jurisdiction(organisation, "association__")) is not None:
            q |= j
        return self.filter(q)


class Call(models.Model):
    """An association's call to its members (WH20 三(一)): applications are received up to and
    including the deadline, a date (WH20-ENR-1: "于2020年7月20日前"); the general occupations
    offered (WH20-ENR-2) and the advanced-level exam fee that is part of the fee (WH20-FEE-1,
    附件3 四) are the call's."""

    association = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="calls", verbose_name=_("association")
    )
    title = models.CharField(_("title"), max_length=200)
    document = models.CharField(_("document number"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("applications until (inclusive)"))
    general_occupations = models.JSONField(_("general occupations"), default=list)
    advanced_exam_fee = models.DecimalField(
        _("advanced-level exam fee"), max_digits=10, decimal_places=2
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-year", "-deadline", "pk"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(advanced_exam_fee__gte=0), name="call_exam_fee_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


class BatchQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """The association that scheduled it; the institution that runs it; the enterprises
        scheduled into it; a bureau the batches of its jurisdiction's associations."""
        q = Q(call__association=organisation) | Q(institution=organisation)
        if organisation.kind == OrganisationKind.ENTERPRISE:
            q |= Q(pk__in=Application.objects.filter(enterprise=organisation).values("batch_id"))
        if (j := _jurisdiction(organisation, "call__association__")) is not None:
            q |= j
        return self.filter(q)


class Batch(models.Model):
    """A training batch of a call: the institution that runs it on its online platform
    (WH20-PLT-1) and its dates. The institution's online skill-level classes of these dates
    receive the batch's employees (one per occupation and level)."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="batches", verbose_name=_("call")
    )
    name = models.CharField(_("batch"), max_length=128)
    institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="nomination_batches",
        verbose_name=_("training institution"),
    )
    platform = models.ForeignKey(
        OnlinePlatform,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("online platform"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BatchQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["call", "start_date", "pk"]
        verbose_name = _("training batch")
        verbose_name_plural = _("training batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="batch_period"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting to be scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicationQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """The enterprise's own; the association of the call; the institution of the batch it is
        scheduled into; a bureau those of the enterprises of its jurisdiction."""
        q = (
            Q(enterprise=organisation)
            | Q(call__association=organisation)
            | Q(batch__institution=organisation)
        )
        if (j := _jurisdiction(organisation, "enterprise__")) is not None:
            q |= j
        return self.filter(q)

    def waiting(self):
        return self.filter(status=ApplicationStatus.SUBMITTED)


class Application(models.Model):
    """A member enterprise's application (附件1 参加职工职业技能培训企业申请表, WH20-ENR-1): its
    industry, the HR lead and phone, the occupations wanted, the employees with at least twelve
    months of unemployment insurance (dispatched workers included, WH20-OBJ-1). The association
    schedules applications in the order they were registered (``sequence``)."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    enterprise = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="nomination_applications",
        verbose_name=_("enterprise"),
    )
    sequence = models.PositiveIntegerField(_("order of registration"))
    received_on = models.DateField(_("received on"))
    industry = models.CharField(_("industry"), max_length=64)
    hr_lead = models.CharField(_("HR lead"), max_length=64)
    hr_lead_phone = EncryptedTextField(_("HR lead's phone"), purpose="application.phone")
    hr_lead_phone_masked = PhoneMaskField(_("HR lead's phone"), source="hr_lead_phone")
    occupations_wanted = models.TextField(_("occupations wanted"))
    eligible_employees = models.PositiveIntegerField(
        _("employees with 12 months of unemployment insurance")
    )
    dispatched_included = models.PositiveIntegerField(_("of whom dispatched workers"), default=0)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    batch = models.ForeignKey(
        Batch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("training batch"),
    )
    scheduled_at = models.DateTimeField(_("scheduled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["call", "sequence", "pk"]
        verbose_name = _("enterprise application")
        verbose_name_plural = _("enterprise applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "enterprise"], name="application_once_per_call"
            ),
            models.UniqueConstraint(fields=["call", "sequence"], name="application_sequence"),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_known"
            ),
            models.CheckConstraint(
                condition=Q(dispatched_included__lte=models.F("eligible_employees")),
                name="application_dispatched_within",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.SCHEDULED) | Q(batch__isnull=False),
                name="application_scheduled_has_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.enterprise.name} · {self.call}"


class MonthsSource(models.TextChoices):
    CONTRACT = "contract", _("The enterprise's labour-contract list")
    LIST = "list", _("The enterprise's list of employees put forward")


class Payer(models.TextChoices):
    ENTERPRISE = "enterprise", _("The enterprise, in advance")
    EMPLOYEE = "employee", _("The employee")


class NominationStatus(models.TextChoices):
    PUT_FORWARD = "put_forward", _("Put forward")
    ENROLLED = "enrolled", _("Enrolled in the classes")
    WITHDRAWN = "withdrawn", _("Left during training")


class Channel(models.TextChoices):
    ONSITE = "onsite", _("At an on-site registration session")
    ONLINE = "online", _("Online, by the employee")


class Confirmation(models.TextChoices):
    PORTAL = "portal", _("Confirmed in the learner portal")
    UPLOAD = "upload", _("Signed copy uploaded")


class NominationQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """The enterprise that put the employee forward; the institution of the batch; a bureau
        those of the enterprises of its jurisdiction. Never the association (persons' records:
        it sees counts)."""
        q = Q(application__enterprise=organisation) | Q(
            application__batch__institution=organisation
        )
        if (j := _jurisdiction(organisation, "application__enterprise__")) is not None:
            q |= j
        return self.filter(q)

    def scope_for_person(self, person: Person):
        """Their own (the nominations naming them)."""
        return self.filter(person=person)


class Nomination(models.Model):
    """An employee an enterprise puts forward (WH20-ENR-2): one general occupation and one
    specialised occupation of the catalogue, the unemployment-insurance months checked
    (WH20-OBJ-1) with their source and date, who pays the fee (WH20-FEE-1); registered at an
    on-site session or online, which makes the two training enrolments; the agreements of
    WH20-LVE-1 confirmed before training, and the leaving with its deduction."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("application"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("employee")
    )
    contract = models.ForeignKey(
        EmploymentContract,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("labour contract"),
    )
    general_occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("general occupation"),
    )
    specialised_occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("specialised occupation"),
    )
    insured_months = models.PositiveSmallIntegerField(_("months of unemployment insurance"))
    months_source = models.CharField(_("months from"), max_length=16, choices=MonthsSource.choices)
    months_as_of = models.DateField(_("months as of"))
    payer = models.CharField(
        _("fee paid by"), max_length=16, choices=Payer.choices, default=Payer.ENTERPRISE
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.PUT_FORWARD,
    )
    channel = models.CharField(_("registered"), max_length=16, choices=Channel.choices, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    general_enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    specialised_enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreements_confirmed_at = models.DateTimeField(_("agreements confirmed"), null=True, blank=True)
    agreements_confirmed_how = models.CharField(
        _("agreements confirmed how"), max_length=16, choices=Confirmation.choices, blank=True
    )
    signed_copy = models.FileField(_("signed copy"), upload_to="nominations/%Y/", blank=True)
    exam_registered_on = models.DateField(_("registered for the exam on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.TextField(_("reason for leaving"), blank=True)
    advanced = models.DecimalField(
        _("advanced by the enterprise"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    exam_fee_kept = models.DecimalField(
        _("exam fees not deducted"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    deduction = models.DecimalField(
        _("deduction"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("put forward"), auto_now_add=True)

    objects = NominationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("employee put forward")
        verbose_name_plural = _("employees put forward")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="nomination_once_per_application"
            ),
            models.CheckConstraint(
                condition=Q(status__in=NominationStatus.values), name="nomination_status_known"
            ),
            models.CheckConstraint(
                condition=Q(payer__in=Payer.values), name="nomination_payer_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=NominationStatus.WITHDRAWN)
                | (Q(left_on__isnull=False) & Q(deduction__isnull=False)),
                name="nomination_leaving_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.application.enterprise.name}"

    @property
    def occupations(self) -> list[Occupation]:
        return [self.general_occupation, self.specialised_occupation]

    @property
    def enrolments(self) -> list[Enrolment]:
        return [e for e in (self.general_enrolment, self.specialised_enrolment) if e is not None]


class ReceiptQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the nomination: the enterprise, the batch's institution, the bureau."""
        return self.filter(nomination__in=Nomination.objects.scope_for(organisation).values("pk"))

    def scope_for_person(self, person: Person):
        """The receipts of their own nominations."""
        return self.filter(nomination__person=person)


class FeeReceipt(models.Model):
    """A receipt for the fee of one employee (WH20-FEE-1), paid by the enterprise in advance or
    by the employee, as the nomination says."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("employee")
    )
    payer = models.CharField(_("paid by"), max_length=16, choices=Payer.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    number = models.CharField(_("receipt number"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ReceiptQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["nomination", "paid_on", "pk"]
        verbose_name = _("fee receipt")
        verbose_name_plural = _("fee receipts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(condition=Q(payer__in=Payer.values), name="receipt_payer_known"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.amount}"


class UseCategory(models.TextChoices):
    """What the subsidy may pay (WH20-USE-1, 附件3 四): food, lodging, transport and
    communication are not categories, so they cannot be entered."""

    TEACHING = "teaching", _("Teaching (teachers' fees)")
    COURSES = "courses", _("Courses")
    MATERIALS = "materials", _("Training materials and consumables")
    ASSESSMENT = "assessment", _("Assessment")


class SubsidyUseQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the batch: the institution, the association, the enterprises scheduled into
        it, the bureau."""
        return self.filter(batch__in=Batch.objects.scope_for(organisation).values("pk"))


class SubsidyUse(models.Model):
    """One line of the institution's statement of how a batch's subsidy is used (WH20-USE-1),
    which its claim carries: a category and an amount."""

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="uses", verbose_name=_("training batch")
    )
    category = models.CharField(_("category"), max_length=16, choices=UseCategory.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = SubsidyUseQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["batch", "category", "pk"]
        verbose_name = _("use of subsidy")
        verbose_name_plural = _("uses of subsidy")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=UseCategory.values), name="subsidy_use_category_known"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_use_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.amount}"
