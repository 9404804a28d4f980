"""Reads of the Wuhan enrolment path: lists narrowed by the scoping layer, the fee and the
deduction of one employee (WH20-FEE-1, WH20-LVE-1), each employee's state, an association's
counts per member and a bureau's totals, and what an actor may do with one object."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from upskill.assessment.models import Attempt, Certificate
from upskill.catalog.models import Occupation
from upskill.core import hooks
from upskill.core.scoping import Actor, person_of, visible
from upskill.organisations.models import OrganisationKind
from upskill.training.models import ENROLLING_STATES, ClassStatus, TrainingClass

from .models import (
    Application,
    ApplicationStatus,
    Batch,
    Call,
    FeeReceipt,
    Membership,
    Nomination,
    NominationStatus,
    Payer,
    SubsidyUse,
)

PROGRAM = "online_skill_level"


# -- the batch's classes -----------------------------------------------------------------------


def _batch_classes(batch: Batch) -> QuerySet[TrainingClass]:
    """The online skill-level classes the batch's institution runs in the batch's dates and
    still enrols (read for the batch, whoever asks: the classes are the batch's)."""
    return TrainingClass.objects.filter(
        organisation_id=batch.institution_id,
        catalog_entry__program=PROGRAM,
        status__in=ENROLLING_STATES,
        start_date__gte=batch.start_date,
        start_date__lte=batch.end_date,
    ).select_related("catalog_entry__occupation", "township")


def batch_class_for(batch: Batch, occupation: Occupation) -> TrainingClass | None:
    """The batch's class of an occupation at its level (by name and level: the class's
    catalogue may be another year's version of the same occupation)."""
    return (
        _batch_classes(batch)
        .filter(
            catalog_entry__occupation__name=occupation.name,
            catalog_entry__occupation__level=occupation.level,
        )
        .order_by("start_date", "pk")
        .first()
    )


def batch_occupations(batch: Batch | None) -> QuerySet[Occupation]:
    """The occupations (and levels) taught in the batch: what an employee may be put forward
    for (WH20-ENR-2: the levels the catalogue has)."""
    if batch is None:
        return Occupation.objects.none()
    return Occupation.objects.filter(
        pk__in=_batch_classes(batch).values("catalog_entry__occupation_id")
    ).order_by("name", "-level")


def batch_occupation(batch: Batch, name: str, level: int) -> Occupation | None:
    return batch_occupations(batch).filter(name=name, level=level).first()


# -- fee and deduction (WH20-FEE-1, WH20-LVE-1) ------------------------------------------------


@dataclass(frozen=True)
class FeeLine:
    occupation: Occupation
    price: Decimal
    exam_fee: Decimal

    @property
    def training_fee(self) -> Decimal:
        return self.price - self.exam_fee


@dataclass(frozen=True)
class Fee:
    """The fee of one employee (WH20-FEE-1): the catalogue price per person and certificate,
    of which the advanced-level exam fee is a part (附件3 四)."""

    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.price for line in self.lines), Decimal(0))

    @property
    def exam_fees(self) -> Decimal:
        return sum((line.exam_fee for line in self.lines), Decimal(0))


def exam_fee_of(occupation: Occupation, call: Call) -> Decimal:
    """The exam fee included in an occupation's price: the catalogue's when it gives one, else
    the call's advanced-level fee for a level-3 (or higher) certificate; none otherwise."""
    if occupation.exam_fee is not None:
        return occupation.exam_fee
    return call.advanced_exam_fee if occupation.level <= 3 else Decimal(0)


def fee_of(nomination: Nomination) -> Fee:
    call = nomination.application.call
    return Fee(
        tuple(
            FeeLine(occupation, occupation.price, exam_fee_of(occupation, call))
            for occupation in nomination.occupations
        )
    )


@dataclass(frozen=True)
class Deduction:
    """What the enterprise may deduct when the employee leaves (WH20-LVE-1)."""

    advanced: Decimal
    exam_fee_kept: Decimal

    @property
    def amount(self) -> Decimal:
        return max(self.advanced - self.exam_fee_kept, Decimal(0))


def deduction_of(nomination: Nomination, left_on: date) -> Deduction:
    """The enterprise's receipts for the employee up to the day of leaving, less the exam fees
    when the employee had not registered for the exam by then (WH20-LVE-1)."""
    advanced = nomination.receipts.filter(payer=Payer.ENTERPRISE, paid_on__lte=left_on).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    registered = (
        nomination.exam_registered_on is not None and nomination.exam_registered_on <= left_on
    )
    kept = Decimal(0) if registered else min(fee_of(nomination).exam_fees, advanced)
    return Deduction(advanced=advanced, exam_fee_kept=kept)


# -- states (item 7) -----------------------------------------------------------------------------

STATES = [
    ("applied", _("Put forward")),
    ("enrolled", _("Enrolled in the classes")),
    ("learning", _("Learning")),
    ("examined", _("Examined")),
    ("certified", _("Certified")),
    ("subsidy_paid", _("Subsidy paid")),
    ("left", _("Left during training")),
]
STATE_LABELS = dict(STATES)


def states_of(nominations: list[Nomination]) -> dict[int, str]:
    """Each nomination's state: put forward, enrolled, learning (a class running or finished),
    examined (an exam attempt), certified (a certificate of one of its classes), subsidy paid
    (asked of the later apps through ``person.subsidy_paid``), or left. A few queries for all."""
    enrolment_ids = [e.pk for n in nominations for e in n.enrolments]
    examined = set(
        Attempt.objects.filter(enrolment_id__in=enrolment_ids).values_list(
            "enrolment_id", flat=True
        )
    )
    class_ids = [e.training_class_id for n in nominations for e in n.enrolments]
    certified = set(
        Certificate.objects.filter(training_class_id__in=class_ids).values_list(
            "person_id", "training_class_id"
        )
    )
    states: dict[int, str] = {}
    for nomination in nominations:
        enrolments = nomination.enrolments
        classes = [e.training_class for e in enrolments]
        if nomination.status == NominationStatus.WITHDRAWN:
            state = "left"
        elif nomination.status == NominationStatus.PUT_FORWARD:
            state = "applied"
        elif any(
            hooks.any_true(hooks.PERSON_SUBSIDY_PAID, person=nomination.person, training_class=c)
            for c in classes
        ):
            state = "subsidy_paid"
        elif any((nomination.person_id, c.pk) in certified for c in classes):
            state = "certified"
        elif any(e.pk in examined for e in enrolments):
            state = "examined"
        elif any(c.status in (ClassStatus.RUNNING, ClassStatus.FINISHED) for c in classes):
            state = "learning"
        else:
            state = "enrolled"
        states[nomination.pk] = state
    return states


# -- lists -------------------------------------------------------------------------------------


def memberships(*, actor: Actor) -> QuerySet[Membership]:
    return visible(Membership, actor).select_related("association", "enterprise")


def calls(*, actor: Actor) -> QuerySet[Call]:
    return visible(Call, actor).select_related("association")


def applications(*, actor: Actor, call: Call | None = None) -> QuerySet[Application]:
    qs = visible(Application, actor).select_related("call", "enterprise", "batch")
    if call is not None:
        qs = qs.filter(call=call)
    return qs.order_by("call", "sequence")


def applications_waiting(*, actor: Actor) -> QuerySet[Application]:
    """The association's queue: applications waiting to be scheduled, in order of
    registration (WH20-ENR-1)."""
    return applications(actor=actor).filter(
        status=ApplicationStatus.SUBMITTED, call__association=getattr(actor, "organisation", None)
    )


def batches(*, actor: Actor, call: Call | None = None) -> QuerySet[Batch]:
    qs = visible(Batch, actor).select_related("call", "institution", "platform")
    return qs.filter(call=call) if call is not None else qs


def nominations(*, actor: Actor, application: Application | None = None) -> QuerySet[Nomination]:
    qs = visible(Nomination, actor).select_related(
        "person",
        "application__enterprise",
        "application__call",
        "application__batch",
        "general_occupation",
        "specialised_occupation",
        "general_enrolment__training_class",
        "specialised_enrolment__training_class",
    )
    if application is not None:
        qs = qs.filter(application=application)
    return qs.order_by("application", "pk")


def nominations_unsigned(*, actor: Actor) -> QuerySet[Nomination]:
    """Enrolled employees whose agreements (WH20-LVE-1) are not yet confirmed."""
    return nominations(actor=actor).filter(
        status=NominationStatus.ENROLLED, agreements_confirmed_at__isnull=True
    )


def applications_to_fill(*, actor: Actor) -> QuerySet[Application]:
    """The enterprise's scheduled applications with fewer employees put forward than it
    declared eligible (WH20-ENR-2): employees still to put forward."""
    organisation = getattr(actor, "organisation", None)
    return (
        applications(actor=actor)
        .filter(status=ApplicationStatus.SCHEDULED, enterprise=organisation)
        .annotate(put=Count("nominations"))
        .filter(put__lt=F("eligible_employees"))
    )


def receipts(*, actor: Actor, nomination: Nomination) -> QuerySet[FeeReceipt]:
    return visible(FeeReceipt, actor).filter(nomination=nomination)


def uses(*, actor: Actor, batch: Batch) -> QuerySet[SubsidyUse]:
    return visible(SubsidyUse, actor).filter(batch=batch)


def my_nominations(*, person) -> QuerySet[Nomination]:
    """A learner's own nominations (their scope)."""
    return Nomination.objects.scope_for_person(person).select_related(
        "application__enterprise",
        "application__batch",
        "general_occupation",
        "specialised_occupation",
    )


# -- counts (item 7) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Counts of one application's employees: what an association sees of its members (no
    persons' records)."""

    application: Application
    counts: dict[str, int]

    @property
    def put_forward(self) -> int:
        return sum(self.counts.values())


def progress(*, actor: Actor, call: Call) -> list[Progress]:
    """Per application of the call (in order of registration), its employees counted by state.
    The nominations are read by the system for the counts only: the association sees counts,
    never the persons (its scope has none of them)."""
    rows = list(applications(actor=actor, call=call))
    counts = counts_of(rows)
    return [Progress(row, counts[row.pk]) for row in rows]


def counts_of(rows: list[Application]) -> dict[int, dict[str, int]]:
    """The employees of each application (already fetched through the actor's scope) counted by
    state: read by the system for the counts only, never handed out as records."""
    by_application: dict[int, Counter] = {row.pk: Counter() for row in rows}
    found = list(
        Nomination.objects.filter(application__in=rows).select_related(
            "person",
            "general_enrolment__training_class",
            "specialised_enrolment__training_class",
        )
    )
    states = states_of(found)
    for nomination in found:
        by_application[nomination.application_id][states[nomination.pk]] += 1
    return {pk: dict(counter) for pk, counter in by_application.items()}


def totals(*, actor: Actor) -> dict[str, int]:
    """The programme's totals in the actor's scope (the bureau): applications, scheduled,
    employees by state."""
    found = list(
        nominations(actor=actor).select_related(
            "general_enrolment__training_class", "specialised_enrolment__training_class"
        )
    )
    counts = Counter(states_of(found).values())
    apps = applications(actor=actor)
    return {
        "applications": apps.count(),
        "scheduled": apps.filter(status=ApplicationStatus.SCHEDULED).count(),
        "put_forward": len(found),
        **{key: counts.get(key, 0) for key, _label in STATES},
    }


# -- permissions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallPermissions:
    apply: bool
    schedule: bool
    add_batch: bool


def call_permissions(*, actor: Actor, obj: Call) -> CallPermissions:
    organisation = getattr(actor, "organisation", None)
    own = organisation is not None and organisation.pk == obj.association_id
    member = (
        organisation is not None
        and organisation.kind == OrganisationKind.ENTERPRISE
        and organisation.associations.filter(pk=obj.association_id).exists()
    )
    return CallPermissions(
        apply=member and actor.has_perm("nominations.add_application"),
        schedule=own and actor.has_perm("nominations.change_application"),
        add_batch=own and actor.has_perm("nominations.add_batch"),
    )


@dataclass(frozen=True)
class ApplicationPermissions:
    put_forward: bool


def application_permissions(*, actor: Actor, obj: Application) -> ApplicationPermissions:
    organisation_id = getattr(actor, "organisation_id", None)
    return ApplicationPermissions(
        put_forward=organisation_id == obj.enterprise_id
        and obj.status == ApplicationStatus.SCHEDULED
        and actor.has_perm("nominations.add_nomination"),
    )


@dataclass(frozen=True)
class NominationPermissions:
    register: bool
    receipt: bool
    agreements: bool
    exam: bool
    leave: bool
    confirm: bool


def nomination_permissions(*, actor: Actor, obj: Nomination) -> NominationPermissions:
    organisation_id = getattr(actor, "organisation_id", None)
    hr = organisation_id == obj.application.enterprise_id and actor.has_perm(
        "nominations.change_nomination"
    )
    institution = organisation_id == obj.application.batch.institution_id
    own = person_of(actor) is not None and person_of(actor).pk == obj.person_id
    enrolled = obj.status == NominationStatus.ENROLLED
    unsigned = obj.agreements_confirmed_at is None and obj.status != NominationStatus.WITHDRAWN
    return NominationPermissions(
        register=hr and obj.status == NominationStatus.PUT_FORWARD,
        receipt=(hr or institution)
        and actor.has_perm("nominations.add_feereceipt")
        and obj.status != NominationStatus.WITHDRAWN,
        agreements=hr and unsigned,
        exam=hr and enrolled and obj.exam_registered_on is None,
        leave=hr and enrolled and obj.agreements_confirmed_at is not None,
        confirm=own and unsigned,
    )
