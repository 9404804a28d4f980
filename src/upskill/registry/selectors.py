"""Reads of the registry, already scoped to what the actor may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import crypto, hooks
from upskill.core.scoping import Actor, require_perm, visible
from upskill.organisations.models import OrganisationKind, Region, RegionLevel

from .identity import IdentityError, normalise_digits, parse_resident_id
from .lookup import id_number_hash
from .models import (
    BankAccountChangeRequest,
    ChangeStatus,
    LearnerInvitation,
    Person,
    PersonCategory,
)
from .rosters import person_name

# the payment clerk confirms a change asked while money is unpaid; the reviewer decides an
# account held by someone else (registry.services.accounts)
CONFIRM_CHANGE = "registry.confirm_bankaccountchangerequest"
DECIDE_EXCEPTION = "registry.decide_holder_exception"

PHONE_PURPOSE = "person.phone"
REVEAL_PHONE = "registry.reveal_phone"


def _phone_hash(digits: str) -> str:
    return crypto.lookup_hash(digits, purpose=PHONE_PURPOSE) if digits else ""


def person_list(
    *, actor: Actor, query: str = "", township_id: int | None = None
) -> QuerySet[Person]:
    """Persons in scope; ``query`` matches a name, or an exact full ID number, or the last
    four characters of the ID number, or an exact full phone number (by its keyed hash)."""
    qs = visible(Person, actor).select_related("county", "township")
    query = query.strip()
    if query:
        digits = normalise_digits(query)
        if len(digits) == 18:
            qs = qs.filter(id_number_hash=id_number_hash(digits))
        elif digits and len(digits) == 4 and digits[:3].isdigit():
            qs = qs.filter(id_number_masked__endswith=digits)
        else:
            by_phone = Q(phone_hash=_phone_hash(digits)) if digits.isdigit() else Q(pk__in=[])
            qs = qs.filter(Q(name__contains=query) | by_phone)
    if township_id:
        qs = qs.filter(township_id=township_id)
    return qs


def person_categories_on(person: Person, on: date) -> list[str]:
    """The policy engine's category codes for the person on a date (docs/calculator.md), including
    `rural`, which follows from the agricultural household registration."""
    return codes_on(person, person.categories.all(), on)


def persons_categories_on(persons: Iterable[Person], on: date) -> dict[int, list[str]]:
    """:func:`person_categories_on` for many persons, their category entries read in one query
    per 2,000 persons (for a roster of thousands): each person's pk to its codes."""
    persons = list(persons)
    entries = persons_category_entries(persons)
    return {person.pk: codes_on(person, entries.get(person.pk, ()), on) for person in persons}


def persons_category_entries(persons: Iterable[Person]) -> dict[int, list[PersonCategory]]:
    """The category entries of many persons (one query per 2,000), for :func:`codes_on` on
    several dates (a settlement's classes end on different days)."""
    persons = list(persons)
    entries: dict[int, list[PersonCategory]] = defaultdict(list)
    for start in range(0, len(persons), 2000):
        for entry in PersonCategory.objects.filter(
            person_id__in=[person.pk for person in persons[start : start + 2000]]
        ).select_related("category"):
            entries[entry.person_id].append(entry)
    return entries


def codes_on(person: Person, entries: Iterable[PersonCategory], on: date) -> list[str]:
    codes = {
        entry.category.policy_code
        for entry in entries
        if entry.category.policy_code and entry.holds_on(on)
    }
    if person.is_rural:
        codes.add("rural")
    return sorted(codes)


@dataclass(frozen=True)
class PersonPermissions:
    """What the actor may do with a person it sees: the person's page, its buttons, the API."""

    reveal_identity: bool
    reveal_phone: bool
    change: bool
    see_account_changes: bool
    add_category: bool
    history: bool
    correct_identity: bool  # its ID number corrected, another record merged into it (15.7)
    # hand out the learner's account link or a new-password link (the employer's HR or the
    # institution, registry.services.learners)
    invite_learner: bool


def may_correct_identity(*, actor: Actor) -> bool:
    """The county bureau (a jurisdiction: the person is in its scope) or a superuser, with the
    permission to change persons, corrects an ID number and merges two records; as for a name
    (``services.may_correct_name``), an organiser never does."""
    if not actor.has_perm("registry.change_person"):
        return False
    if getattr(actor, "is_superuser", False):
        return True
    organisation = getattr(actor, "organisation", None)
    return organisation is not None and bool(organisation.jurisdiction_prefix)


def person_permissions(*, actor: Actor, obj: Person) -> PersonPermissions:
    """The person is in the actor's scope already (get_visible_or_404); a phone is revealed only
    to the organisations that call the person for their work (``phone_revealable``)."""
    return PersonPermissions(
        reveal_identity=actor.has_perm("registry.reveal_identity"),
        reveal_phone=bool(obj.phone_masked)
        and obj.pk in phone_revealable_ids(actor=actor, person_ids=[obj.pk]),
        change=actor.has_perm("registry.change_person"),
        see_account_changes=actor.has_perm("registry.view_bankaccountchangerequest"),
        add_category=actor.has_perm("registry.add_personcategory"),
        history=actor.has_perm("core.view_audit_trail"),
        correct_identity=may_correct_identity(actor=actor),
        invite_learner=actor.has_perm("registry.change_person")
        and getattr(getattr(actor, "organisation", None), "kind", None)
        in (OrganisationKind.ENTERPRISE, OrganisationKind.INSTITUTION),
    )


@dataclass(frozen=True)
class AccountChangePermissions:
    """Who decides what in the queue of bank account changes (registry.services.accounts)."""

    confirm: bool
    decide_exception: bool


def account_change_permissions(*, actor: Actor) -> AccountChangePermissions:
    return AccountChangePermissions(
        confirm=actor.has_perm(CONFIRM_CHANGE), decide_exception=actor.has_perm(DECIDE_EXCEPTION)
    )


def pending_account_change(*, person: Person) -> BankAccountChangeRequest | None:
    return person.bank_account_changes.filter(status=ChangeStatus.PENDING).first()


def person_detail_queryset(*, actor: Actor) -> QuerySet[Person]:
    return (
        visible(Person, actor)
        .select_related("county", "township", "registered_by")
        .prefetch_related(
            Prefetch("categories", queryset=PersonCategory.objects.select_related("category")),
            "bank_accounts",
            "affiliations__organisation",
        )
    )


def bank_account_changes(
    *, actor: Actor, person: Person | None = None, pending_only: bool = True
) -> QuerySet[BankAccountChangeRequest]:
    """Account changes in scope, newest first: the waiting ones (the bureau's queue), or every
    change of one person (its history)."""
    qs = visible(BankAccountChangeRequest, actor).select_related(
        "person",
        "requested_by",
        "requested_by_organisation",
        "confirmed_by",
        "exception_decided_by",
    )
    if person is not None:
        qs = qs.filter(person=person)
    if pending_only:
        qs = qs.filter(status=ChangeStatus.PENDING)
    return qs


def _phone_callers(organisation) -> Q | None:
    """The persons an organisation calls for its work, whose full phone it may reveal: a
    bureau's inspector the persons of its registry (spot checks by telephone, GA23-SPT-1), a
    township centre its residents; the later apps name an institution's enrolled trainees and
    the HR service centre's referrals (hook ``person.phone_callers``). An enterprise never."""
    if organisation.kind in (OrganisationKind.ENTERPRISE, OrganisationKind.RURAL_REVITALISATION):
        return None
    prefix = organisation.jurisdiction_prefix
    if prefix:
        return Q(county__code__startswith=prefix)
    if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
        return Q(township=organisation.region_id)
    found = [q for q in hooks.call(hooks.PERSON_PHONE_CALLERS, organisation=organisation) if q]
    if not found:
        return None
    combined = found[0]
    for q in found[1:]:
        combined |= q
    return combined


def phone_revealable(*, actor: Actor) -> QuerySet[Person]:
    """The persons whose full phone number the actor may reveal: in scope, with the permission
    *reveal phone*, and among the persons its organisation calls for its work."""
    qs = visible(Person, actor)
    if not actor.has_perm(REVEAL_PHONE):
        return qs.none()
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        # only the system and a superuser without an organisation get this far (visible())
        return qs
    callers = _phone_callers(organisation)
    return qs.filter(callers) if callers is not None else qs.none()


def phone_revealable_ids(*, actor: Actor, person_ids: Iterable[int]) -> set[int]:
    """Of ``person_ids``, those whose phone the actor may reveal (one query, for a page of rows)."""
    ids = {pk for pk in person_ids if pk}
    if not ids:
        return set()
    return set(phone_revealable(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))


def person_find_by_id_number(*, actor: Actor, id_number: str) -> Person | None:
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


def person_for_declaration(*, actor: Actor, id_number: str, name: str) -> Person:
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


def has_unpaid_money(person: Person) -> bool:
    """Whether the person has approved (or charged) allowance money not yet paid: asked of the
    later apps through ``person.unpaid_money`` (subsidies answers)."""
    return hooks.any_true(hooks.PERSON_UNPAID_MONEY, person=person)


def township_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """The townships a list of persons may be narrowed to: those of a bureau's jurisdiction
    (none for other organisations, whose lists are short or one township already)."""
    organisation = getattr(actor, "organisation", None)
    prefix = organisation.jurisdiction_prefix if organisation is not None else None
    if not prefix and not getattr(actor, "is_superuser", False):
        return []
    regions = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    if prefix:
        regions = regions.filter(code__startswith=prefix)
    return [(str(pk), name) for pk, name in regions.order_by("code").values_list("pk", "name")]


LEARNER_LINK_STATES = ("open", "used", "closed")


def learner_invitations(*, actor: Actor, state: str = "") -> QuerySet:
    """The learner links the actor's organisation handed out (newest first): ``open`` (not
    used, not withdrawn, not expired), ``used``, ``closed`` (withdrawn or expired unused)."""
    now = timezone.now()
    links = visible(LearnerInvitation, actor).select_related("person", "created_by")
    if state == "open":
        links = links.open(now)
    elif state == "used":
        links = links.filter(used_at__isnull=False)
    elif state == "closed":
        links = links.filter(used_at__isnull=True).filter(
            Q(revoked_at__isnull=False) | Q(expires_at__lte=now)
        )
    return links.order_by("-created_at", "-pk")
