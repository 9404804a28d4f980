"""Explicit hooks: how an earlier stage lets a later one react, without importing it.

Dependencies flow one way (training → assessment → employment → subsidies). Where an earlier
app must let a later one act — the certificate service announcing an issued certificate, which
employment turns into a referral (GA23-EMP-1); the worker's archive collecting sections from
every app (HB45-QA-1) — the earlier app *calls a named hook* and the later app *registers a
callback* for that name in its ``AppConfig.ready()``. No signals, no hidden chains: ``grep`` the
hook's name and you find both ends.

The hooks in use:

``certificate.issued``
    ``callback(*, certificate, actor) -> None``. Called by ``assessment.services`` inside the
    transaction that issues a certificate or confirms (verifies) a recorded one. Registered by
    ``employment`` (pushes the holder to the county HR service centre's queue, GA23-EMP-1).

``organiser.refusals`` (a *check*, asked with :func:`problems`)
    ``check(*, organisation, on) -> list[str]``. Asked by ``training.services`` before a class
    plan is filed or submitted; registered by ``supervision`` (a blacklisted organiser files no
    classes, HB45-BLK-1).

``class.links``
    ``callback(*, training_class, actor) -> list[ClassLink]``. Called by the class ledger page
    (``training.views.class_detail``, GA23-SYS-1) so the ledger reaches every later stage of
    the class: ``supervision`` (inspections, evidence and the live compliance checklist, shown
    inline from its fragment), ``assessment`` (the exam sessions) and ``subsidies`` (claims).

``person.enrol_offer``
    ``callback(*, actor) -> EnrolOffer | None``. Asked by the registry's find-by-number page
    (``registry.views.person_lookup``) when the number is registered: the classes the actor's
    organisation may enrol the person into and where to post the enrolment. Registered by
    ``training``. Finding a person shows "registered: 刘*" and this offer, nothing else.

``person.archive_sections``
    ``callback(*, person, actor) -> list[ArchiveSection]``. Called by the worker's archive page
    (``assessment.views.person_archive``). Registered by ``assessment`` (trainings, attendance,
    assessments, certificates) and ``employment`` (referral, follow-ups); ``subsidies`` registers
    none yet (the subsidies received are to be added the same way).

``person.trainee_of`` (asked with :func:`any_true`)
    ``check(*, person, organisation) -> bool``. Asked by ``registry.services`` before an
    organiser records or changes a trainee's allowance account; registered by ``training``
    (the person is enrolled in one of the organisation's classes).

``person.unpaid_money`` (asked with :func:`any_true`)
    ``check(*, person) -> bool``. Asked by ``registry.services`` before a bank account is
    changed: while the person has approved, unpaid money a change is a request the bureau's
    payment clerk confirms; registered by ``subsidies``.

``person.phone_callers``
    ``callback(*, organisation) -> Q | None``. Asked by ``registry.selectors.phone_revealable``:
    a filter on ``Person`` naming the persons whose phone the organisation calls for its work
    (None: the app has nothing to say for this kind of organisation). Registered by
    ``training`` (an institution: the trainees enrolled in its classes) and ``employment``
    (the HR service centre: the persons it holds a referral for).

``person.subsidy_paid`` (asked with :func:`any_true`)
    ``check(*, person, training_class) -> bool``. Asked by ``nominations.selectors`` for the
    state of an employee put forward (WH20 item 7: "subsidy paid"): whether money of the
    person's training in that class has been paid. Registered by ``subsidies``.

``enrolment.online_theory``
    ``callback(*, enrolment) -> OnlineTheoryResult | None``. Asked by
    ``assessment.services.session_create`` for each trainee it examines: the passing result of
    an online theory exam the trainee already holds, which becomes the attempt's theory part
    where the session accepts it (HB61-ONL-1). Registered by ``exams`` (the online theory
    exam); a result passed after the session is scheduled is applied by ``exams`` calling
    ``assessment.services.attempt_online_theory_apply``.

``class.figures_changed``
    ``callback(*, class_ids) -> None``. Called, inside their transaction, by the services that
    change what the progress dashboards count of a class: ``training`` (a roster applied, an
    enrolment withdrawn, a plan changed, a class moved to another state), ``employment`` (a
    follow-up's outcome, a referral moved to a newer certificate) and ``subsidies`` (a bank's
    answer marking payments paid). Registered by ``reports``, which recounts the classes'
    rows of its progress summary (issue 18: aggregates kept up to date incrementally). An
    issued certificate reaches it through ``certificate.issued``.

``learner.portal_sections``
    ``callback(*, person, user) -> list[PortalSection]``. Called by the learner's "my
    training" portal (``/me/``) to show the learner's own records: enrolments and agreements,
    courses and exams, certificates, subsidies. Each app registers the section for its records,
    read through the learner's scope only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CERTIFICATE_ISSUED = "certificate.issued"
ORGANISER_REFUSALS = "organiser.refusals"
CLASS_LINKS = "class.links"
PERSON_ENROL_OFFER = "person.enrol_offer"
PERSON_ARCHIVE_SECTIONS = "person.archive_sections"
PERSON_TRAINEE_OF = "person.trainee_of"
PERSON_UNPAID_MONEY = "person.unpaid_money"
PERSON_PHONE_CALLERS = "person.phone_callers"
PERSON_SUBSIDY_PAID = "person.subsidy_paid"
# the learner's "my training" portal: each app adds its section for the learner's own records
LEARNER_PORTAL_SECTIONS = "learner.portal_sections"
ONLINE_THEORY_RESULT = "enrolment.online_theory"
CLASS_FIGURES_CHANGED = "class.figures_changed"

_callbacks: dict[str, list[Callable[..., Any]]] = {}


def register(name: str, callback: Callable[..., Any]) -> None:
    """Add ``callback`` to hook ``name`` (once: registering the same function again, as a
    second ``ready()`` would, changes nothing)."""
    callbacks = _callbacks.setdefault(name, [])
    if callback not in callbacks:
        callbacks.append(callback)


def unregister(name: str, callback: Callable[..., Any]) -> None:
    callbacks = _callbacks.get(name, [])
    if callback in callbacks:
        callbacks.remove(callback)


def callbacks(name: str) -> list[Callable[..., Any]]:
    return list(_callbacks.get(name, []))


def call(name: str, **kwargs: Any) -> list[Any]:
    """Call every callback of hook ``name`` in registration order with ``kwargs``; their
    results, in the same order. An exception propagates (and rolls back the caller's
    transaction): a hook is part of the work, not a notification that may be lost."""
    return [callback(**kwargs) for callback in callbacks(name)]


def register_check(name: str, check: Callable[..., list[str]]) -> None:
    """Add a *check* to hook ``name``: ``check(**kwargs)`` returns the problems (messages) it
    finds, ``[]`` when none."""
    register(name, check)


def problems(name: str, **kwargs: Any) -> list[str]:
    """Every problem the checks of hook ``name`` find, in registration order (``[]`` when no
    app registered a check)."""
    return [str(message) for found in call(name, **kwargs) for message in (found or [])]


def any_true(name: str, **kwargs: Any) -> bool:
    """Whether any check of hook ``name`` answers yes (no: when no app registered one)."""
    return any(call(name, **kwargs))


@dataclass(frozen=True)
class ClassLink:
    """A later stage's part of a class ledger: a link, and optionally a fragment the ledger
    loads with htmx after the page (so the ledger's own page stays a few queries)."""

    title: str
    url: str
    order: int = 100
    fragment_url: str = ""


def class_links(*, training_class: Any, actor: Any) -> list[ClassLink]:
    links = [
        link
        for found in call(CLASS_LINKS, training_class=training_class, actor=actor)
        for link in (found or [])
    ]
    return sorted(links, key=lambda link: link.order)


@dataclass(frozen=True)
class EnrolOffer:
    """Where the find-by-number page posts an enrolment, and the classes it offers
    (primary key, title)."""

    action_url: str
    classes: list[tuple[int, str]]


def enrol_offer(*, actor: Any) -> EnrolOffer | None:
    """The first offer any app makes (``None`` when the organisation has no enrolling class)."""
    return next((found for found in call(PERSON_ENROL_OFFER, actor=actor) if found), None)


# -- the worker's archive (HB45-QA-1) ----------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of a person's working life, for the archive's timeline."""

    on: date
    kind: str  # short label of the section, e.g. "培训"
    text: str


@dataclass
class ArchiveSection:
    """A part of the worker's archive contributed by one app: a titled table and the events it
    puts on the timeline. ``order`` places it on the page (lower first)."""

    key: str
    title: str
    order: int
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class OnlineTheoryResult:
    """A passed online theory exam (HB61-ONL-1): the score out of ``full_marks`` and the
    reference naming the platform and the attempt."""

    score: Any  # Decimal
    full_marks: Any  # Decimal
    reference: str


# -- the learner's "my training" portal (WH20, online path) ------------------------------------


@dataclass(frozen=True)
class PortalCard:
    """One line of a portal section: a title, its state in words, optional detail lines and an
    optional link with its label (everything already translated)."""

    title: str
    state: str = ""
    lines: tuple[str, ...] = ()
    url: str = ""
    action: str = ""


@dataclass
class PortalSection:
    """A part of the learner's portal contributed by one app, for the learner's own records:
    ``order`` places it (lower first); an empty ``cards`` shows ``empty`` instead."""

    key: str
    title: str
    order: int
    cards: list[PortalCard] = field(default_factory=list)
    empty: str = ""


def portal_sections(*, person: Any, user: Any) -> list[PortalSection]:
    """Every app's section of ``person``'s portal (``user`` is the learner's account)."""
    sections = [
        section
        for found in call(LEARNER_PORTAL_SECTIONS, person=person, user=user)
        for section in (found or [])
    ]
    return sorted(sections, key=lambda section: section.order)
