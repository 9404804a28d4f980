"""Writes to the real-name registry. Every function takes the acting user or token first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from upskill.core import crypto, hooks
from upskill.core.actor import user_of
from upskill.core.history import bulk_create_audited
from upskill.core.imports import (
    CUT_NUMBER_MESSAGE,
    Column,
    ImportRejected,
    RowProblem,
    RowProblems,
    is_cut,
    read_rows,
    run_import,
)
from upskill.core.masking import mask_account, mask_id_number, mask_name
from upskill.core.scoping import SYSTEM, get_visible_or_404, require_perm
from upskill.core.services import AccessAction, access_log_record, access_log_record_many
from upskill.organisations.models import Organisation, OrganisationKind, Region

from . import selectors
from .identity import (
    IdentityError,
    ResidentId,
    check_bank_account,
    normalise_digits,
    parse_resident_id,
)
from .models import (
    AccountKind,
    Affiliation,
    AffiliationBasis,
    AffiliationKind,
    BankAccount,
    BankAccountChangeRequest,
    Category,
    ChangeStatus,
    Hukou,
    Person,
    PersonCategory,
    TermKind,
    VocabularyTerm,
)
from .vocabulary import DEFAULT_HEADERS, Vocabulary, vocabulary
from .vocabulary import clear_cache as vocabulary_cache_clear
from .vocabulary import words as vocabulary_words

ID_PURPOSE = "person.id_number"
REVEAL_PHONE = selectors.REVEAL_PHONE
ACCOUNT_PURPOSE = "bank.account_number"

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


def _checked_phone(value: str | None) -> str:
    try:
        return check_phone(value or "")
    except ValueError as exc:
        raise ValidationError({"phone": str(exc)}) from None


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
        person.phone = _checked_phone(person.phone)
    if "township" in changes and person.township is not None:
        person.county = person.township.parent
    person.full_clean(exclude=["id_number_hash", "id_number_masked", "birth_date", "sex"])
    person.save()
    return person


def person_find_by_id_number(*, actor, id_number: str) -> Person | None:
    """Exact lookup across the registry, for services that are handed a full ID number (a
    certificate recorded, a labour contract declared). Not scoped on purpose: the caller must
    already know the full number. Never answer a user with the person found: pages and the
    API answer through :func:`person_lookup`."""
    require_perm(actor, "registry.view_person")
    try:
        resident = parse_resident_id(id_number)
    except IdentityError:
        return None
    return Person.objects.filter(id_number_hash=id_number_hash(resident.number)).first()


def person_for_declaration(*, actor, id_number: str, name: str) -> Person:
    """The registered person an organisation declares by ID number *and* name (a labour
    contract, like a row of the contract list or of a class roster). Refuses a number that is
    not registered or a name that differs, without saying whose number it is."""
    require_perm(actor, "registry.view_person")
    person = person_find_by_id_number(actor=actor, id_number=id_number)
    if person is None:
        raise ValidationError({"id_number": _("No person is registered with this ID number.")})
    if person_name(name) != person_name(person.name):
        raise ValidationError(
            {"name": _("The name differs from the one registered for this ID number.")}
        )
    return person


@dataclass(frozen=True)
class LookupResult:
    """All a look-up by ID number tells anyone, bureaus included: registered or not, and the
    name masked as 刘*. Never the phone, birth date, township or the record itself."""

    registered: bool
    name_masked: str | None
    person: Person | None  # for the caller's own use (the enrolment offer), never shown


def person_lookup(*, actor, id_number: str, remote_addr: str | None = None) -> LookupResult:
    """Look a person up by the exact ID number (page and API). Every look-up is written to the
    access log with the number masked, found or not. Rate-limited by the caller
    (``UPSKILL_LOOKUP_RATE``, core/throttle.py)."""
    require_perm(actor, "registry.view_person")
    try:
        resident = parse_resident_id(id_number)
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    person = Person.objects.filter(id_number_hash=id_number_hash(resident.number)).first()
    masked = mask_id_number(resident.number)
    access_log_record(
        actor=actor,
        action=AccessAction.LOOKUP,
        obj=person,
        field="id_number",
        description=(
            _("%(number)s: registered") if person is not None else _("%(number)s: not registered")
        )
        % {"number": masked},
        remote_addr=remote_addr,
    )
    if person is None:
        return LookupResult(registered=False, name_masked=None, person=None)
    return LookupResult(registered=True, name_masked=mask_name(person.name), person=person)


def _link_description(person_masked: str, organisation: Organisation, basis: str) -> str:
    return f"{person_masked} → {organisation.name}: {AffiliationBasis(basis).label}"


def affiliation_ensure(
    *,
    actor=SYSTEM,
    person: Person,
    organisation: Organisation,
    kind: str,
    basis: str,
    since: date | None = None,
) -> Affiliation:
    """The affiliation that lets ``organisation`` see ``person``, resting on ``basis`` (an
    enrolment, a referral, a labour contract, or its own registration of the person); a new
    one is written to the access log. Nothing makes one from an ID number alone."""
    if basis == AffiliationBasis.LINK or basis not in AffiliationBasis.values:
        raise ValueError(f"An affiliation needs a real basis, not {basis!r}.")
    affiliation, created = Affiliation.objects.get_or_create(
        person=person,
        organisation=organisation,
        kind=kind,
        defaults={"since": since or timezone.localdate(), "basis": basis},
    )
    if not created and affiliation.basis == AffiliationBasis.LINK:
        affiliation.basis = basis  # a former bare link now rests on something real
        affiliation.save(update_fields=["basis"])
        created = True
    if created:
        access_log_record(
            actor=actor,
            action=AccessAction.LINK,
            obj=affiliation,
            field="basis",
            description=_link_description(person.id_number_masked, organisation, basis),
        )
    return affiliation


def _refuse_enterprise(actor) -> None:
    """Enterprises never see a full ID or bank number, whatever their role's permissions say
    (defence in depth: the default enterprise role has no reveal permission either)."""
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.kind == OrganisationKind.ENTERPRISE:
        raise PermissionDenied("registry.reveal_identity")


def _reveal(*, actor, obj, field: str, description: str, remote_addr: str | None) -> str:
    """Every full reveal of a sensitive number goes through here: written to the access log
    (what was looked at, never the value), then the value."""
    access_log_record(
        actor=actor,
        action=AccessAction.REVEAL,
        obj=obj,
        field=field,
        description=description,
        remote_addr=remote_addr,
    )
    return getattr(obj, field)


def person_reveal_id_number(*, actor, person: Person, remote_addr: str | None = None) -> str:
    """The full ID number, for a permitted role; every reveal is written to the access log."""
    person = get_visible_or_404(Person, actor, perm="registry.reveal_identity", pk=person.pk)
    _refuse_enterprise(actor)
    return _reveal(
        actor=actor,
        obj=person,
        field="id_number",
        description=f"{person.name} {person.id_number_masked}",
        remote_addr=remote_addr,
    )


def person_reveal_phone(*, actor, person: Person, remote_addr: str | None = None) -> str:
    """The full phone number, for the roles whose work is calling people, and only for the
    persons they call (``selectors.phone_revealable``: a counsellor its referrals, an inspector
    its county's persons, a township centre its residents, an institution its enrolled
    trainees; an enterprise never). Outside the scope 404, inside it without that purpose 403;
    every reveal is written to the access log."""
    person = get_visible_or_404(Person, actor, perm=REVEAL_PHONE, pk=person.pk)
    if not selectors.phone_revealable(actor=actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Your organisation does not call this person."))
    return _reveal(
        actor=actor,
        obj=person,
        field="phone",
        description=f"{person.name} {person.phone_masked}",
        remote_addr=remote_addr,
    )


def bank_account_reveal(*, actor, account: BankAccount, remote_addr: str | None = None) -> str:
    account = get_visible_or_404(BankAccount, actor, perm="registry.reveal_identity", pk=account.pk)
    _refuse_enterprise(actor)
    return _reveal(
        actor=actor,
        obj=account,
        field="account_number",
        description=f"{account.account_name} {account.account_number_masked}",
        remote_addr=remote_addr,
    )


@dataclass
class AccountResult:
    change: BankAccountChangeRequest
    account: BankAccount | None  # the account put in use, None while the change waits
    warning: str


CONFIRM_CHANGE = "registry.confirm_bankaccountchangerequest"
DECIDE_EXCEPTION = "registry.decide_holder_exception"


def _may_record_account(actor, person: Person) -> None:
    """Who records or changes a person's allowance account (the person is in scope already): a
    bureau in its jurisdiction, a township centre for its residents, an institution or
    enterprise only for the trainees enrolled in its classes (``person.trainee_of``) — not for
    anyone it merely found by ID number. The product itself (demo, imports) may."""
    if actor is SYSTEM or (getattr(actor, "is_superuser", False) and actor.is_authenticated):
        return
    organisation = getattr(actor, "organisation", None)
    if organisation is not None:
        if organisation.jurisdiction_prefix:
            return
        if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
            return  # its residents (its scope)
        if organisation.kind in (
            OrganisationKind.INSTITUTION,
            OrganisationKind.ENTERPRISE,
        ) and hooks.any_true(hooks.PERSON_TRAINEE_OF, person=person, organisation=organisation):
            return
    raise PermissionDenied(
        _("Your organisation records bank accounts only for trainees enrolled in its classes.")
    )


def has_unpaid_money(person: Person) -> bool:
    """Whether the person has approved (or charged) allowance money not yet paid: asked of the
    later apps through ``person.unpaid_money`` (subsidies answers)."""
    return hooks.any_true(hooks.PERSON_UNPAID_MONEY, person=person)


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
    exception_reason: str = "",
) -> AccountResult:
    """Record or change the account allowances are paid into (GA23-LIV-1/2: to the trainee).
    A card number must pass Luhn; a passbook number is accepted with a warning. Every call is a
    :class:`BankAccountChangeRequest`, put in use at once only when the holder is the person
    and the person has no approved, unpaid money; otherwise it waits for the bureau (the
    reviewer's exception for another holder, the payment clerk's confirmation), and the
    account in use stays the one paid into. The previous account stays in the history."""
    person = get_visible_or_404(
        Person.objects.select_for_update(), actor, perm="registry.change_person", pk=person.pk
    )
    _may_record_account(actor, person)
    try:
        checked = check_bank_account(account_number, kind=kind)
    except IdentityError as exc:
        raise ValidationError({"account_number": str(exc)}) from None
    if kind not in AccountKind.values:
        raise ValidationError({"kind": _("Choose the kind of account.")})
    account_name = " ".join(str(account_name).split())
    exception_reason = str(exception_reason or "").strip()
    needs_exception = account_name != person.name
    if needs_exception and not exception_reason:
        raise ValidationError(
            {
                "account_name": _(
                    "The account holder must be the person (%(name)s, as registered). If the "
                    "person cannot hold an account in their own name, give the reason to ask "
                    "the bureau's reviewer for an exception; the account is not paid into "
                    "before the reviewer approves it."
                )
                % {"name": person.name}
            }
        )
    if person.bank_account_changes.filter(status=ChangeStatus.PENDING).exists():
        raise ValidationError(
            _("A change of this person's account awaits the bureau's decision; it comes first.")
        )
    warning = " ".join(
        w
        for w in (
            checked.warning,
            _("The account name differs from the person's registered name.")
            if needs_exception
            else "",
        )
        if w
    )
    change = BankAccountChangeRequest(
        person=person,
        kind=kind,
        account_name=account_name,
        account_number=checked.number,
        account_number_hash=crypto.lookup_hash(checked.number, purpose=ACCOUNT_PURPOSE),
        account_number_masked=mask_account(checked.number),
        bank_name=" ".join(str(bank_name).split()),
        branch_code=normalise_digits(branch_code),
        warning=warning,
        needs_exception=needs_exception,
        exception_reason=exception_reason if needs_exception else "",
        needs_confirmation=has_unpaid_money(person),
        requested_by=user_of(actor),
        requested_by_organisation=getattr(actor, "organisation", None),
    )
    change.full_clean(exclude=["account_number_hash", "account_number_masked", "person", "account"])
    change.save()
    account = _apply_if_ready(change)
    return AccountResult(change=change, account=account, warning=warning)


def _apply_if_ready(change: BankAccountChangeRequest) -> BankAccount | None:
    """Put the change in use once every decision it needs is made. Money approved while an
    exception was waiting makes it wait for the payment clerk too."""
    if change.needs_exception and change.exception_decided_at is None:
        return None
    if not change.needs_confirmation and has_unpaid_money(change.person):
        change.needs_confirmation = True
        change.save(update_fields=["needs_confirmation"])
    if change.needs_confirmation and change.confirmed_at is None:
        return None
    change.person.bank_accounts.filter(is_active=True).update(is_active=False)
    account = BankAccount(
        person=change.person,
        kind=change.kind,
        account_name=change.account_name,
        account_number=change.account_number,
        account_number_hash=change.account_number_hash,
        account_number_masked=change.account_number_masked,
        bank_name=change.bank_name,
        branch_code=change.branch_code,
        warning=change.warning,
    )
    account.full_clean(exclude=["account_number_hash", "account_number_masked"])
    account.save()
    change.account = account
    change.status = ChangeStatus.APPLIED
    change.save(update_fields=["account", "status"])
    return account


def _pending_change(actor, change: BankAccountChangeRequest, perm: str):
    """The change, locked, for a bureau user of its jurisdiction holding ``perm``, who is not
    the one who asked (maker-checker)."""
    change = get_visible_or_404(
        BankAccountChangeRequest.objects.select_for_update().select_related("person"),
        actor,
        perm=perm,
        pk=change.pk,
    )
    organisation = getattr(actor, "organisation", None)
    if actor is not SYSTEM and (organisation is None or not organisation.jurisdiction_prefix):
        raise PermissionDenied(perm)
    user = user_of(actor)
    if user is not None and change.requested_by_id == user.pk:
        raise PermissionDenied(_("A change is decided by someone other than the one who asked."))
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change is already decided."))
    return change


def _reject(actor, change: BankAccountChangeRequest, reason: str) -> None:
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    change.status = ChangeStatus.REJECTED
    change.decision_reason = reason
    change.save(update_fields=["status", "decision_reason"])


@transaction.atomic
def bank_account_change_confirm(
    *, actor, change: BankAccountChangeRequest, approve: bool, reason: str = ""
) -> BankAccountChangeRequest:
    """The bureau's payment clerk confirms (or rejects, with the reason) a change asked while
    the person had approved, unpaid money. Never the one who asked."""
    change = _pending_change(actor, change, CONFIRM_CHANGE)
    if not change.needs_confirmation or change.confirmed_at is not None:
        raise ValidationError(_("This change needs no confirmation from the payment clerk."))
    if not approve:
        _reject(actor, change, reason)
        return change
    change.confirmed_by = user_of(actor)
    change.confirmed_at = timezone.now()
    change.decision_reason = str(reason or "").strip()
    change.save(update_fields=["confirmed_by", "confirmed_at", "decision_reason"])
    _apply_if_ready(change)
    return change


@transaction.atomic
def bank_account_exception_decide(
    *, actor, change: BankAccountChangeRequest, approve: bool, reason: str
) -> BankAccountChangeRequest:
    """The bureau's reviewer approves or refuses an account held by someone other than the
    person; the reason is recorded either way. Never the one who asked."""
    change = _pending_change(actor, change, DECIDE_EXCEPTION)
    if not change.needs_exception or change.exception_decided_at is not None:
        raise ValidationError(_("This change needs no holder-name exception."))
    if not approve:
        _reject(actor, change, reason)
        return change
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    change.exception_decided_by = user_of(actor)
    change.exception_decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["exception_decided_by", "exception_decided_at", "decision_reason"])
    _apply_if_ready(change)
    return change


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


# --- the poverty-alleviated roster (GA23-OBJ-2) -------------------------------------------------
#
# The rural revitalisation bureau and the township centres import the roster of poverty-
# alleviated persons, "two-after" graduates of poor families and monitored households from a
# spreadsheet (core/imports.py: all or nothing, every problem reported by row and column).
# A new ID number registers the person; a registered one gets the category entry. Writes are
# bulk (with their audit-trail rows), so ten thousand rows take seconds, not minutes.

# -- what every roster of persons shares (this roster and the training app's class roster) ----
#
# The header wordings offices use for a person's columns, how a name and a household
# registration are read, and the bulk registration of the new persons a roster names. The
# training app builds its class roster from these (training depends on the registry, never the
# reverse).

# The default wordings (registry/vocabulary.py); imports read the vocabulary, which holds these
# and the wordings a county added.
NAME_HEADERS = DEFAULT_HEADERS["name"]
ID_NUMBER_HEADERS = DEFAULT_HEADERS["id_number"]
PHONE_HEADERS = DEFAULT_HEADERS["phone"]
TOWNSHIP_HEADERS = DEFAULT_HEADERS["township"]
HUKOU_HEADERS = DEFAULT_HEADERS["hukou"]
CATEGORY_HEADERS = DEFAULT_HEADERS["category"]


def person_columns(*, township_required: bool, words: Vocabulary | None = None) -> list[Column]:
    """The columns of a person on any roster: name and ID number (required), phone, township
    (required where the importer's own township is not meant) and household registration,
    with the headings of the roster vocabulary ``words`` (the general one if None)."""
    words = words or vocabulary()
    return [
        Column("name", words.headers("name"), pgettext_lazy("person", "Name")),
        Column("id_number", words.headers("id_number"), gettext_lazy("ID number")),
        Column("phone", words.headers("phone"), gettext_lazy("Phone"), required=False),
        Column(
            "township",
            words.headers("township"),
            gettext_lazy("Township"),
            required=township_required,
        ),
        Column(
            "hukou",
            words.headers("hukou"),
            gettext_lazy("Household registration"),
            required=False,
        ),
    ]


NAME_MAX_LENGTH = 64


def person_name(value: str) -> str:
    """Spaces collapsed; a Chinese name loses the spaces that align two-character names in a
    roster (张  伟 is 张伟)."""
    name = " ".join(str(value or "").split())
    if name and not re.search(r"[A-Za-z]", name):
        name = name.replace(" ", "")
    return name


def check_person_name(value: str) -> str:
    """The name as :func:`person_name` reads it; ValueError says what is wrong with it."""
    name = person_name(value)
    if not name:
        raise ValueError(_("The name is required."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(_("The name is longer than 64 characters."))
    return name


def check_phone(value: str) -> str:
    """The phone number's digits ("" for none); ValueError unless it has 7 to 15 digits."""
    phone = normalise_digits(value)
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise ValueError(_("A phone number has 7 to 15 digits."))
    return phone


def roster_words(value: str) -> str:
    """A cell's words compared without spaces, quotes or case."""
    return "".join(ch for ch in value if ch not in " “”\"'‘’「」").casefold()


def township_index(prefix: str | None) -> dict[str, Region | None]:
    """The townships whose code starts with ``prefix`` (all for None) by every key a roster
    names them with, compared as :func:`roster_words`: the code, the name, the name without
    镇/乡, the county's name before it. A key two townships share maps to None (ambiguous)."""
    townships = Region.objects.filter(level="township").select_related("parent")
    if prefix:
        townships = townships.filter(code__startswith=prefix)
    index: dict[str, Region | None] = {}
    for township in townships:
        for key in {
            township.code,
            roster_words(township.name),
            roster_words(township.name.rstrip("镇乡")),
            roster_words(township.parent.name + township.name),
        }:
            # a short name two townships share would be ambiguous: keep neither
            index[key] = None if key in index else township
    return index


def hukou_from_words(value: str, words: Vocabulary | None = None) -> str | None:
    """The household registration a roster cell names (农业, 非农业, 城镇户口 …), or None, as
    the roster vocabulary ``words`` reads it (the general one if None)."""
    return (words or vocabulary()).hukou(value or "")


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
    *, actor, persons: Sequence[NewPerson], basis: str = AffiliationBasis.REGISTRATION
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


def affiliations_ensure_bulk(
    *,
    actor,
    person_ids: Sequence[int],
    organisation: Organisation,
    kind: str,
    basis: str,
    since: date | None = None,
) -> int:
    """:func:`affiliation_ensure` for many persons: the affiliations missing are created in bulk
    with their audit-trail rows and access-log entries; existing ones are kept (a former bare
    link gets the basis). Returns how many were created or given a basis."""
    if basis == AffiliationBasis.LINK or basis not in AffiliationBasis.values:
        raise ValueError(f"An affiliation needs a real basis, not {basis!r}.")
    wanted = list(dict.fromkeys(person_ids))
    existing: dict[int, tuple[int, str]] = {}
    for start in range(0, len(wanted), 2000):
        existing.update(
            (person_id, (pk, current))
            for pk, person_id, current in Affiliation.objects.filter(
                organisation=organisation, kind=kind, person_id__in=wanted[start : start + 2000]
            ).values_list("pk", "person_id", "basis")
        )
    since = since or timezone.localdate()
    created = bulk_create_audited(
        [
            Affiliation(
                person_id=pk, organisation_id=organisation.pk, kind=kind, basis=basis, since=since
            )
            for pk in wanted
            if pk not in existing
        ],
        Affiliation,
        actor=actor,
    )
    created = list(created)
    upgraded = [pk for pk, current in existing.values() if current == AffiliationBasis.LINK]
    for affiliation in Affiliation.objects.filter(pk__in=upgraded):
        affiliation.basis = basis
        affiliation.save(update_fields=["basis"])
        created.append(affiliation)
    masked = _masked_numbers([a.person_id for a in created])
    access_log_record_many(
        actor=actor,
        action=AccessAction.LINK,
        field="basis",
        entries=[
            (a, _link_description(masked.get(a.person_id, ""), organisation, basis))
            for a in created
        ],
    )
    return len(created)


def _masked_numbers(person_ids: Sequence[int]) -> dict[int, str]:
    masked: dict[int, str] = {}
    for start in range(0, len(person_ids), 2000):
        masked.update(
            Person.objects.filter(pk__in=person_ids[start : start + 2000]).values_list(
                "pk", "id_number_masked"
            )
        )
    return masked


# -- the poverty-alleviated roster (GA23-OBJ-2) --------------------------------------------

_SEX_WORDS = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
}
_KIND_WORDS = {
    "卡": AccountKind.CARD,
    "银行卡": AccountKind.CARD,
    "借记卡": AccountKind.CARD,
    "社保卡": AccountKind.CARD,
    "card": AccountKind.CARD,
    "存折": AccountKind.PASSBOOK,
    "折": AccountKind.PASSBOOK,
    "passbook": AccountKind.PASSBOOK,
}


def roster_columns(*, township_known: bool, words: Vocabulary | None = None) -> list[Column]:
    """The roster's columns and the header wordings offices use for them (the roster
    vocabulary ``words``; the general one if None). The township column is optional for a
    township centre (its own township is meant)."""
    words = words or vocabulary()
    return [
        *person_columns(township_required=not township_known, words=words),
        Column("sex", words.headers("sex"), gettext_lazy("Sex"), required=False),
        Column("category", words.headers("category"), gettext_lazy("Category")),
        Column(
            "account_number",
            words.headers("account_number"),
            gettext_lazy("Bank account"),
            required=False,
        ),
        Column("bank_name", words.headers("bank_name"), gettext_lazy("Bank"), required=False),
        Column(
            "account_kind",
            words.headers("account_kind"),
            gettext_lazy("Account kind"),
            required=False,
        ),
    ]


@dataclass(frozen=True)
class _RosterRow:
    resident: ResidentId  # the full ID number (never logged, never in a report)
    digest: str
    name: str
    phone: str
    township: Region | None
    hukou: str
    categories: tuple[Category, ...]
    person_id: int | None  # registered already
    account: tuple[str, str, str, str] | None  # kind, number, bank name, warning


class _RosterChecker:
    """Checks one roster row against what the registry holds (looked up in bulk)."""

    def __init__(
        self, *, actor, rows: list[tuple[int, dict[str, str]]], columns, words: Vocabulary
    ) -> None:
        self.actor = actor
        self.vocabulary = words
        self.organisation = getattr(actor, "organisation", None)
        self.labels = {column.key: column.name for column in columns}
        self.own_township: Region | None = None
        if self.organisation is not None and self.organisation.kind == (
            OrganisationKind.TOWNSHIP_CENTRE
        ):
            self.own_township = self.organisation.region
        # The townships the importer may name: its county's (a city or province bureau: its
        # jurisdiction's; a name two of them share is refused as ambiguous).
        prefix = None
        if self.organisation is not None:
            prefix = self.organisation.jurisdiction_prefix or self.organisation.county_code
        self.townships = township_index(prefix)
        self.categories = {
            c.code: c for c in Category.objects.filter(code__in=set(words.categories.values()))
        }
        self.county = (
            Region.objects.filter(code=self.organisation.region.code[:6]).first()
            if self.organisation is not None
            else None
        )
        # Parse every ID number once, and look the registered ones up in one query per chunk.
        self.parsed: dict[int, tuple[ResidentId, str] | IdentityError] = {}
        digests: dict[str, int] = {}
        for number, values in rows:
            raw = values.get("id_number", "")
            if is_cut(raw):
                self.parsed[number] = IdentityError(str(CUT_NUMBER_MESSAGE))
                continue
            try:
                resident = parse_resident_id(raw)
            except IdentityError as exc:
                self.parsed[number] = exc
                continue
            digest = id_number_hash(resident.number)
            self.parsed[number] = (resident, digest)
            digests[digest] = number
        self.registered: dict[str, tuple[int, str]] = {}
        keys = list(digests)
        for start in range(0, len(keys), 2000):
            for pk, digest, name in Person.objects.filter(
                id_number_hash__in=keys[start : start + 2000]
            ).values_list("pk", "id_number_hash", "name"):
                self.registered[digest] = (pk, name)
        self.seen: dict[str, int] = {}

    def problem(self, key: str, message: str) -> RowProblem:
        return RowProblem(self.labels.get(key, key), message)

    def __call__(self, row: int, values: dict[str, str]) -> _RosterRow:
        """The row checked; raises RowProblems naming every problem of the row (a bad ID
        number does not hide an unknown category, a bad township or a bad bank account)."""
        problems: list[RowProblem] = []

        def fail(key: str, message: str) -> None:
            problems.append(self.problem(key, message))

        def check(step, *args):
            try:
                return step(*args)
            except RowProblem as problem:
                problems.append(problem)
                return None

        parsed = self.parsed.get(row)
        resident: ResidentId | None = None
        digest = ""
        if not isinstance(parsed, tuple):
            fail("id_number", str(parsed or _("The ID number is empty.")))
        else:
            resident, digest = parsed
            if digest in self.seen:
                fail(
                    "id_number",
                    _("The same ID number is also in row %(row)d.") % {"row": self.seen[digest]},
                )
            else:
                self.seen[digest] = row
        name = ""
        try:
            name = check_person_name(values["name"])
        except ValueError as exc:
            fail("name", str(exc))
        registered = self.registered.get(digest) if digest else None
        if registered is not None and name and person_name(registered[1]) != name:
            fail(
                "name",
                _(
                    "The name differs from the name registered with this ID number: check the "
                    "name and the ID number."
                ),
            )
        sex_text = roster_words(values["sex"])
        if sex_text:
            sex = _SEX_WORDS.get(sex_text)
            if sex is None:
                fail("sex", _("Write 男 or 女."))
            elif resident is not None and sex != resident.sex:
                fail(
                    "sex",
                    _(
                        "The sex does not match the ID number (its 17th digit is odd for men, "
                        "even for women): check both."
                    ),
                )
        categories = self._categories(values["category"], fail)
        if registered is not None:
            # Registered already: the roster adds the category; the person's details are
            # changed on their page, not by a roster. A township named is still checked.
            if values["township"]:
                check(self._township, values["township"])
            if problems:
                raise RowProblems(problems)
            return _RosterRow(
                resident=resident,
                digest=digest,
                name=name,
                phone="",
                township=None,
                hukou="",
                categories=tuple(categories),
                person_id=registered[0],
                account=None,
            )
        phone = ""
        try:
            phone = check_phone(values["phone"])
        except ValueError as exc:
            fail("phone", str(exc))
        township = check(self._township, values["township"])
        # Blank: the roster lists rural households (建档立卡 poverty alleviation is rural).
        hukou = self.vocabulary.hukou(values["hukou"]) if values["hukou"] else Hukou.AGRICULTURAL
        if hukou is None:
            fail("hukou", _("Write 农业 or 非农业."))
        account = self._account(values, fail)
        if problems:
            raise RowProblems(problems)
        return _RosterRow(
            resident=resident,
            digest=digest,
            name=name,
            phone=phone,
            township=township,
            hukou=hukou,
            categories=tuple(categories),
            person_id=None,
            account=account,
        )

    def _categories(self, text: str, fail) -> list[Category]:
        categories: list[Category] = []
        unknown: list[str] = []
        for word in re.split(r"[、,，/;；]+", text):
            if not roster_words(word):
                continue
            code = self.vocabulary.category(word)
            if code is None or code not in self.categories:
                unknown.append(word.strip())
            elif self.categories[code] not in categories:
                categories.append(self.categories[code])
        if unknown:
            fail(
                "category",
                _(
                    "Unknown category “%(words)s”: write 脱贫户 (脱贫人口), 监测户 (监测对象, "
                    "脱贫不稳定户, 边缘易致贫户, 突发严重困难户) or 两后生; several are separated "
                    "by 、."
                )
                % {"words": "、".join(unknown)},
            )
        elif not categories:
            fail("category", _("The category is required: 脱贫户, 监测户 or 两后生."))
        return categories

    def _township(self, text: str) -> Region | None:
        key = roster_words(text)
        if self.own_township is not None:
            if key and self.townships.get(key) != self.own_township:
                raise self.problem(
                    "township",
                    _("Your centre imports the roster of %(township)s only.")
                    % {"township": self.own_township.name},
                )
            return self.own_township
        if not key:
            raise self.problem("township", _("The township is required."))
        township = self.townships.get(key)
        if township is None:
            raise self.problem(
                "township",
                _("No township of %(county)s has this name.")
                % {"county": self.county.name if self.county else "—"},
            )
        return township

    def _account(self, values: dict[str, str], fail) -> tuple[str, str, str, str] | None:
        raw = values["account_number"]
        if not raw:
            return None
        kind_text = roster_words(values["account_kind"])
        kind = _KIND_WORDS.get(kind_text) if kind_text else AccountKind.CARD
        checked = None
        if kind is None:
            fail("account_kind", _("Write 卡 or 存折."))
        elif is_cut(raw):
            fail("account_number", str(CUT_NUMBER_MESSAGE))
        else:
            try:
                checked = check_bank_account(raw, kind=kind)
            except IdentityError as exc:
                hint = (
                    ""
                    if kind_text
                    else " " + _("If it is a passbook, write 存折 in a column headed 账户类型.")
                )
                fail("account_number", str(exc) + hint)
        bank = " ".join(values["bank_name"].split())
        if not bank:
            fail("bank_name", _("Name the bank of the account."))
        elif len(bank) > 64:
            fail("bank_name", _("The bank name is longer than 64 characters."))
        if checked is None or not bank or len(bank) > 64:
            return None
        return (kind, checked.number, bank, checked.warning)


def _roster_apply(
    *,
    actor,
    checked: list[tuple[int, _RosterRow]],
    source: str,
    valid_from: date,
    valid_until: date | None,
    county: Region | None,
) -> dict[str, int]:
    organisation = getattr(actor, "organisation", None)
    new_rows = [row for _number, row in checked if row.person_id is None]
    created = persons_register_bulk(
        actor=actor,
        persons=[
            NewPerson(
                resident=row.resident,
                digest=row.digest,
                name=row.name,
                hukou=row.hukou,
                county=row.township.parent if row.township is not None else county,
                township=row.township,
                phone=row.phone,
            )
            for row in new_rows
        ],
    )
    person_ids = {row.digest: row.person_id for _number, row in checked if row.person_id}
    person_ids.update({person.id_number_hash: person.pk for person in created})
    # A category entry already recorded from the same roster is not recorded twice, so a
    # roster imported again changes nothing.
    existing = (
        set(
            PersonCategory.objects.filter(
                person_id__in=[pk for pk in person_ids.values()],
                source=source,
                valid_from=valid_from,
            ).values_list("person_id", "category_id")
        )
        if len(person_ids) > len(created)
        else set()
    )
    entries = []
    for _number, row in checked:
        pk = person_ids[row.digest]
        for category in row.categories:
            if (pk, category.pk) in existing:
                continue
            entries.append(
                PersonCategory(
                    person_id=pk,
                    category=category,
                    source=source,
                    source_organisation=organisation,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
            )
    bulk_create_audited(entries, PersonCategory, actor=actor)
    accounts = [
        BankAccount(
            person_id=person_ids[row.digest],
            kind=row.account[0],
            account_name=row.name,
            account_number=row.account[1],
            account_number_hash=crypto.lookup_hash(row.account[1], purpose=ACCOUNT_PURPOSE),
            account_number_masked=mask_account(row.account[1]),
            bank_name=row.account[2],
            warning=row.account[3],
        )
        for row in new_rows
        if row.account is not None
    ]
    bulk_create_audited(accounts, BankAccount, actor=actor)
    return {
        "rows": len(checked),
        "registered": len(created),
        "already_registered": len(checked) - len(created),
        "categories": len(entries),
        "accounts": len(accounts),
    }


def roster_import_run(
    *,
    actor,
    upload,
    source: str,
    valid_from: date,
    valid_until: date | None = None,
    progress=None,
) -> dict:
    """Read, check and record a roster (GA23-OBJ-2) now; all or nothing. Raises ImportRejected
    with every problem by row and column. Used by the background job and the benchmark."""
    require_perm(actor, "registry.add_person")
    require_perm(actor, "registry.add_personcategory")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity is before its start.")})
    organisation = getattr(actor, "organisation", None)
    words = vocabulary(organisation.region.code if organisation is not None else "")
    columns = roster_columns(
        township_known=organisation is not None
        and organisation.kind == OrganisationKind.TOWNSHIP_CENTRE,
        words=words,
    )
    rows = read_rows(upload, columns)
    checker = _RosterChecker(actor=actor, rows=rows, columns=columns, words=words)
    source = " ".join(str(source).split())[:128]
    try:
        counts = run_import(
            rows=rows,
            validate=checker,
            apply=lambda checked: _roster_apply(
                actor=actor,
                checked=checked,
                source=source,
                valid_from=valid_from,
                valid_until=valid_until,
                county=checker.county,
            ),
            progress=progress,
        )
    except IntegrityError:
        raise ImportRejected.file(
            _(
                "Someone registered one of these persons while the file was being checked; "
                "nothing was imported. Upload the file again."
            )
        ) from None
    return counts


def roster_import(
    *,
    actor,
    upload,
    source: str,
    valid_from: date,
    valid_until: date | None = None,
):
    """Import a roster of poverty-alleviated persons, "two-after" graduates and monitored
    households (GA23-OBJ-2) as a background job; returns the Job (core/jobs.py), whose page
    shows the progress and then the result or the row-by-row report. A file over the size
    limit is refused at once (ImportRejected) and nothing is stored."""
    from upskill.core.jobs import import_job_start

    from .tasks import roster_import_task

    require_perm(actor, "registry.add_person")
    require_perm(actor, "registry.add_personcategory")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity is before its start.")})
    filename = str(getattr(upload, "name", "") or "roster")
    source = " ".join(str(source or "").split()) or filename.rsplit(".", 1)[0]
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="registry.roster_import",
        title=lambda name: _("Roster import: %(file)s") % {"file": name[:200]},
        task=roster_import_task,
        default_name="roster",
        source=source,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
    )


# --- the roster vocabulary (security item 10) ------------------------------------------------


def _regions_overlap(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def vocabulary_region_allowed(actor, region: str) -> bool:
    """May ``actor`` add or change a wording for ``region``? A bureau: inside its
    jurisdiction; the province's department also the wordings of every county (blank)."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return actor is SYSTEM or bool(getattr(actor, "is_superuser", False))
    prefix = organisation.jurisdiction_prefix
    if not prefix:
        return False
    if region == "":
        return organisation.kind == OrganisationKind.PROVINCE_HR
    return region.startswith(prefix)


def vocabulary_term_check(term: VocabularyTerm) -> None:
    """What a wording must be (service and admin): a known kind and meaning, not empty, and
    no other meaning for the same wording where both would hold. ValidationError if not."""
    term.wording = " ".join(str(term.wording or "").split())
    term.region = str(term.region or "").strip()
    if not term.wording:
        raise ValidationError({"wording": _("Write the wording.")})
    if term.kind == TermKind.HEADER:
        known = set(DEFAULT_HEADERS)
    elif term.kind == TermKind.CATEGORY:
        known = set(Category.objects.values_list("code", flat=True))
    else:
        known = set(Hukou.values)
    if term.target not in known:
        raise ValidationError(
            {"target": _("Choose one of: %(known)s.") % {"known": ", ".join(sorted(known))}}
        )
    if term.region and not term.region.isdigit():
        raise ValidationError({"region": _("A region code has digits only.")})
    key = vocabulary_words(term.wording)
    for other in VocabularyTerm.objects.filter(kind=term.kind, is_active=True).exclude(pk=term.pk):
        if vocabulary_words(other.wording) != key or not _regions_overlap(
            other.region, term.region
        ):
            continue
        if other.target == term.target and other.region == term.region:
            raise ValidationError({"wording": _("This wording is known already.")})
        if other.target != term.target:
            raise ValidationError(
                {
                    "wording": _(
                        "This wording already means “%(target)s” where it would hold: a roster "
                        "would be read two ways."
                    )
                    % {"target": other.target}
                }
            )


@transaction.atomic
def vocabulary_term_add(
    *,
    actor,
    kind: str,
    target: str,
    wording: str,
    region: str | None = None,
    source: str = "",
) -> VocabularyTerm:
    """Add a wording to the roster vocabulary: the next import understands it, no deploy. A
    bureau's wording holds in its jurisdiction (``region`` defaults to it); only the
    province's department adds a wording for every county (``region=""``). Audited."""
    require_perm(actor, "registry.add_vocabularyterm")
    organisation = getattr(actor, "organisation", None)
    if region is None:
        region = (organisation.jurisdiction_prefix or "") if organisation is not None else ""
        if organisation is not None and organisation.kind == OrganisationKind.PROVINCE_HR:
            region = ""
    if not vocabulary_region_allowed(actor, str(region).strip()):
        raise PermissionDenied
    if kind not in TermKind.values:
        raise ValidationError({"kind": _("Choose heading, category word or household word.")})
    term = VocabularyTerm(
        kind=kind,
        target=target,
        wording=wording,
        region=region,
        source=" ".join(str(source).split())[:128],
        organisation=organisation,
    )
    vocabulary_term_check(term)
    term.full_clean()
    term.save()
    vocabulary_cache_clear()
    return term
