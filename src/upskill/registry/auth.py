"""A learner logs in with their resident ID number and password (WH20 online path): the number
is checked (GB 11643) and found by its keyed hash, never searched in clear. Failures count
against the account's user name (derived from the hash, ``learner_username``), so django-axes
locks a learner exactly as it locks staff (settings.AXES_*), and no ID number reaches its log."""

from __future__ import annotations

from upskill.organisations.auth import RoleBackend
from upskill.organisations.models import User

from .identity import IdentityError, normalise_digits, parse_resident_id
from .lookup import id_number_hash
from .models import Person
from .services.learners import learner_username


def _digest(id_number: str) -> str:
    try:
        return id_number_hash(parse_resident_id(id_number).number)
    except IdentityError:
        return id_number_hash(normalise_digits(id_number))


class LearnerBackend(RoleBackend):
    """``authenticate(request, id_number=…, password=…)``: the learner account of the person
    with that number (a user with no organisation), when the password is theirs."""

    def authenticate(self, request, id_number=None, password=None, **kwargs):
        if not id_number or password is None:
            return None
        person = (
            Person.objects.filter(id_number_hash=_digest(id_number), account__isnull=False)
            .select_related("account")
            .first()
        )
        if person is None:
            # the same work as a real check, so the answer's time does not tell who is registered
            User().set_password(password)
            return None
        user = person.account
        if (
            user.organisation_id is None
            and user.check_password(password)
            and self.user_can_authenticate(user)
        ):
            return user
        return None

    def get_user(self, user_id):
        """The account of a learner's session with their person in the same query: every
        learner request reads both (the learner pages' middleware, the scope), and the player's
        heartbeat comes every 15 s (issue 17)."""
        user = User._default_manager.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request, credentials: dict | None) -> str | None:
    """The user name django-axes counts failures against: for a learner's log-in the account's
    name derived from the ID number's hash (whether or not it exists), else the one typed."""
    data = credentials if credentials is not None else getattr(request, "POST", {})
    id_number = data.get("id_number") if data else None
    if id_number:
        return learner_username(_digest(id_number))
    return data.get("username") if data else None
