"""Bank accounts for allowances and the change requests the bureau confirms (Security →
Money)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import crypto, hooks
from upskill.core.actor import user_of
from upskill.core.masking import mask_account
from upskill.core.scoping import SYSTEM, Actor, get_visible_or_404
from upskill.organisations.models import OrganisationKind

from ..identity import IdentityError, check_bank_account, normalise_digits
from ..models import AccountKind, BankAccount, BankAccountChangeRequest, ChangeStatus, Person
from ..selectors import CONFIRM_CHANGE, DECIDE_EXCEPTION, has_unpaid_money
from ._common import ACCOUNT_PURPOSE


@dataclass
class AccountResult:
    change: BankAccountChangeRequest
    account: BankAccount | None  # the account put in use, None while the change waits
    warning: str


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


@transaction.atomic
def bank_account_set(
    *,
    actor: Actor,
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
    *, actor: Actor, change: BankAccountChangeRequest, approve: bool, reason: str = ""
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
    *, actor: Actor, change: BankAccountChangeRequest, approve: bool, reason: str
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
