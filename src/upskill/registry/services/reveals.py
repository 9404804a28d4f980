"""The look-up by exact ID number and the reveals of a full ID, phone or bank account number,
each written to the access log."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.core.masking import mask_id_number, mask_name
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.core.services import AccessAction, access_log_record
from upskill.core.stored_text import stored_text
from upskill.organisations.models import OrganisationKind

from .. import selectors
from ..identity import IdentityError, parse_resident_id
from ..lookup import id_number_hash
from ..models import BankAccount, Person
from ..selectors import REVEAL_PHONE


@dataclass(frozen=True)
class LookupResult:
    """All a look-up by ID number tells anyone, bureaus included: registered or not, and the
    name masked as 刘*. Never the phone, birth date, township or the record itself."""

    registered: bool
    name_masked: str | None
    person: Person | None  # for the caller's own use (the enrolment offer), never shown


def person_lookup(*, actor: Actor, id_number: str, remote_addr: str | None = None) -> LookupResult:
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
        description=stored_text(
            gettext_lazy("%(number)s: registered")
            if person is not None
            else gettext_lazy("%(number)s: not registered"),
            number=masked,
        ),
        remote_addr=remote_addr,
    )
    if person is None:
        return LookupResult(registered=False, name_masked=None, person=None)
    return LookupResult(registered=True, name_masked=mask_name(person.name), person=person)


def _refuse_enterprise(actor) -> None:
    """Enterprises never see a full ID or bank number, whatever their role's permissions say
    (defence in depth: the default enterprise role has no reveal permission either)."""
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.kind == OrganisationKind.ENTERPRISE:
        raise PermissionDenied("registry.reveal_identity")


def _reveal(*, actor: Actor, obj, field: str, description: str, remote_addr: str | None) -> str:
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


def person_reveal_id_number(*, actor: Actor, person: Person, remote_addr: str | None = None) -> str:
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


def person_reveal_phone(*, actor: Actor, person: Person, remote_addr: str | None = None) -> str:
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


def bank_account_reveal(
    *, actor: Actor, account: BankAccount, remote_addr: str | None = None
) -> str:
    account = get_visible_or_404(BankAccount, actor, perm="registry.reveal_identity", pk=account.pk)
    _refuse_enterprise(actor)
    return _reveal(
        actor=actor,
        obj=account,
        field="account_number",
        description=f"{account.account_name} {account.account_number_masked}",
        remote_addr=remote_addr,
    )
