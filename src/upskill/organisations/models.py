"""Organisations, their users and roles, regions, and partner API tokens (docs/roles.md)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township")


class RegionQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """Administrative divisions: every organisation (public reference data)."""
        return self.all()

    def scope_for_person(self, person):
        """All (public reference data)."""
        return self.all()


class Region(models.Model):
    """An administrative division: GB/T 2260 6-digit codes for province, city and county;
    townships carry the county code plus three digits."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # HB45-CAT-1: the kinds of catalogue (catalog.models.CatalogKind) the region publishes
    # itself; empty for a county that uses its city's or province's catalogues. The catalogue
    # page flags those not published by the deadline.
    own_catalogues = models.JSONField(
        _("catalogues it publishes itself"),
        default=list,
        blank=True,
        help_text=_(
            "Kinds of catalogue this region publishes (HB45-CAT-1); empty when it uses its "
            "province's."
        ),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def county_code(self) -> str:
        return self.code[:6]


class OrganisationKind(models.TextChoices):
    PROVINCE_HR = "province_hr", _("Provincial HR & Social Security Department")
    CITY_HR = "city_hr", _("City HR & Social Security Bureau")
    COUNTY_HR = "county_hr", _("County HR & Social Security Bureau")
    TRAINING_CENTRE = "training_centre", _("Employment training centre")
    TOWNSHIP_CENTRE = "township_centre", _("Township HR service centre")
    INSTITUTION = "institution", _("Designated training institution")
    ENTERPRISE = "enterprise", _("Enterprise")
    ASSOCIATION = "association", _("Industry association")
    HR_SERVICE_CENTRE = "hr_service_centre", _("County HR service centre")
    RURAL_REVITALISATION = "rural_revitalisation", _("Rural revitalisation bureau")
    # An online training platform's operating company (WH20-PLT-1): its operator builds courses.
    PLATFORM = "platform", _("Online training platform")


# Kinds whose scope is everything in their region (province, city or county).
JURISDICTION_KINDS = {
    OrganisationKind.PROVINCE_HR,
    OrganisationKind.CITY_HR,
    OrganisationKind.COUNTY_HR,
    OrganisationKind.TRAINING_CENTRE,
}


class OrganisationQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the organisations of its jurisdiction; an association: itself and its member
        enterprises; any other organisation: itself."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(region__code__startswith=prefix)
        if organisation.kind == OrganisationKind.ASSOCIATION:
            return self.filter(
                models.Q(pk=organisation.pk) | models.Q(associations=organisation)
            ).distinct()
        return self.filter(pk=organisation.pk)


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    # Where the organisation sits: its jurisdiction for bureaus, its township for township
    # centres, its seat for institutions and enterprises.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("supervising organisation"),
    )
    associations = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": OrganisationKind.ASSOCIATION},
        verbose_name=_("member of associations"),
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # An enterprise's unemployment insurance (GA23-OBJ-3: post-skill training is for employees
    # of enterprises that pay it): from when it pays, where the record comes from, when it was
    # recorded. Blank: not recorded, so its employees are not admitted.
    unemployment_insured_since = models.DateField(
        _("pays unemployment insurance since"), null=True, blank=True
    )
    unemployment_insurance_source = models.CharField(
        _("source of the unemployment-insurance record"),
        max_length=128,
        blank=True,
        help_text=_("e.g. the social insurance agency's certificate of payment"),
    )
    unemployment_insurance_recorded = models.DateField(
        _("unemployment insurance recorded on"), null=True, blank=True
    )
    # HB61 五: an enterprise that pays its unemployment insurance to the province directly
    # (在省直缴纳失业保险金): its training subsidies are advanced by the local finance and
    # reimbursed by the province on the county's or city's request (reports app).
    unemployment_insured_at_province = models.BooleanField(
        _("pays unemployment insurance to the province directly"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("manage_users", _("Can manage the organisation's users")),
            ("manage_api_tokens", _("Can issue and revoke partner API tokens")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="organisation_unique")
        ]
        # the organisations list's sort (organisations/lists.py), the primary key last
        indexes = [models.Index(fields=["name", "id"], name="organisations_org_name_id")]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_prefix(self) -> str | None:
        """Region-code prefix of everything a bureau sees; None for other kinds.

        420000 (province) → "42", 420100 (city) → "4201", 421022 (county) → "421022".
        """
        if self.kind not in JURISDICTION_KINDS:
            return None
        code = self.region.code
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
        return code[:6]

    @property
    def county_code(self) -> str:
        return self.region.code[:6]


class RoleQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """Roles: those of the viewer's own kind of organisation."""
        return self.filter(organisation_kind=organisation.kind)


class Role(models.Model):
    """What a user may do inside the organisation's scope. Defaults come from
    ``organisations/roles.py``; administrators adjust the permissions in the product."""

    code = models.SlugField(_("code"), max_length=64)
    organisation_kind = models.CharField(
        _("organisation kind"), max_length=32, choices=OrganisationKind.choices
    )
    name = models.CharField(_("name"), max_length=64)
    permissions = models.ManyToManyField(Permission, blank=True, verbose_name=_("permissions"))
    is_staff_role = models.BooleanField(_("may use the administration site"), default=False)

    objects = RoleQuerySet.as_manager()
    history = audit_history(m2m_fields=[permissions])

    class Meta:
        ordering = ["organisation_kind", "code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["organisation_kind", "code"], name="role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_organisation_kind_display()} · {self.name}"

    def permission_names(self) -> set[str]:
        return {
            f"{app}.{codename}"
            for app, codename in self.permissions.values_list("content_type__app_label", "codename")
        }


class UserQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Users of the organisations the viewer may see."""
        return self.filter(organisation__in=Organisation.objects.scope_for(organisation))

    def scope_for_person(self, person):
        """Their own account."""
        return self.filter(person=person)


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A member of staff of one organisation, with one role in it; or a learner's own account (no
    organisation, no role), the ``account`` of a registry person (``user.person``)."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisation"),
    )
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("role")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    objects = ScopedUserManager()
    history = audit_history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiTokenQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """API tokens: only the organisation's own."""
        return self.filter(organisation=organisation)


class ApiToken(models.Model):
    """A partner system's credential (bank, province, rural revitalisation bureau): it acts for
    one organisation with one role, so it sees exactly what that organisation's users see.

    Only a SHA-256 digest of the secret is stored; the secret is shown once, at creation."""

    is_api_token = True
    is_authenticated = True
    is_superuser = False

    name = models.CharField(_("name"), max_length=64)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, verbose_name=_("role"))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    history = audit_history(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.organisation.is_active
        )

    def has_perm(self, perm: str, obj=None) -> bool:
        if not hasattr(self, "_perm_cache"):
            self._perm_cache = self.role.permission_names()
        return perm in self._perm_cache

    def get_username(self) -> str:
        return f"token:{self.prefix}"
