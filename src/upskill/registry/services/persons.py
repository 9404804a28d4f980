"""Persons registered, one at a time or a roster's new persons in bulk, and updated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from upskill.core.history import bulk_create_audited
from upskill.core.masking import mask_id_number
from upskill.core.scoping import SYSTEM, Actor, get_visible_or_404, require_perm
from upskill.organisations.models import OrganisationKind, Region, RegionLevel, User

from ..identity import IdentityError, ResidentId, parse_resident_id
from ..lookup import id_number_hash
from ..models import AffiliationBasis, AffiliationKind, Person
from ..rosters import check_phone
from .affiliations import affiliation_ensure, affiliations_ensure_bulk

# Organisations that see a person only through an affiliation get one when they register the
# person themselves (basis "registration"), or enrol, refer or employ them (docs/roles.md).
_AFFILIATION_ON_REGISTER = {
    OrganisationKind.INSTITUTION: AffiliationKind.TRAINEE,
    OrganisationKind.ENTERPRISE: AffiliationKind.EMPLOYEE,
    OrganisationKind.HR_SERVICE_CENTRE: AffiliationKind.REFERRAL,
}


class DuplicatePerson(ValidationError):
    """The ID number is registered already. Says no more than that (docs/roles.md)."""

    def __init__(self) -> None:
        super().__init__(
            {"id_number": _("This ID number is already registered.")}, code="duplicate"
        )


def _county_of(actor, county: Region | None, township: Region | None) -> Region:
    if township is not None:
        return township.parent
    if county is not None:
        return county
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        raise ValidationError({"county": _("Choose the county whose registry holds the person.")})
    return Region.objects.get(code=organisation.county_code)


def _checked_phone(value: str | None) -> str:
    try:
        return check_phone(value or "")
    except ValueError as exc:
        raise ValidationError({"phone": str(exc)}) from None


@transaction.atomic
def person_register(
    *,
    actor: Actor,
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
    if township is not None and township.level != RegionLevel.TOWNSHIP:
        raise ValidationError({"township": _("Choose a township.")})
    organisation = getattr(actor, "organisation", None)
    person = Person(
        id_number=resident.number,
        id_number_hash=digest,
        id_number_masked=mask_id_number(resident.number),
        name=name,
        birth_date=resident.birth_date,
        sex=resident.sex,
        phone=_checked_phone(phone),
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
            actor=actor,
            person=person,
            organisation=organisation,
            kind=_AFFILIATION_ON_REGISTER[organisation.kind],
            basis=AffiliationBasis.REGISTRATION,
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
    "town_residence_since",  # HB61-MIG-1
)


def may_correct_name(*, actor: Actor) -> bool:
    """Whether ``actor`` may correct a person's registered name: a bureau (in its jurisdiction:
    the person is in its scope) or the product itself."""
    if actor is SYSTEM or (getattr(actor, "is_superuser", False) and actor.is_authenticated):
        return True
    organisation = getattr(actor, "organisation", None)
    return organisation is not None and bool(organisation.jurisdiction_prefix)


def person_update(*, actor: Actor, person: Person, **changes) -> Person:
    """Change what may change; the ID number (and what derives from it) never does."""
    person = get_visible_or_404(Person, actor, perm="registry.change_person", pk=person.pk)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "name" in changes and changes["name"] != person.name and not may_correct_name(actor=actor):
        # The registered name is the one on the ID card: an allowance account must be held in
        # it, so renaming the person would let an organiser redirect the allowance (security
        # item 4). Only the bureau corrects it.
        raise PermissionDenied(
            _("The registered name is corrected by the county bureau; ask it to correct it.")
        )
    for field, value in changes.items():
        setattr(person, field, value)
    if "phone" in changes:
        person.phone = _checked_phone(person.phone)
    if "township" in changes and person.township is not None:
        person.county = person.township.parent
    person.full_clean(exclude=["id_number_hash", "id_number_masked", "birth_date", "sex"])
    person.save()
    return person


@transaction.atomic
def person_account_create(
    *, actor: Actor, person: Person, username: str, password: str, check_password: bool = True
) -> User:
    """Open a learner's own login (the online path): a user with no organisation, no role and no
    admin access, linked to ``person``, who sees exactly the records about them (docs/roles.md,
    ``scope_for_person``). One account per person."""
    person = get_visible_or_404(Person, actor, perm="registry.change_person", pk=person.pk)
    if person.account_id is not None:
        raise ValidationError(_("This person has a learner account already."))
    user = User(username=username, first_name=person.name)
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    person.account = user
    person.save(update_fields=["account", "updated_at"])
    return user


@dataclass(frozen=True)
class NewPerson:
    """A person a roster registers, checked already (the number parsed, its hash made)."""

    resident: ResidentId
    digest: str
    name: str
    hukou: str
    county: Region
    township: Region | None = None
    phone: str = ""
    insured_months: int = 0


def persons_register_bulk(
    *, actor: Actor, persons: Sequence[NewPerson], basis: str = AffiliationBasis.REGISTRATION
) -> list[Person]:
    """Register many checked persons at once, as :func:`person_register` registers one: the ID
    number encrypted with its lookup hash and mask, the audit-trail rows a save writes, and the
    registering institution's, enterprise's or centre's affiliation. Call inside a transaction;
    an ID number registered meanwhile raises IntegrityError (the roster is then refused).
    ``basis``: what the affiliation rests on (an enrolling class's roster passes enrolment)."""
    require_perm(actor, "registry.add_person")
    organisation = getattr(actor, "organisation", None)
    created = bulk_create_audited(
        [
            Person(
                id_number=new.resident.number,
                id_number_hash=new.digest,
                id_number_masked=mask_id_number(new.resident.number),
                name=new.name,
                birth_date=new.resident.birth_date,
                sex=new.resident.sex,
                phone=new.phone,
                county_id=new.county.pk,
                township_id=new.township.pk if new.township is not None else None,
                hukou=new.hukou,
                insured_months=new.insured_months,
                registered_by_id=organisation.pk if organisation is not None else None,
            )
            for new in persons
        ],
        Person,
        actor=actor,
    )
    if organisation is not None and organisation.kind in _AFFILIATION_ON_REGISTER:
        affiliations_ensure_bulk(
            actor=actor,
            person_ids=[person.pk for person in created],
            organisation=organisation,
            kind=_AFFILIATION_ON_REGISTER[organisation.kind],
            basis=basis,
        )
    return created
