"""The Wuhan enrolment path over JSON (WH20-ENR-1/2, WH20-OBJ-1, WH20-FEE-1, WH20-LVE-1,
WH20-USE-1), for the partners' systems (the association's, the member enterprises', the
institution's, the bureau's): the same scope as the pages (outside it 404, without the
permission 403) and the same services for the writes the pages offer them.

- reads: memberships, calls (with each application's counts by state for whoever sees the
  application: the association sees counts, never persons), applications with their status,
  batches with the statement of use, the employees put forward (state, insurance months with
  their source and date, fee and payer, receipts, agreements, leaving and deduction) and the
  programme's totals;
- writes: an enterprise files an application (WH20-ENR-1, today's date as on the page), the
  association schedules it in order of registration, HR puts an employee forward by ID number
  and name (WH20-ENR-2, WH20-OBJ-1), records the on-site registration, the exam registration
  and a leaving with its deduction (WH20-LVE-1); HR or the institution records a receipt
  (WH20-FEE-1); the institution states the use of a batch's subsidy (WH20-USE-1).

The signed copy of the agreements is uploaded on the page; the employee confirms them in the
learner portal (a learner has no API)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404

from . import selectors, services
from .models import Application, Batch, Call, Channel, Membership, Nomination
from .views import VIEW_APPLICATION, VIEW_BATCH, VIEW_CALL, VIEW_NOMINATION

router = Router(tags=["nominations"])

VIEW_MEMBERSHIP = "nominations.view_membership"

# Text a partner sends: never a NUL (PostgreSQL refuses it in text), at most the column's length.
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=64)]
Note = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=2000)]
Money = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2)]


# -- memberships and calls -----------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    association_id: int
    association: str
    enterprise_id: int
    enterprise: str
    number: str
    joined_on: date
    ended_on: date | None
    is_current: bool

    @staticmethod
    def resolve_association(obj: Membership) -> str:
        return obj.association.name

    @staticmethod
    def resolve_enterprise(obj: Membership) -> str:
        return obj.enterprise.name


class CallOut(Schema):
    id: int
    association_id: int
    association: str
    title: str
    document: str
    year: int
    deadline: date = Field(description="Applications are received until this day, inclusive")
    general_occupations: list[str]
    advanced_exam_fee: Decimal
    created_at: datetime

    @staticmethod
    def resolve_association(obj: Call) -> str:
        return obj.association.name


class CallPermissionsOut(Schema):
    """What the calling token may do with the call now (``selectors.call_permissions``)."""

    apply: bool
    schedule: bool
    add_batch: bool


class CallDetailOut(CallOut):
    permissions: CallPermissionsOut

    @staticmethod
    def resolve_permissions(obj: Call, context) -> CallPermissionsOut:
        actor = actor_of(context["request"])
        return CallPermissionsOut.from_orm(selectors.call_permissions(actor=actor, obj=obj))


# -- applications ----------------------------------------------------------------------------------


class ApplicationOut(Schema):
    id: int
    call_id: int
    enterprise_id: int
    enterprise: str
    sequence: int = Field(description="The order of registration (WH20-ENR-1)")
    received_on: date
    industry: str
    hr_lead: str
    hr_lead_phone_masked: str
    occupations_wanted: str
    eligible_employees: int
    dispatched_included: int
    note: str
    status: str = Field(description="submitted (waiting to be scheduled), scheduled, withdrawn")
    batch_id: int | None
    scheduled_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_enterprise(obj: Application) -> str:
        return obj.enterprise.name


class ProgressOut(Schema):
    """One application's employees counted by state: what an association sees of its members."""

    application_id: int
    enterprise_id: int
    enterprise: str
    sequence: int
    status: str
    batch_id: int | None
    put_forward: int
    counts: dict[str, int] = Field(
        description="applied, enrolled, learning, examined, certified, subsidy_paid, left"
    )


class ApplicationPermissionsOut(Schema):
    put_forward: bool


class ApplicationDetailOut(ApplicationOut):
    counts: dict[str, int] = Field(
        description="Its employees by state: applied, enrolled, learning, examined, certified, "
        "subsidy_paid, left"
    )
    permissions: ApplicationPermissionsOut

    @staticmethod
    def resolve_counts(obj: Application) -> dict[str, int]:
        return selectors.counts_of([obj])[obj.pk]

    @staticmethod
    def resolve_permissions(obj: Application, context) -> ApplicationPermissionsOut:
        actor = actor_of(context["request"])
        return ApplicationPermissionsOut.from_orm(
            selectors.application_permissions(actor=actor, obj=obj)
        )


class ApplicationIn(Schema):
    """附件1: the enterprise's application (WH20-ENR-1), received today."""

    industry: Line
    hr_lead: Line
    hr_lead_phone: Line
    occupations_wanted: Note
    eligible_employees: int = Field(ge=0, le=1_000_000)
    dispatched_included: int = Field(0, ge=0, le=1_000_000)
    note: Note = ""


class ApplicationScheduleIn(Schema):
    batch_id: int


# -- batches ---------------------------------------------------------------------------------------


class SubsidyUseOut(Schema):
    id: int
    batch_id: int
    category: str = Field(description="teaching, courses, materials or assessment (WH20-USE-1)")
    amount: Decimal
    note: str
    created_at: datetime


class SubsidyUseIn(Schema):
    category: Line
    amount: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
    note: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=255)] = ""


class TrainingBatchOut(Schema):
    id: int
    call_id: int
    name: str
    institution_id: int
    institution: str
    platform_id: int
    platform: str
    start_date: date
    end_date: date
    created_at: datetime

    @staticmethod
    def resolve_institution(obj: Batch) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_platform(obj: Batch) -> str:
        return obj.platform.name


class TrainingBatchDetailOut(TrainingBatchOut):
    uses: list[SubsidyUseOut]

    @staticmethod
    def resolve_uses(obj: Batch, context) -> list:
        return list(selectors.uses(actor=actor_of(context["request"]), batch=obj))


# -- employees put forward -------------------------------------------------------------------------


class NominationOccupationOut(Schema):
    id: int
    name: str
    level: int


class FeeLineOut(Schema):
    occupation_id: int
    occupation: str
    level: int
    price: Decimal
    exam_fee: Decimal


class FeeOut(Schema):
    """The employee's fee (WH20-FEE-1): the catalogue price of each certificate, of which the
    exam fee is a part."""

    total: Decimal
    exam_fees: Decimal
    lines: list[FeeLineOut]


class FeeReceiptOut(Schema):
    id: int
    nomination_id: int
    payer: str
    amount: Decimal
    paid_on: date
    number: str
    created_at: datetime


class FeeReceiptIn(Schema):
    amount: Money
    paid_on: date
    number: Line


class NominationOut(Schema):
    id: int
    application_id: int
    call_id: int
    enterprise_id: int
    enterprise: str
    person_id: int
    name: str
    id_number_masked: str
    general_occupation: NominationOccupationOut
    specialised_occupation: NominationOccupationOut
    insured_months: int = Field(description="Unemployment-insurance months (WH20-OBJ-1)")
    months_source: str = Field(description="contract (labour-contract list) or list")
    months_as_of: date
    payer: str = Field(description="enterprise (in advance) or employee (WH20-FEE-1)")
    status: str = Field(description="put_forward, enrolled, withdrawn")
    state: str = Field(
        description="applied, enrolled, learning, examined, certified, subsidy_paid, left"
    )
    channel: str = Field(description="onsite, online, or empty before registration")
    registered_at: datetime | None
    general_enrolment_id: int | None
    specialised_enrolment_id: int | None
    agreements_confirmed_at: datetime | None
    agreements_confirmed_how: str = Field(description="portal, upload, or empty (WH20-LVE-1)")
    has_signed_copy: bool
    exam_registered_on: date | None
    left_on: date | None
    leave_reason: str
    advanced: Decimal | None = Field(description="What the enterprise advanced (WH20-LVE-1)")
    exam_fee_kept: Decimal | None
    deduction: Decimal | None
    created_at: datetime

    @staticmethod
    def resolve_call_id(obj: Nomination) -> int:
        return obj.application.call_id

    @staticmethod
    def resolve_enterprise_id(obj: Nomination) -> int:
        return obj.application.enterprise_id

    @staticmethod
    def resolve_enterprise(obj: Nomination) -> str:
        return obj.application.enterprise.name

    @staticmethod
    def resolve_name(obj: Nomination) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: Nomination) -> str:
        return obj.person.id_number_masked

    @staticmethod
    def resolve_state(obj: Nomination) -> str:
        state = getattr(obj, "state_key", None)
        return state or selectors.states_of([obj])[obj.pk]

    @staticmethod
    def resolve_has_signed_copy(obj: Nomination) -> bool:
        return bool(obj.signed_copy)


class NominationPermissionsOut(Schema):
    """What the calling token may do with the employee's record now
    (``selectors.nomination_permissions``, the page's buttons)."""

    register_on_site: bool
    receipt: bool
    agreements: bool
    exam: bool
    leave: bool
    confirm: bool


class NominationDetailOut(NominationOut):
    fee: FeeOut
    receipts: list[FeeReceiptOut]
    permissions: NominationPermissionsOut

    @staticmethod
    def resolve_fee(obj: Nomination) -> dict[str, Any]:
        fee = selectors.fee_of(obj)
        return {
            "total": fee.total,
            "exam_fees": fee.exam_fees,
            "lines": [
                {
                    "occupation_id": line.occupation.pk,
                    "occupation": line.occupation.name,
                    "level": line.occupation.level,
                    "price": line.price,
                    "exam_fee": line.exam_fee,
                }
                for line in fee.lines
            ],
        }

    @staticmethod
    def resolve_receipts(obj: Nomination, context) -> list:
        return list(selectors.receipts(actor=actor_of(context["request"]), nomination=obj))

    @staticmethod
    def resolve_permissions(obj: Nomination, context) -> NominationPermissionsOut:
        can = selectors.nomination_permissions(actor=actor_of(context["request"]), obj=obj)
        return NominationPermissionsOut(
            register_on_site=can.register,
            receipt=can.receipt,
            agreements=can.agreements,
            exam=can.exam,
            leave=can.leave,
            confirm=can.confirm,
        )


class PutForwardIn(Schema):
    """An employee of the enterprise's running labour contracts, named by ID number and name as
    on the enterprise's list; one general and one specialised occupation by name and level
    (WH20-ENR-2). The insurance months are the labour contract's (WH20-OBJ-1)."""

    id_number: Line
    name: Line
    general_occupation: Line
    general_level: int = Field(ge=1, le=5)
    specialised_occupation: Line
    specialised_level: int = Field(ge=1, le=5)
    payer: Line = Field("enterprise", description="enterprise (in advance) or employee")


class ExamRegistrationIn(Schema):
    on: date


class LeaveIn(Schema):
    left_on: date
    reason: Note


class TotalsOut(Schema):
    """The programme's totals in the caller's scope (the bureau's view)."""

    applications: int
    scheduled: int
    put_forward: int
    applied: int
    enrolled: int
    learning: int
    examined: int
    certified: int
    subsidy_paid: int
    left: int


class NominationPagination(PageNumberPagination):
    """The API's pages, with each employee's state worked out once for the whole page."""

    def paginate_queryset(self, queryset, pagination: Any, request, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page[self.items_attribute])
        states = selectors.states_of(items)
        for nomination in items:
            nomination.state_key = states[nomination.pk]
        return {**page, self.items_attribute: items}


# -- helpers ---------------------------------------------------------------------------------------


def _call(actor, call_id: int, perm: str = VIEW_CALL) -> Call:
    return get_visible_or_404(selectors.calls(actor=actor), actor, perm=perm, pk=call_id)


def _application(actor, application_id: int, perm: str = VIEW_APPLICATION) -> Application:
    return get_visible_or_404(
        selectors.applications(actor=actor), actor, perm=perm, pk=application_id
    )


def _batch(actor, batch_id: int, perm: str = VIEW_BATCH) -> Batch:
    return get_visible_or_404(selectors.batches(actor=actor), actor, perm=perm, pk=batch_id)


def _nomination(actor, nomination_id: int, perm: str = VIEW_NOMINATION) -> Nomination:
    return get_visible_or_404(
        selectors.nominations(actor=actor), actor, perm=perm, pk=nomination_id
    )


# -- memberships and calls -----------------------------------------------------------------------


@router.get("/nominations/memberships", response=list[MembershipOut])
@paginate(PageNumberPagination)
def membership_list(request):
    """An association's member enterprises (the association keeps them); an enterprise its own
    memberships; a bureau those of its jurisdiction's enterprises."""
    actor = permitted_actor(request, VIEW_MEMBERSHIP)
    return selectors.memberships(actor=actor)


@router.get("/nominations/memberships/{membership_id}", response=MembershipOut)
def membership_detail(request, membership_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        selectors.memberships(actor=actor), actor, perm=VIEW_MEMBERSHIP, pk=membership_id
    )


@router.get("/nominations/calls", response=list[CallOut])
@paginate(PageNumberPagination)
def call_list(request, year: int | None = None):
    actor = permitted_actor(request, VIEW_CALL)
    qs = selectors.calls(actor=actor)
    return qs.filter(year=year) if year is not None else qs


@router.get("/nominations/calls/{call_id}", response=CallDetailOut)
def call_detail(request, call_id: int):
    return _call(actor_of(request), call_id)


@router.get("/nominations/calls/{call_id}/progress", response=list[ProgressOut])
def call_progress(request, call_id: int):
    """Each application of the call the caller sees, in order of registration, with its
    employees counted by state: the association's view of its members (counts, no persons)."""
    actor = actor_of(request)
    call = _call(actor, call_id, VIEW_APPLICATION)
    return [
        {
            "application_id": row.application.pk,
            "enterprise_id": row.application.enterprise_id,
            "enterprise": row.application.enterprise.name,
            "sequence": row.application.sequence,
            "status": row.application.status,
            "batch_id": row.application.batch_id,
            "put_forward": row.put_forward,
            "counts": row.counts,
        }
        for row in selectors.progress(actor=actor, call=call)
    ]


@router.post("/nominations/calls/{call_id}/applications", response={201: ApplicationDetailOut})
def application_submit(request, call_id: int, payload: ApplicationIn):
    """A member enterprise files the application of 附件1 (WH20-ENR-1), received today: refused
    after the call's deadline (inclusive) or when the enterprise is not a member."""
    actor = actor_of(request)
    call = _call(actor, call_id, services.ADD_APPLICATION)
    application = services.application_submit(actor=actor, call=call, **payload.dict())
    return Status(201, _application(actor, application.pk))


# -- applications ----------------------------------------------------------------------------------


@router.get("/nominations/applications", response=list[ApplicationOut])
@paginate(PageNumberPagination)
def application_list(
    request, call_id: int | None = None, batch_id: int | None = None, status: str = ""
):
    """Applications in order of registration; ``status`` submitted (the association's queue),
    scheduled or withdrawn."""
    actor = permitted_actor(request, VIEW_APPLICATION)
    qs = selectors.applications(actor=actor)
    if call_id is not None:
        qs = qs.filter(call_id=call_id)
    if batch_id is not None:
        qs = qs.filter(batch_id=batch_id)
    return qs.filter(status=status) if status else qs


@router.get("/nominations/applications/{application_id}", response=ApplicationDetailOut)
def application_detail(request, application_id: int):
    return _application(actor_of(request), application_id)


@router.post("/nominations/applications/{application_id}/schedule", response=ApplicationDetailOut)
def application_schedule(request, application_id: int, payload: ApplicationScheduleIn):
    """The association schedules the application into a batch of its call, in the order the
    applications were registered (WH20-ENR-1)."""
    actor = actor_of(request)
    application = _application(actor, application_id, services.SCHEDULE_APPLICATION)
    batch = _batch(actor, payload.batch_id)
    services.application_schedule(actor=actor, application=application, batch=batch)
    return _application(actor, application_id)


@router.post(
    "/nominations/applications/{application_id}/employees", response={201: NominationDetailOut}
)
def nomination_put_forward(request, application_id: int, payload: PutForwardIn):
    """HR puts an employee forward (WH20-ENR-2): refused with the reason naming WH20-OBJ-1 when
    the labour contract's unemployment-insurance months are fewer than the minimum."""
    actor = actor_of(request)
    application = _application(actor, application_id, services.ADD_NOMINATION)
    nomination = services.nomination_put_forward_named(
        actor=actor, application=application, **payload.dict()
    )
    return Status(201, _nomination(actor, nomination.pk))


# -- batches ---------------------------------------------------------------------------------------


@router.get("/nominations/batches", response=list[TrainingBatchOut])
@paginate(PageNumberPagination)
def batch_list(request, call_id: int | None = None):
    actor = permitted_actor(request, VIEW_BATCH)
    return selectors.batches(actor=actor).filter(**({"call_id": call_id} if call_id else {}))


@router.get("/nominations/batches/{batch_id}", response=TrainingBatchDetailOut)
def batch_detail(request, batch_id: int):
    """A batch with the institution's statement of how its subsidy is used (WH20-USE-1)."""
    return _batch(actor_of(request), batch_id)


@router.post("/nominations/batches/{batch_id}/uses", response={201: SubsidyUseOut})
def subsidy_use_record(request, batch_id: int, payload: SubsidyUseIn):
    """A line of the institution's statement of use (WH20-USE-1): teaching, courses, materials
    or assessment; food, lodging, transport and communication are refused."""
    actor = actor_of(request)
    batch = _batch(actor, batch_id, services.ADD_SUBSIDY_USE)
    return Status(201, services.subsidy_use_record(actor=actor, batch=batch, **payload.dict()))


# -- employees put forward -------------------------------------------------------------------------


@router.get("/nominations/employees", response=list[NominationOut])
@paginate(NominationPagination)
def nomination_list(request, application_id: int | None = None, status: str = ""):
    """The employees put forward that the caller sees (the enterprise its own, the institution
    those of its batches, the bureau its jurisdiction's; never the association)."""
    actor = permitted_actor(request, VIEW_NOMINATION)
    qs = selectors.nominations(actor=actor)
    if application_id is not None:
        qs = qs.filter(application_id=application_id)
    return qs.filter(status=status) if status else qs


@router.get("/nominations/employees/{nomination_id}", response=NominationDetailOut)
def nomination_detail(request, nomination_id: int):
    return _nomination(actor_of(request), nomination_id)


@router.post("/nominations/employees/{nomination_id}/register", response=NominationDetailOut)
def nomination_register(request, nomination_id: int):
    """HR records the employee's registration at the on-site session: the two training
    enrolments, as when the employee registers online."""
    actor = actor_of(request)
    nomination = _nomination(actor, nomination_id, services.CHANGE_NOMINATION)
    services.nomination_register(actor=actor, nomination=nomination, channel=Channel.ONSITE)
    return _nomination(actor, nomination_id)


@router.post("/nominations/employees/{nomination_id}/receipts", response={201: FeeReceiptOut})
def receipt_record(request, nomination_id: int, payload: FeeReceiptIn):
    """A receipt for the employee's fee from the payer the record names (WH20-FEE-1); the
    receipts never exceed the fee."""
    actor = actor_of(request)
    nomination = _nomination(actor, nomination_id, services.ADD_RECEIPT)
    return Status(
        201, services.receipt_record(actor=actor, nomination=nomination, **payload.dict())
    )


@router.post(
    "/nominations/employees/{nomination_id}/exam-registration", response=NominationDetailOut
)
def exam_registration_record(request, nomination_id: int, payload: ExamRegistrationIn):
    """The day the employee registered for the exam (decides the deduction, WH20-LVE-1)."""
    actor = actor_of(request)
    nomination = _nomination(actor, nomination_id, services.CHANGE_NOMINATION)
    services.exam_registration_record(actor=actor, nomination=nomination, on=payload.on)
    return _nomination(actor, nomination_id)


@router.post("/nominations/employees/{nomination_id}/leave", response=NominationDetailOut)
def nomination_leave(request, nomination_id: int, payload: LeaveIn):
    """The employee leaves during training (WH20-LVE-1): withdrawn from both classes, and the
    deduction recorded (what the enterprise advanced, less the exam fees before the exam
    registration)."""
    actor = actor_of(request)
    nomination = _nomination(actor, nomination_id, services.CHANGE_NOMINATION)
    services.nomination_leave(
        actor=actor, nomination=nomination, left_on=payload.left_on, reason=payload.reason
    )
    return _nomination(actor, nomination_id)


@router.get("/nominations/totals", response=TotalsOut)
def totals(request):
    """The programme's totals in the caller's scope: applications, scheduled, employees put
    forward and by state."""
    actor = permitted_actor(request, VIEW_NOMINATION)
    return selectors.totals(actor=actor)
