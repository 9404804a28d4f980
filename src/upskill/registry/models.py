"""The real-name registry of persons (学员/劳动者), one per county (HB45-QA-1).

Resident ID numbers and bank account numbers are encrypted at rest; a keyed lookup hash gives
uniqueness and exact search; a masked copy serves every screen.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from upskill.core.fields import EncryptedTextField, LookupHashField, PhoneMaskField
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region


class Hukou(models.TextChoices):
    AGRICULTURAL = "agricultural", _("Agricultural (rural)")
    NON_AGRICULTURAL = "non_agricultural", _("Non-agricultural")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class CategoryQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """Person categories: every organisation (reference data)."""
        return self.all()  # reference data

    def scope_for_person(self, person):
        """All (reference data)."""
        return self.all()


class Category(models.Model):
    """A category of person the policy names (GA23-OBJ-1/2). Configurable data: the provincial
    "nine categories" (鄂人社发〔2018〕64号) are not in the seed documents."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    # The category code the policy engine knows (docs/calculator.md `categories`), if any.
    policy_code = models.CharField(_("policy engine code"), max_length=64, blank=True)
    reference = models.CharField(_("legal reference"), max_length=128, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("person category")
        verbose_name_plural = _("person categories")

    def __str__(self) -> str:
        return self.name


class TermKind(models.TextChoices):
    HEADER = "header", _("column heading")
    CATEGORY = "category", _("category word")
    HUKOU = "hukou", _("household registration word")


class VocabularyTermQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Everyone: the wordings every county uses and those of its own county, city and
        province; a bureau also those of its jurisdiction."""
        code = organisation.region.code if organisation.region_id else ""
        applying = Q(region="") | Q(region__in=[code[:n] for n in (2, 4, 6, 9, 12) if code[:n]])
        prefix = organisation.jurisdiction_prefix
        if prefix:
            applying |= Q(region__startswith=prefix)
        return self.filter(applying)


class VocabularyTerm(models.Model):
    """One wording of the roster vocabulary (security item 10): a column heading, a category
    word or a household-registration word that rosters use, and what it means (a column key,
    a :class:`Category` code or a :class:`Hukou` value). Data, so a county adds its own
    wording without a deploy (registry/vocabulary.py reads it, cached)."""

    kind = models.CharField(_("kind"), max_length=16, choices=TermKind.choices)
    target = models.CharField(
        _("meaning"),
        max_length=64,
        help_text=_(
            "For a heading: the column (name, id_number, phone, township, hukou, category, sex, "
            "account_number, bank_name, account_kind). For a category word: the category's "
            "code. For a household registration word: agricultural or non_agricultural."
        ),
    )
    wording = models.CharField(_("wording"), max_length=64)
    region = models.CharField(
        _("region code prefix"),
        max_length=12,
        blank=True,
        help_text=_("Blank: every county. Else the code of the county (city…) that uses it."),
    )
    source = models.CharField(_("source"), max_length=128, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = VocabularyTermQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["kind", "target", "region", "wording"]
        verbose_name = _("roster wording")
        verbose_name_plural = _("roster vocabulary")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "wording", "region"], name="registry_vocabulary_unique_wording"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wording} → {self.target}"


class PersonQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: persons registered in its jurisdiction and persons affiliated with an
        organisation there; a township centre: its residents; the rural revitalisation bureau: the
        persons of the rosters it submitted (registered or given a category by it); an institution,
        enterprise or HR service centre: the persons affiliated with it (trainee, employee,
        referral); anyone else: nobody. A person outside the scope is found only by the exact
        ID number."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(
                Q(county__code__startswith=prefix)
                | Q(
                    pk__in=Affiliation.objects.effective()
                    .filter(organisation__region__code__startswith=prefix)
                    .values("person_id")
                )
            )
        kind = organisation.kind
        if kind == OrganisationKind.TOWNSHIP_CENTRE:
            return self.filter(township=organisation.region_id)
        if kind == OrganisationKind.RURAL_REVITALISATION:
            # the rosters it submitted: persons it registered or gave a category
            return self.filter(
                Q(registered_by=organisation)
                | Q(
                    pk__in=PersonCategory.objects.filter(source_organisation=organisation).values(
                        "person_id"
                    )
                )
            )
        if kind in (
            OrganisationKind.INSTITUTION,
            OrganisationKind.ENTERPRISE,
            OrganisationKind.HR_SERVICE_CENTRE,
        ):
            return self.filter(
                pk__in=Affiliation.objects.effective()
                .filter(organisation=organisation)
                .values("person_id")
            )
        return self.none()

    def scope_for_person(self, person: Person):
        """Themselves."""
        return self.filter(pk=person.pk)


class Person(models.Model):
    id_number = EncryptedTextField(_("resident ID number"), purpose="person.id_number")
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64, db_index=True)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    # Encrypted like the ID number; the hash finds a person by the full number, the masked copy
    # (138****1960) is what screens, exports and the API show. Both follow from `phone` on save.
    phone = EncryptedTextField(_("phone"), purpose="person.phone", blank=True)
    phone_hash = LookupHashField(source="phone", purpose="person.phone", db_index=True)
    phone_masked = PhoneMaskField(_("phone"), source="phone")
    # The county whose registry holds the person (one registry per county).
    county = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("registry county")
    )
    township = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("township of residence"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    hukou = models.CharField(_("household registration"), max_length=20, choices=Hukou.choices)
    insured_months = models.PositiveIntegerField(
        _("unemployment-insurance months"),
        default=0,
        help_text=_("Cumulative months over all employers (WH20-OBJ-1)."),
    )
    insured_months_as_of = models.DateField(_("insurance months as of"), null=True, blank=True)
    # HB61-MIG-1: a migrant worker living in a town for six months counts as an employee.
    town_residence_since = models.DateField(_("living in a town since"), null=True, blank=True)
    registered_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person's own login (a learner of the online path): a user with no organisation, who
    # sees exactly the records about this person (``scope_for_person``). ``user.person`` reads it.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("learner account"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["county", "name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [
            ("reveal_identity", _("Can reveal full ID and bank account numbers")),
            ("export_sensitive", _("Can export files with full ID and bank account numbers")),
            ("reveal_phone", _("Can reveal full phone numbers of the persons it calls")),
        ]
        indexes = [
            models.Index(fields=["county", "township"]),
            # the persons list (registry/lists.py) sorts by name or birth date, the primary key
            # last; a township's list reads its own range of the second index
            models.Index(fields=["name", "id"], name="registry_person_name_id"),
            models.Index(fields=["township", "name", "id"], name="registry_person_tsp_name_id"),
            models.Index(fields=["birth_date", "id"], name="registry_person_birth_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"

    @property
    def is_rural(self) -> bool:
        """`rural` in the policy (GA23-LIV-1) follows from the agricultural hukou."""
        return self.hukou == Hukou.AGRICULTURAL

    def age_on(self, on: date) -> int:
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class PersonRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """Follows the person: visible with a person the viewer may see."""
        return self.filter(person__in=Person.objects.scope_for(organisation).values("pk"))

    def scope_for_person(self, person: Person):
        """Their own."""
        return self.filter(person=person)


class PersonCategory(models.Model):
    """A person's membership of a category, with where it comes from and when it holds."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        _("source"), max_length=128, help_text=_("e.g. the roster it came from")
    )
    source_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["person", "category", "-valid_from"]
        verbose_name = _("person category")
        verbose_name_plural = _("person categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="personcategory_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.valid_from}–{self.valid_until or ''})"

    def holds_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


class AccountKind(models.TextChoices):
    CARD = "card", _("Bank card")
    PASSBOOK = "passbook", _("Passbook or other account")


class BankAccount(models.Model):
    """The account living allowances are paid into (GA23-LIV-1/2: straight to the trainee)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bank_accounts")
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    account_name = models.CharField(_("account name"), max_length=64)
    account_number = EncryptedTextField(_("account number"), purpose="bank.account_number")
    account_number_hash = models.CharField(max_length=64, editable=False, db_index=True)
    account_number_masked = models.CharField(_("account number"), max_length=40, editable=False)
    bank_name = models.CharField(_("bank"), max_length=64)
    branch_code = models.CharField(
        _("branch code"), max_length=16, blank=True, help_text=_("CNAPS bank code (联行号)")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    warning = models.CharField(_("warning"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["person", "-is_active", "-created_at"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_active=True), name="one_active_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number_masked}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    APPLIED = "applied", _("In use")
    REJECTED = "rejected", _("Rejected")


class BankAccountChangeRequest(models.Model):
    """Every recording or change of a person's allowance account (GA23-LIV-1/2), with who asked
    and who decided. It is put in use at once only when the holder is the person and the person
    has no approved, unpaid money; otherwise it waits for the bureau: the reviewer's exception
    for another holder, the payment clerk's confirmation once money is approved (never the
    requester in either case). The number is encrypted like the account's."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="bank_account_changes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    account_name = models.CharField(_("account name"), max_length=64)
    account_number = EncryptedTextField(_("account number"), purpose="bank.account_number")
    account_number_hash = models.CharField(max_length=64, editable=False)
    account_number_masked = models.CharField(_("account number"), max_length=40, editable=False)
    bank_name = models.CharField(_("bank"), max_length=64)
    branch_code = models.CharField(_("branch code"), max_length=16, blank=True)
    warning = models.CharField(_("warning"), max_length=255, blank=True)
    # The holder is not the person: the bureau's reviewer decides the exception.
    needs_exception = models.BooleanField(_("holder-name exception needed"), default=False)
    exception_reason = models.TextField(_("reason for another holder"), blank=True)
    exception_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exception_decided_at = models.DateTimeField(_("exception decided"), null=True, blank=True)
    # The person has approved, unpaid money: the bureau's payment clerk confirms.
    needs_confirmation = models.BooleanField(_("confirmation needed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    account = models.OneToOneField(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change",
        verbose_name=_("account put in use"),
    )

    objects = PersonRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("bank account change")
        verbose_name_plural = _("bank account changes")
        permissions = [
            ("confirm_bankaccountchangerequest", _("Can confirm bank account changes")),
            ("decide_holder_exception", _("Can decide an account held by another person")),
        ]
        constraints = [
            # one change at a time: a second waits until the first is decided
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=ChangeStatus.PENDING),
                name="one_pending_account_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.bank_name} {self.account_number_masked}"


class AffiliationKind(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    EMPLOYEE = "employee", _("Employee")
    REFERRAL = "referral", _("Referred for employment services")


class AffiliationBasis(models.TextChoices):
    """What an affiliation rests on. Never the bare knowledge of an ID number: finding a person
    by number shows "registered: 刘*" and nothing else."""

    ENROLMENT = "enrolment", _("Enrolment in one of its approved classes")
    REFERRAL = "referral", _("Referral for employment services")
    CONTRACT = "contract", _("Labour contract declared by the enterprise")
    REGISTRATION = "registration", _("Registered the person itself")
    # Made by the former "add to my organisation" button on an ID number alone: kept for the
    # record, but it no longer puts the person in anyone's scope, and nothing makes new ones.
    LINK = "link", _("Taken on by ID number alone (no longer counts)")


class AffiliationQuerySet(PersonRelatedQuerySet):
    def effective(self):
        """The affiliations that put a person in an organisation's scope."""
        return self.exclude(basis=AffiliationBasis.LINK)


class Affiliation(models.Model):
    """Why an organisation that is not a bureau may see a person: it trains them, employs them
    or serves them (docs/roles.md). Created by enrolment, referral, a labour contract, or the
    organisation's own registration of the person; each carries its basis."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AffiliationKind.choices)
    basis = models.CharField(_("basis"), max_length=16, choices=AffiliationBasis.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    objects = AffiliationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["person", "organisation"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "kind"], name="affiliation_unique"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="affiliation_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()}"


class InvitationPurpose(models.TextChoices):
    ACTIVATE = "activate", _("Activate the learner account")
    RESET = "reset", _("Set a new password")


class LearnerInvitationQuerySet(PersonRelatedQuerySet):
    def scope_for(self, organisation):
        """The invitations it handed out (its HR or its institution's clerks)."""
        return self.filter(organisation=organisation)

    def open(self, now):
        """Not used, not withdrawn, not expired."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class LearnerInvitation(models.Model):
    """A link (and its QR code) an enterprise's HR or an institution hands a learner, to open
    their own account or, after a forgotten password, to set a new one (WH20 online path). The
    learner confirms ID number and name against the registry on the link's page. The token is
    encrypted at rest; its keyed hash finds the invitation. One open invitation per person: a
    new one withdraws the earlier."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learner_invitations")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handed out by"),
        null=True,
        blank=True,
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=InvitationPurpose.choices)
    token = EncryptedTextField(_("token"), purpose="learner.invitation")
    token_hash = LookupHashField(source="token", purpose="learner.invitation", unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # wrong ID number or name typed on the link's page; the link closes after too many
    failures = models.PositiveSmallIntegerField(_("failed confirmations"), default=0)

    objects = LearnerInvitationQuerySet.as_manager()
    history = audit_history(excluded_fields=["token", "token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("learner invitation")
        verbose_name_plural = _("learner invitations")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_purpose_display()}"

    @property
    def path(self) -> str:
        """The link's path (the page that confirms ID number and name)."""
        return reverse("learner_activate", args=[self.token])
