"""Learner accounts (WH20 online path, issue 16 item 3): the invitation an enterprise's HR or an
institution hands out (a link and its QR code), the activation that confirms ID number and name
against the registry and sets a password, and the reset of a forgotten password (a new link,
handed out the same way and kept in the audit trail).

A learner's account is a user with no organisation and no role, linked to the person
(``Person.account``); it logs in with the ID number and the password (``registry.auth``) and
sees only the records about the person (``scope_for_person``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import crypto
from upskill.core.actor import user_of
from upskill.core.scoping import SYSTEM, Actor, get_visible_or_404
from upskill.organisations.models import OrganisationKind, User

from ..identity import IdentityError, parse_resident_id
from ..lookup import id_number_hash
from ..models import InvitationPurpose, LearnerInvitation, Person
from .persons import person_account_create

CHANGE_PERSON = "registry.change_person"
# Who hands out learners' links: the employer's HR and the institution that trains them.
INVITING_KINDS = (OrganisationKind.ENTERPRISE, OrganisationKind.INSTITUTION)
# Wrong ID number or name typed on one link before it closes (a new link is then needed).
MAX_FAILURES = 5


def learner_username(id_number_digest: str) -> str:
    """The account's user name: from the ID number's keyed hash, never the number itself, so
    the log-in lock (django-axes, by user name) and the access log hold no ID number."""
    return f"learner-{id_number_digest[:20]}"


def invitation_days() -> int:
    return int(getattr(settings, "LEARNER_INVITATION_DAYS", 14))


def invitation_qr_svg(url: str, *, scale: int = 4) -> str:
    """The link as an inline SVG QR code, to print or show on a screen."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def _inviting_organisation(actor: Actor):
    if actor is SYSTEM:
        return None
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.kind not in INVITING_KINDS:
        raise PermissionDenied
    return organisation


def _issue(*, actor: Actor, person: Person, purpose: str) -> LearnerInvitation:
    now = timezone.now()
    # one open link per person: a new one withdraws the earlier
    for earlier in LearnerInvitation.objects.filter(person=person).open(now):
        earlier.revoked_at = now
        earlier.save(update_fields=["revoked_at"])
    return LearnerInvitation.objects.create(
        person=person,
        organisation=_inviting_organisation(actor),
        purpose=purpose,
        token=secrets.token_urlsafe(24),
        created_by=user_of(actor),
        expires_at=now + timedelta(days=invitation_days()),
    )


@transaction.atomic
def learner_invitation_create(*, actor: Actor, person: Person) -> LearnerInvitation:
    """The link (``invitation.path``, its QR code by :func:`invitation_qr_svg`) with which
    ``person`` opens their learner account. Handed out by the person's employer (HR) or the
    institution that trains them, each seeing the person through its affiliation."""
    person = get_visible_or_404(Person, actor, perm=CHANGE_PERSON, pk=person.pk)
    if person.account_id is not None:
        raise ValidationError(
            _("%(name)s has a learner account already: reset the password instead.")
            % {"name": person.name}
        )
    return _issue(actor=actor, person=person, purpose=InvitationPurpose.ACTIVATE)


@transaction.atomic
def learner_password_reset(*, actor: Actor, person: Person) -> LearnerInvitation:
    """A forgotten password: a new link on which the learner confirms ID number and name again
    and sets a new password. The account's log-in lock is lifted; the reset is in the audit
    trail (the invitation's history: who, when, for whom). The old password works until the
    new one is set."""
    person = get_visible_or_404(Person, actor, perm=CHANGE_PERSON, pk=person.pk)
    if person.account_id is None:
        raise ValidationError(
            _("%(name)s has no learner account yet: hand out an invitation.")
            % {"name": person.name}
        )
    invitation = _issue(actor=actor, person=person, purpose=InvitationPurpose.RESET)
    axes_reset(username=person.account.get_username())
    return invitation


def learner_invitation_find(token: str) -> LearnerInvitation | None:
    """The open invitation of a link, or None (unknown, used, withdrawn, expired). The link is
    the credential: nothing else is needed to reach the page that asks for ID number and name."""
    if not token or len(token) > 64:
        return None
    digest = crypto.lookup_hash(token, purpose="learner.invitation")
    return (
        LearnerInvitation.objects.open(timezone.now())
        .select_related("person", "person__account")
        .filter(token_hash=digest)
        .first()
    )


def _confirmed(invitation: LearnerInvitation, *, id_number: str, name: str) -> bool:
    try:
        resident = parse_resident_id(id_number)
    except IdentityError:
        return False
    person = invitation.person
    return id_number_hash(resident.number) == person.id_number_hash and (
        "".join((name or "").split()) == person.name
    )


def learner_account_activate(
    *, token: str, id_number: str, name: str, password: str, check_password: bool = True
) -> User:
    """The public page of a link (the learner has no account yet, or forgot the password): the
    ID number and name typed in must be the invited person's (WH20: real-name registry, the
    number checked by GB 11643 and found by its keyed hash); the password is checked by the
    product's password policy. Opens the account or sets the new password, and closes the link.
    A wrong ID number or name counts against the link; after MAX_FAILURES it closes.
    ``check_password=False`` only for the demo's published password."""
    with transaction.atomic():
        invitation = learner_invitation_find(token)
        if invitation is None:
            raise ValidationError(_("This link is no longer valid. Ask your HR for a new one."))
        invitation = LearnerInvitation.objects.select_for_update().get(pk=invitation.pk)
        confirmed = _confirmed(invitation, id_number=id_number, name=name)
        if not confirmed:
            invitation.failures += 1
            fields = ["failures"]
            if invitation.failures >= MAX_FAILURES:
                invitation.revoked_at = timezone.now()
                fields.append("revoked_at")
            invitation.save(update_fields=fields)
    if not confirmed:
        raise ValidationError(
            _("The ID number and name do not match the person this link was made for.")
        )
    with transaction.atomic():
        invitation = LearnerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None or invitation.revoked_at is not None:
            raise ValidationError(_("This link is no longer valid. Ask your HR for a new one."))
        person = Person.objects.select_for_update().get(pk=invitation.person_id)
        user = person.account
        if user is None:
            candidate = User(
                username=learner_username(person.id_number_hash), first_name=person.name
            )
            if check_password:
                validate_password(password, candidate)
            user = person_account_create(
                actor=SYSTEM,
                person=person,
                username=candidate.username,
                password=password,
                check_password=False,
            )
        else:
            if check_password:
                validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
            axes_reset(username=user.get_username())
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return user
