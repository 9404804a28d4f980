"""Claims, their lines and items as the policy engine priced them, their documents (HB61-DOC-1)
and the objections of the public notice (HB45-PUB-1)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.policy.engine import ACCEPTED, INVALID, REJECTED
from upskill.registry.models import Person

from ._common import MONEY, ZERO, claimant_or_bureau_q
from .funds import Fund


class ClaimKind(models.TextChoices):
    INSTITUTION = "institution", _("Institution: a finished class")
    ENTERPRISE = "enterprise", _("Enterprise: its training programme")
    TOWNSHIP = "township", _("Township: management fees")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    NOTICE = "notice", _("Public notice")
    PAYABLE = "payable", _("Approved, payable")
    REFUSED = "refused", _("Refused")


class ClaimQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A claim: the claimant and the bureaus of the claim's county."""
        return self.filter(claimant_or_bureau_q(organisation))


class Claim(models.Model):
    """A claim for a subsidy, assembled by the system (nobody types an amount)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ClaimKind.choices)
    claimant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="claims", verbose_name=_("claimant")
    )
    county = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("class"),
    )
    period_year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    return_reason = models.TextField(_("reasons of the return"), blank=True)
    fund = models.ForeignKey(
        Fund,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("charged to fund"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    notice_from = models.DateField(_("public notice from"), null=True, blank=True)
    notice_until = models.DateField(_("public notice until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClaimQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        permissions = [
            ("submit_claim", _("Can assemble and submit subsidy claims")),
            ("review_claim", _("Can review subsidy claims")),
        ]
        constraints = [
            # One live claim per class: a class is never claimed twice.
            models.UniqueConstraint(
                fields=["training_class"],
                condition=~Q(status=ClaimStatus.REFUSED),
                name="claim_once_per_class",
            ),
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
        ]

    def __str__(self) -> str:
        what = self.training_class.name if self.training_class_id else self.get_kind_display()
        return f"#{self.pk} {self.claimant.name} · {what}"

    @property
    def accepted_total(self) -> Decimal:
        return sum((line.total for line in self.lines.all()), ZERO)

    @property
    def approved_total(self) -> Decimal:
        return sum(
            (line.total for line in self.lines.all() if line.decision == Decision.APPROVED), ZERO
        )


class ClaimRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the claim: the claimant and the bureaus of the claim's county."""
        return self.filter(claim__in=Claim.objects.scope_for(organisation).values("pk"))


class LineStatus(models.TextChoices):
    """The engine's outcome for a line's record (``policy.engine``)."""

    ACCEPTED = ACCEPTED, _("accepted")
    REJECTED = REJECTED, _("refused")
    INVALID = INVALID, _("invalid")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# Who is paid items of claims they did not file: the township centre its management fee
# (GA23-FEE-1), the enterprise its online-training subsidy on an institution's claim for its
# employees (WH20-SUB-3, 由培训机构代申请).
PAID_ON_OTHERS_CLAIMS = (OrganisationKind.TOWNSHIP_CENTRE, OrganisationKind.ENTERPRISE)


class LineQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the claim; a township centre also sees the lines that carry its management
        fees, an enterprise those that carry its online-training subsidy for its employee on an
        institution's claim (WH20-SUB-3)."""
        q = Q(claim__in=Claim.objects.scope_for(organisation).values("pk"))
        if organisation.kind in PAID_ON_OTHERS_CLAIMS:
            q |= Q(items__payee_organisation=organisation)
        return self.filter(q).distinct()

    def scope_for_person(self, person: Person):
        """The lines about them (their training, their subsidy)."""
        return self.filter(person=person)


class ClaimLine(models.Model):
    """One trainee (or one record) of a claim: the calculator record built from the system's
    data, the engine's outcome and its explanation, and the reviewer's decision."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claim_lines")
    enrolment = models.ForeignKey(
        "training.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record = models.JSONField(_("calculator record"))
    date = models.DateField(_("date"))
    occupation = models.CharField(_("occupation"), max_length=64, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    status = models.CharField(_("engine outcome"), max_length=16, choices=LineStatus.choices)
    total = models.DecimalField(_("amount"), **MONEY, default=ZERO)
    explanation = models.JSONField(_("explanation"))
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)

    objects = LineQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LineStatus.values), name="claim_line_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="claim_line_decision_valid"
            ),
            # only a line the engine accepted is approved (HB45-PUB-1)
            models.CheckConstraint(
                condition=~Q(decision=Decision.APPROVED) | Q(status=LineStatus.ACCEPTED),
                name="claim_line_approved_if_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.person}"

    @property
    def is_accepted(self) -> bool:
        return self.status == LineStatus.ACCEPTED


class Payee(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    ORGANISER = "organiser", _("Training organiser")
    TOWNSHIP = "township", _("Township centre")
    ENTERPRISE = "enterprise", _("Enterprise")


class ItemQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the claim; a township centre or an enterprise also sees the items payable to
        it on others' claims (GA23-FEE-1, WH20-SUB-3)."""
        q = Q(line__claim__in=Claim.objects.scope_for(organisation).values("pk"))
        if organisation.kind in PAID_ON_OTHERS_CLAIMS:
            q |= Q(payee_organisation=organisation)
        return self.filter(q)

    def scope_for_person(self, person: Person):
        """The items of the lines about them."""
        return self.filter(line__person=person)


class ClaimItem(models.Model):
    """One amount of a line as the engine computed it: rule, kind, payee, amount."""

    line = models.ForeignKey(ClaimLine, on_delete=models.PROTECT, related_name="items")
    rule = models.CharField(_("rule"), max_length=16)
    kind = models.CharField(_("kind"), max_length=32)
    payee = models.CharField(_("payee"), max_length=16, choices=Payee.choices)
    payee_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    message = models.TextField(_("explanation"))
    # On a township's claim (GA23-FEE-1): the fee item of the organiser's claim it claims.
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="township_claims",
        verbose_name=_("fee of the organiser's claim"),
    )

    objects = ItemQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["line", "pk"]
        verbose_name = _("claim item")
        verbose_name_plural = _("claim items")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_item_positive"),
            models.CheckConstraint(
                condition=Q(payee__in=Payee.values), name="claim_item_payee_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.amount}"

    @property
    def claimed_by_township(self) -> bool:
        """A township's management fee (GA23-FEE-1) computed on an organiser's line: the engine
        prices it there, but the township claims it with its own claim, once the training
        subsidy is approved; the organiser's claim never charges or pays it."""
        return self.payee == Payee.TOWNSHIP and self.line.claim.kind != ClaimKind.TOWNSHIP

    @property
    def latest_township_claim(self) -> ClaimItem | None:
        """The township claim's item that claimed this fee last (prefetch ``township_claims``)."""
        claimed = list(self.township_claims.all())
        return claimed[-1] if claimed else None


class ClaimDocument(models.Model):
    """A document of the claim's checklist (HB61-DOC-1), uploaded through the storage API, or
    marked as verified inside the system (a certificate the system holds needs no copy)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    key = models.CharField(_("document"), max_length=32)
    file = models.FileField(_("file"), upload_to="subsidies/claims/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    verified_in_system = models.BooleanField(_("verified in the system"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ClaimRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["claim", "key"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        constraints = [models.UniqueConstraint(fields=["claim", "key"], name="claim_document_once")]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.key}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the line is refused")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection lodged during the public notice (HB45-PUB-1); it must be resolved before
    anything of the claim is paid."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="objections")
    line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    lodged_by = models.CharField(_("lodged by"), max_length=64)
    contact = models.CharField(_("contact"), max_length=64, blank=True)
    text = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)

    objects = ClaimRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["claim", "lodged_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ObjectionStatus.values), name="objection_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.lodged_by}"
