"""Writes to the real-name registry. Every function takes the acting user or token first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import crypto
from upskill.core.masking import mask_account, mask_id_number
from upskill.core.scoping import get_visible_or_404, require_perm
from upskill.core.services import AccessAction, access_log_record
from upskill.organisations.models import Organisation, OrganisationKind, Region

from .identity import IdentityError, check_bank_account, normalise_digits, parse_resident_id
from .models import (
    AccountKind,
    Affiliation,
    AffiliationKind,
    BankAccount,
    Category,
    Person,
    PersonCategory,
)

ID_PURPOSE = "person.id_number"
ACCOUNT_PURPOSE = "bank.account_number"

# Organisations that see a person only through an affiliation get one when they register or
# find the person (ROLES.md: "to enrol or employ them").
_AFFILIATION_ON_REGISTER = {
    OrganisationKind.INSTITUTION: AffiliationKind.TRAINEE,
    OrganisationKind.ENTERPRISE: AffiliationKind.EMPLOYEE,
    OrganisationKind.HR_SERVICE_CENTRE: AffiliationKind.REFERRAL,
}


class DuplicatePerson(ValidationError):
    """The ID number is registered already. Says no more than that (ROLES.md)."""

    def __init__(self) -> None:
        super().__init__(
            {"id_number": _("This ID number is already registered.")}, code="duplicate"
        )


def id_number_hash(number: str) -> str:
    return crypto.lookup_hash(normalise_digits(number), purpose=ID_PURPOSE)


def _county_of(actor, county: Region | None, township: Region | None) -> Region:
    if township is not None:
        return township.parent
    if county is not None:
        return county
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        raise ValidationError({"county": _("Choose the county whose registry holds the person.")})
    return Region.objects.get(code=organisation.county_code)


@transaction.atomic
def person_register(
    *,
    actor,
    id_number: str,
    name: str,
    hukou: str,
    phone: str = "",
    county: Region | None = None,
    township: Region | None = None,
    address: str = "",
    insured_months: int = 0,
    insured_months_as_of: date | None = None,
) -> Person:
    """Register a person by resident ID number. One person, one record: a duplicate is refused
    without revealing who holds the number."""
    require_perm(actor, "registry.add_person")
    try:
        resident = parse_resident_id(id_number)
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": _("The name is required.")})
    digest = id_number_hash(resident.number)
    if Person.objects.filter(id_number_hash=digest).exists():
        raise DuplicatePerson()
    if township is not None and township.level != "township":
        raise ValidationError({"township": _("Choose a township.")})
    organisation = getattr(actor, "organisation", None)
    person = Person(
        id_number=resident.number,
        id_number_hash=digest,
        id_number_masked=mask_id_number(resident.number),
        name=name,
        birth_date=resident.birth_date,
        sex=resident.sex,
        phone=normalise_digits(phone),
        county=_county_of(actor, county, township),
        township=township,
        address=address,
        hukou=hukou,
        insured_months=insured_months,
        insured_months_as_of=insured_months_as_of,
        registered_by=organisation,
    )
    person.full_clean(exclude=["id_number_hash", "id_number_masked", "birth_date", "sex"])
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # a concurrent registration of the same number won the race
        raise DuplicatePerson() from None
    if organisation is not None and organisation.kind in _AFFILIATION_ON_REGISTER:
        affiliation_ensure(
            person=person,
            organisation=organisation,
            kind=_AFFILIATION_ON_REGISTER[organisation.kind],
        )
    return person


UPDATABLE_FIELDS = (
    "name",
    "phone",
    "township",
    "address",
    "hukou",
    "insured_months",
    "insured_months_as_of",
)


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change what may change; the ID number (and what derives from it) never does."""
    person = get_visible_or_404(Person, actor, perm="registry.change_person", pk=person.pk)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for field, value in changes.items():
        setattr(person, field, value)
    if "phone" in changes:
        person.phone = normalise_digits(person.phone)
    if "township" in changes and person.township is not None:
        person.county = person.township.parent
    person.full_clean(exclude=["id_number_hash", "id_number_masked", "birth_date", "sex"])
    person.save()
    return person


def person_find_by_id_number(*, actor, id_number: str) -> Person | None:
    """Exact lookup across the registry, for enrolling or employing a person (ROLES.md).
    Not scoped on purpose: the caller must already know the full number."""
    require_perm(actor, "registry.view_person")
    try:
        resident = parse_resident_id(id_number)
    except IdentityError:
        return None
    return Person.objects.filter(id_number_hash=id_number_hash(resident.number)).first()


def affiliation_ensure(
    *, person: Person, organisation: Organisation, kind: str, since: date | None = None
) -> Affiliation:
    affiliation, _created = Affiliation.objects.get_or_create(
        person=person,
        organisation=organisation,
        kind=kind,
        defaults={"since": since or timezone.localdate()},
    )
    return affiliation


def person_link_to_organisation(*, actor, id_number: str) -> Person:
    """An institution, enterprise or service centre takes on a registered person it found by
    exact ID number, so the person enters its scope."""
    require_perm(actor, "registry.view_person")
    organisation = actor.organisation
    if organisation is None or organisation.kind not in _AFFILIATION_ON_REGISTER:
        raise ValidationError(_("Your organisation sees persons by jurisdiction, not by link."))
    person = person_find_by_id_number(actor=actor, id_number=id_number)
    if person is None:
        raise ValidationError({"id_number": _("No person is registered with this ID number.")})
    affiliation_ensure(
        person=person, organisation=organisation, kind=_AFFILIATION_ON_REGISTER[organisation.kind]
    )
    return person


def person_reveal_id_number(*, actor, person: Person, remote_addr: str | None = None) -> str:
    """The full ID number, for a permitted role; every reveal is written to the access log."""
    person = get_visible_or_404(Person, actor, perm="registry.reveal_identity", pk=person.pk)
    access_log_record(
        actor=actor,
        action=AccessAction.REVEAL,
        obj=person,
        field="id_number",
        description=f"{person.name} {person.id_number_masked}",
        remote_addr=remote_addr,
    )
    return person.id_number


def bank_account_reveal(*, actor, account: BankAccount, remote_addr: str | None = None) -> str:
    account = get_visible_or_404(BankAccount, actor, perm="registry.reveal_identity", pk=account.pk)
    access_log_record(
        actor=actor,
        action=AccessAction.REVEAL,
        obj=account,
        field="account_number",
        description=f"{account.account_name} {account.account_number_masked}",
        remote_addr=remote_addr,
    )
    return account.account_number


@dataclass
class AccountResult:
    account: BankAccount
    warning: str


@transaction.atomic
def bank_account_set(
    *,
    actor,
    person: Person,
    kind: str,
    account_name: str,
    account_number: str,
    bank_name: str,
    branch_code: str = "",
) -> AccountResult:
    """Record the account allowances are paid into; the previous one stays in the history,
    inactive. A card number must pass Luhn; a passbook number is accepted with a warning."""
    person = get_visible_or_404(Person, actor, perm="registry.change_person", pk=person.pk)
    try:
        checked = check_bank_account(account_number, kind=kind)
    except IdentityError as exc:
        raise ValidationError({"account_number": str(exc)}) from None
    if kind not in AccountKind.values:
        raise ValidationError({"kind": _("Choose the kind of account.")})
    account_name = " ".join(str(account_name).split())
    if account_name != person.name:
        warning_name = _("The account name differs from the person's registered name.")
    else:
        warning_name = ""
    person.bank_accounts.filter(is_active=True).update(is_active=False)
    warning = " ".join(w for w in (checked.warning, warning_name) if w)
    account = BankAccount(
        person=person,
        kind=kind,
        account_name=account_name,
        account_number=checked.number,
        account_number_hash=crypto.lookup_hash(checked.number, purpose=ACCOUNT_PURPOSE),
        account_number_masked=mask_account(checked.number),
        bank_name=bank_name,
        branch_code=normalise_digits(branch_code),
        warning=warning,
    )
    account.full_clean(exclude=["account_number_hash", "account_number_masked"])
    account.save()
    return AccountResult(account=account, warning=warning)


@transaction.atomic
def person_category_add(
    *,
    actor,
    person: Person,
    category: Category,
    source: str,
    valid_from: date,
    valid_until: date | None = None,
) -> PersonCategory:
    person = get_visible_or_404(Person, actor, perm="registry.add_personcategory", pk=person.pk)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity is before its start.")})
    entry = PersonCategory(
        person=person,
        category=category,
        source=source,
        source_organisation=getattr(actor, "organisation", None),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    entry.full_clean()
    entry.save()
    return entry
