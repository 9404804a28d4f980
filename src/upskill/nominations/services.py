"""Writes of the Wuhan enrolment path (WH20 三, 附件1, 附件3). Every function takes the acting user
first, checks the permission and the actor's organisation, runs in a transaction and leaves its
trace in the audit trail.

- the association keeps its members (:func:`membership_add`, :func:`membership_end`), opens a
  call (:func:`call_create`), makes training batches with an institution and its platform
  (:func:`batch_create`, WH20-PLT-1) and schedules the applications in the order they were
  registered (:func:`application_schedule`, WH20-ENR-1);
- a member enterprise's HR files the application of 附件1 (:func:`application_submit`, up to
  and including the call's deadline), puts employees forward from its labour contracts or a
  list (:func:`nomination_put_forward`, :func:`nominations_import`; WH20-ENR-2, WH20-OBJ-1),
  registers them on site, or the employee registers online (:func:`nomination_register`: both
  make the same two training enrolments), records the receipts (:func:`receipt_record`,
  WH20-FEE-1), the agreements (:func:`agreements_confirm`, :func:`agreements_upload`) and a
  leaving with its deduction (:func:`nomination_leave`, WH20-LVE-1);
- the institution states how a batch's subsidy is used (:func:`subsidy_use_record`,
  WH20-USE-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.catalog.models import Occupation, OnlinePlatform
from upskill.core.actor import acting_as, user_of
from upskill.core.imports import Column, read_rows, run_import
from upskill.core.scoping import SYSTEM, Actor, get_visible_or_404, person_of, require_perm
from upskill.enterprise.models import EmploymentContract
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.policy import eligibility
from upskill.policy_admin.selectors import parameters_in_effect
from upskill.registry.identity import IdentityError, parse_resident_id
from upskill.registry.lookup import id_number_hash
from upskill.registry.rosters import check_phone
from upskill.training.models import EnrolmentStatus, TrainingClass
from upskill.training.services import enrolment_withdraw
from upskill.training.services.rosters import RosterChecker, roster_apply

from . import selectors
from .models import (
    GENERAL_OCCUPATIONS,
    Application,
    ApplicationStatus,
    Batch,
    Call,
    Channel,
    Confirmation,
    FeeReceipt,
    Membership,
    MonthsSource,
    Nomination,
    NominationStatus,
    Payer,
    SubsidyUse,
    UseCategory,
)

ADD_MEMBERSHIP = "nominations.add_membership"
ADD_CALL = "nominations.add_call"
ADD_BATCH = "nominations.add_batch"
ADD_APPLICATION = "nominations.add_application"
SCHEDULE_APPLICATION = "nominations.change_application"
ADD_NOMINATION = "nominations.add_nomination"
CHANGE_NOMINATION = "nominations.change_nomination"
ADD_RECEIPT = "nominations.add_feereceipt"
ADD_SUBSIDY_USE = "nominations.add_subsidyuse"
# The programme of the classes a batch fills (WH20: online skill-level training).
PROGRAM = "online_skill_level"


def _organisation(actor: Actor, kind: str) -> Organisation:
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.kind != kind:
        raise PermissionDenied(kind)
    return organisation


# -- the association: members, calls, batches, scheduling ---------------------------------------


@transaction.atomic
def membership_add(
    *, actor: Actor, enterprise: Organisation, joined_on: date, number: str = ""
) -> Membership:
    """The association records a member enterprise; the enterprise becomes a member of it (what
    the scoping layer reads)."""
    require_perm(actor, ADD_MEMBERSHIP)
    association = _organisation(actor, OrganisationKind.ASSOCIATION)
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"enterprise": _("Only an enterprise is a member.")})
    membership, _created = Membership.objects.update_or_create(
        association=association,
        enterprise=enterprise,
        defaults={"joined_on": joined_on, "number": number.strip(), "ended_on": None},
    )
    enterprise.associations.add(association)
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership, ended_on: date) -> Membership:
    """The enterprise leaves the association: its later applications are refused."""
    membership = get_visible_or_404(
        Membership.objects.select_for_update(of=("self",)),
        actor,
        perm=ADD_MEMBERSHIP,
        pk=membership.pk,
    )
    if membership.association_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(ADD_MEMBERSHIP)
    if ended_on < membership.joined_on:
        raise ValidationError({"ended_on": _("A membership ends after it began.")})
    membership.ended_on = ended_on
    membership.save()
    membership.enterprise.associations.remove(membership.association)
    return membership


@transaction.atomic
def call_create(
    *,
    actor: Actor,
    title: str,
    year: int,
    deadline: date,
    advanced_exam_fee: Decimal,
    document: str = "",
    general_occupations: list[str] | None = None,
) -> Call:
    """The association opens a call (WH20 三(一)): applications until ``deadline`` inclusive
    (WH20-ENR-1), the general occupations offered (WH20-ENR-2; by default 安全评价师 and
    劳动关系协调员) and the advanced-level exam fee included in the fee (WH20-FEE-1)."""
    require_perm(actor, ADD_CALL)
    association = _organisation(actor, OrganisationKind.ASSOCIATION)
    names = [name.strip() for name in (general_occupations or GENERAL_OCCUPATIONS) if name.strip()]
    if not names:
        raise ValidationError({"general_occupations": _("Name at least one general occupation.")})
    if advanced_exam_fee < 0:
        raise ValidationError({"advanced_exam_fee": _("The fee cannot be negative.")})
    return Call.objects.create(
        association=association,
        title=title.strip(),
        year=year,
        deadline=deadline,
        document=document.strip(),
        general_occupations=names,
        advanced_exam_fee=advanced_exam_fee,
        created_by=user_of(actor),
    )


@transaction.atomic
def batch_create(
    *,
    actor: Actor,
    call: Call,
    name: str,
    institution: Organisation,
    platform: OnlinePlatform,
    start_date: date,
    end_date: date,
) -> Batch:
    """A training batch of the call, run by an institution on its online platform, which must
    hold all three permits on the first day (WH20-PLT-1)."""
    call = get_visible_or_404(Call, actor, perm=ADD_BATCH, pk=call.pk)
    if call.association_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(ADD_BATCH)
    if institution.kind != OrganisationKind.INSTITUTION:
        raise ValidationError({"institution": _("A batch is run by a training institution.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if missing := platform.missing_permits(start_date):
        raise ValidationError({"platform": missing})
    return Batch.objects.create(
        call=call,
        name=name.strip(),
        institution=institution,
        platform=platform,
        start_date=start_date,
        end_date=end_date,
        created_by=user_of(actor),
    )


@transaction.atomic
def application_schedule(*, actor: Actor, application: Application, batch: Batch) -> Application:
    """The association schedules an application into a batch of its call, in the order the
    applications were registered (WH20-ENR-1): an earlier one still waiting goes first."""
    application = get_visible_or_404(
        Application.objects.select_for_update(of=("self",)),
        actor,
        perm=SCHEDULE_APPLICATION,
        pk=application.pk,
    )
    if application.call.association_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(SCHEDULE_APPLICATION)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is not waiting to be scheduled."))
    if batch.call_id != application.call_id:
        raise ValidationError({"batch": _("The batch belongs to another call.")})
    earlier = (
        Application.objects.filter(
            call=application.call,
            status=ApplicationStatus.SUBMITTED,
            sequence__lt=application.sequence,
        )
        .select_related("enterprise")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _(
                "WH20-ENR-1: applications are scheduled in the order they were registered; "
                "%(name)s (no. %(n)d) is waiting first."
            )
            % {"name": earlier.enterprise.name, "n": earlier.sequence}
        )
    application.batch = batch
    application.status = ApplicationStatus.SCHEDULED
    application.scheduled_at = timezone.now()
    application.save()
    return application


def _phone(value: str) -> str:
    try:
        phone = check_phone(value)
    except ValueError as exc:
        raise ValidationError({"hr_lead_phone": str(exc)}) from None
    if not phone:
        raise ValidationError({"hr_lead_phone": _("Give the HR lead's phone.")})
    return phone


# -- the enterprise: the application of 附件1 -------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    call: Call,
    industry: str,
    hr_lead: str,
    hr_lead_phone: str,
    occupations_wanted: str,
    eligible_employees: int,
    dispatched_included: int = 0,
    note: str = "",
    received_on: date | None = None,
) -> Application:
    """A member enterprise's HR files the application of 附件1 (WH20-ENR-1). It is received up to
    and including the call's deadline; it takes the next place in the order of registration.
    ``received_on`` is the day the form was received: today, unless a form received earlier
    is recorded with its date (the pages always use today)."""
    require_perm(actor, ADD_APPLICATION)
    enterprise = _organisation(actor, OrganisationKind.ENTERPRISE)
    call = get_visible_or_404(Call.objects.select_for_update(of=("self",)), actor, pk=call.pk)
    received_on = received_on or timezone.localdate()
    if not enterprise.associations.filter(pk=call.association_id).exists():
        raise ValidationError(
            _("WH20-ENR-1: %(name)s is not a member of %(association)s.")
            % {"name": enterprise.name, "association": call.association.name}
        )
    if received_on > call.deadline:
        raise ValidationError(
            _(
                "WH20-ENR-1: applications to this call were received until %(deadline)s "
                "inclusive; this one is dated %(on)s."
            )
            % {"deadline": call.deadline.isoformat(), "on": received_on.isoformat()}
        )
    if Application.objects.filter(call=call, enterprise=enterprise).exists():
        raise ValidationError(_("Your enterprise has already applied to this call."))
    if dispatched_included > eligible_employees:
        raise ValidationError(
            {"dispatched_included": _("Dispatched workers are counted among the employees.")}
        )
    last = Application.objects.filter(call=call).aggregate(last=Max("sequence"))["last"] or 0
    return Application.objects.create(
        call=call,
        enterprise=enterprise,
        sequence=last + 1,
        received_on=received_on,
        industry=industry.strip(),
        hr_lead=hr_lead.strip(),
        hr_lead_phone=_phone(hr_lead_phone),
        occupations_wanted=occupations_wanted.strip(),
        eligible_employees=eligible_employees,
        dispatched_included=dispatched_included,
        note=note.strip(),
        created_by=user_of(actor),
    )


# -- the enterprise: employees put forward (WH20-ENR-2, WH20-OBJ-1) ----------------------------


@dataclass(frozen=True)
class Months:
    """The cumulative unemployment-insurance months of an employee (all employers, dispatched
    work included: WH20-OBJ-1), where they come from and the date they were counted on."""

    months: int
    source: str
    as_of: date


def _scheduled(actor: Actor, application: Application) -> Application:
    application = get_visible_or_404(Application, actor, perm=ADD_NOMINATION, pk=application.pk)
    if application.enterprise_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(ADD_NOMINATION)
    if application.status != ApplicationStatus.SCHEDULED or application.batch is None:
        raise ValidationError(
            _("Employees are put forward once the association has scheduled the application.")
        )
    return application


def _occupations(
    application: Application, general: Occupation, specialised: Occupation
) -> dict[str, TrainingClass]:
    """WH20-ENR-2: one general occupation of the call's list plus one specialised occupation,
    each taught in an online skill-level class of the batch's institution (so only at the
    levels the catalogue has). The two classes, by role."""
    call = application.call
    errors: dict[str, str] = {}
    if general.name not in call.general_occupations:
        errors["general_occupation"] = _(
            "WH20-ENR-2: the general occupation is one of %(names)s."
        ) % {"names": "、".join(call.general_occupations)}
    if specialised.name in call.general_occupations:
        errors["specialised_occupation"] = _(
            "WH20-ENR-2: the specialised occupation is not one of the general occupations."
        )
    classes: dict[str, TrainingClass] = {}
    for key, occupation in (
        ("general_occupation", general),
        ("specialised_occupation", specialised),
    ):
        if key in errors:
            continue
        found = selectors.batch_class_for(application.batch, occupation)
        if found is None:
            errors[key] = _(
                "The batch's institution has no online skill-level class of %(occupation)s "
                "enrolling in the batch's dates."
            ) % {"occupation": str(occupation)}
        else:
            classes[key] = found
    if errors:
        raise ValidationError(errors)
    return classes


def _check_months(application: Application, months: Months, on_class: TrainingClass) -> None:
    """WH20-OBJ-1, with the months, their source and date in the refusal."""
    facts = eligibility.Facts(
        program=PROGRAM,
        region=on_class.county_code,
        start=on_class.start_date,
        end=on_class.end_date,
        insured_months=months.months,
    )
    verdict = eligibility.check(facts, parameters_in_effect())
    refusal = next((r for r in verdict.refusals if r.rule == "WH20-OBJ-1"), None)
    if refusal is not None:
        raise ValidationError(
            {
                "insured_months": _(
                    "WH20-OBJ-1: %(months)d months of unemployment insurance (%(source)s, as of "
                    "%(as_of)s); the training needs at least %(min)s, all employers counted."
                )
                % {
                    "months": months.months,
                    "source": months.source,
                    "as_of": months.as_of.isoformat(),
                    "min": refusal.figures.get("min", "—"),
                }
            }
        )


def _contract(actor: Actor, application: Application, contract: EmploymentContract):
    contract = get_visible_or_404(EmploymentContract, actor, pk=contract.pk)
    if contract.enterprise_id != application.enterprise_id:
        raise ValidationError({"contract": _("This is another enterprise's labour contract.")})
    if contract.ended is not None and contract.ended < application.batch.start_date:
        raise ValidationError({"contract": _("This employee left before the batch starts.")})
    return contract


def _put_forward(
    actor: Actor,
    application: Application,
    contract: EmploymentContract,
    general: Occupation,
    specialised: Occupation,
    payer: str,
    months: Months,
    source: str,
) -> Nomination:
    if payer not in Payer.values:
        raise ValidationError({"payer": _("Choose who pays the fee.")})
    classes = _occupations(application, general, specialised)
    _check_months(application, months, classes["general_occupation"])
    if Nomination.objects.filter(application=application, person=contract.person_id).exists():
        raise ValidationError({"contract": _("This employee has already been put forward.")})
    return Nomination.objects.create(
        application=application,
        person_id=contract.person_id,
        contract=contract,
        general_occupation=general,
        specialised_occupation=specialised,
        insured_months=months.months,
        months_source=source,
        months_as_of=months.as_of,
        payer=payer,
        created_by=user_of(actor),
    )


@transaction.atomic
def nomination_put_forward(
    *,
    actor: Actor,
    application: Application,
    contract: EmploymentContract,
    general_occupation: Occupation,
    specialised_occupation: Occupation,
    payer: str = Payer.ENTERPRISE,
) -> Nomination:
    """HR puts an employee forward from the enterprise's labour contracts (WH20-ENR-2): one
    general and one specialised occupation; the unemployment-insurance months are the labour
    contract list's, as of the date recorded there, and fewer than the minimum are refused
    (WH20-OBJ-1)."""
    application = _scheduled(actor, application)
    contract = _contract(actor, application, contract)
    months = Months(
        contract.unemployment_insured_months,
        str(MonthsSource.CONTRACT.label),
        contract.insured_as_of,
    )
    return _put_forward(
        actor,
        application,
        contract,
        general_occupation,
        specialised_occupation,
        payer,
        months,
        MonthsSource.CONTRACT,
    )


def _running_contract(application: Application, id_number: str, name: str):
    """The enterprise's running labour contract of the employee with this ID number and name
    (how the enterprise's list and a partner system name an employee)."""
    try:
        digest = id_number_hash(parse_resident_id(id_number).number)
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    contract = (
        EmploymentContract.objects.filter(
            enterprise=application.enterprise, ended__isnull=True, person__id_number_hash=digest
        )
        .select_related("person")
        .first()
    )
    if contract is None or contract.person.name != "".join(name.split()):
        raise ValidationError(
            {
                "id_number": _(
                    "No running labour contract of your enterprise has this ID number and name."
                )
            }
        )
    return contract


@transaction.atomic
def nomination_put_forward_named(
    *,
    actor: Actor,
    application: Application,
    id_number: str,
    name: str,
    general_occupation: str,
    general_level: int | str,
    specialised_occupation: str,
    specialised_level: int | str,
    payer: str = Payer.ENTERPRISE,
) -> Nomination:
    """HR puts an employee forward by ID number and name and the occupations by name and level,
    as a row of the enterprise's list names them (the partner API's way): the employee's running
    labour contract, then :func:`nomination_put_forward` (WH20-ENR-2, WH20-OBJ-1)."""
    application = _scheduled(actor, application)
    contract = _running_contract(application, id_number, name)
    general = _occupation_named(
        application, general_occupation, general_level, "general_occupation"
    )
    specialised = _occupation_named(
        application, specialised_occupation, specialised_level, "specialised_occupation"
    )
    return nomination_put_forward(
        actor=actor,
        application=application,
        contract=contract,
        general_occupation=general,
        specialised_occupation=specialised,
        payer=payer,
    )


NOMINATION_COLUMNS = [
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码", "ID number")),
    Column("name", ("姓名", "name")),
    Column("general", ("通用工种", "general occupation")),
    Column("general_level", ("通用工种等级", "general level")),
    Column("specialised", ("专用工种", "specialised occupation")),
    Column("specialised_level", ("专用工种等级", "specialised level")),
    Column("insured_months", ("失业保险累计月数", "unemployment insurance months")),
    Column("as_of", ("截至日期", "as of")),
    Column("payer", ("缴费方", "payer"), required=False),
]
_PAYER_WORDS = {"企业": Payer.ENTERPRISE, "职工": Payer.EMPLOYEE, "个人": Payer.EMPLOYEE}


def _occupation_named(application: Application, name: str, level: str, key: str) -> Occupation:
    try:
        level_number = int(
            str(level).strip().rstrip("级").translate(str.maketrans("三四五二一", "34521"))
        )
    except ValueError:
        raise ValidationError({key: _("The level is a number from 1 to 5.")}) from None
    found = selectors.batch_occupation(application.batch, name.strip(), level_number)
    if found is None:
        raise ValidationError(
            {
                key: _("%(name)s at level %(level)d is not taught in this batch.")
                % {"name": name, "level": level_number}
            }
        )
    return found


@transaction.atomic
def nominations_import(*, actor: Actor, application: Application, upload) -> list[Nomination]:
    """The enterprise's list of employees put forward (ID number, name, the two occupations and
    levels, the unemployment-insurance months and the date they were counted), all or nothing
    (core/imports.py): every row is one of the enterprise's labour contracts, checked as one
    put forward by hand, the months recorded as the list's (WH20-OBJ-1)."""
    application = _scheduled(actor, application)
    rows = read_rows(upload, NOMINATION_COLUMNS)
    contracts = {
        c.person.id_number_hash: c
        for c in EmploymentContract.objects.filter(enterprise=application.enterprise)
        .filter(ended__isnull=True)
        .select_related("person")
    }
    seen: set[str] = set()

    def validate(number: int, values: dict[str, str]):
        try:
            digest = id_number_hash(parse_resident_id(values["id_number"]).number)
        except IdentityError as exc:
            raise ValidationError({"id_number": str(exc)}) from None
        contract = contracts.get(digest)
        if contract is None or contract.person.name != "".join(values["name"].split()):
            raise ValidationError(
                {
                    "id_number": _(
                        "No running labour contract of your enterprise has this ID number and name."
                    )
                }
            )
        if digest in seen:
            raise ValidationError({"id_number": _("This employee is listed twice.")})
        seen.add(digest)
        try:
            months = int(values["insured_months"])
        except ValueError:
            raise ValidationError({"insured_months": _("The months are a whole number.")}) from None
        from upskill.core.imports import parse_day

        as_of = parse_day(values["as_of"])
        if as_of is None:
            raise ValidationError({"as_of": _("Give the date the months were counted on.")})
        payer = _PAYER_WORDS.get((values.get("payer") or "企业").strip(), "")
        general = _occupation_named(
            application, values["general"], values["general_level"], "general"
        )
        specialised = _occupation_named(
            application, values["specialised"], values["specialised_level"], "specialised"
        )
        months_of = Months(months, str(MonthsSource.LIST.label), as_of)
        classes = _occupations(application, general, specialised)
        _check_months(application, months_of, classes["general_occupation"])
        return contract, general, specialised, payer, months_of

    def apply(checked):
        return [
            _put_forward(
                actor, application, contract, general, specialised, payer, months, MonthsSource.LIST
            )
            for _number, (contract, general, specialised, payer, months) in checked
        ]

    return run_import(rows=rows, validate=validate, apply=apply)


# -- registration: on site or online, the same enrolment ----------------------------------------


def _nomination(actor: Actor, nomination: Nomination, perm: str | None) -> Nomination:
    """The nomination for the enterprise's HR (with ``perm``) or for the employee themselves."""
    person = person_of(actor)
    if person is not None:
        nomination = get_visible_or_404(
            Nomination.objects.select_for_update(of=("self",)), actor, pk=nomination.pk
        )
        return nomination
    nomination = get_visible_or_404(
        Nomination.objects.select_for_update(of=("self",)), actor, perm=perm, pk=nomination.pk
    )
    if nomination.application.enterprise_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(perm)
    return nomination


@transaction.atomic
def nomination_register(*, actor: Actor, nomination: Nomination, channel: str) -> Nomination:
    """The employee's registration (WH20 三(二)): at the enterprise's on-site session (its HR
    records it) or online by the employee. Both make the same enrolment: the two training
    enrolments, in the batch's classes of the two occupations, checked as every roster row is
    (HB45-CAP-1, WH20-OBJ-1)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the employee registered.")})
    if channel == Channel.ONLINE and person_of(actor) is None:
        raise PermissionDenied(CHANGE_NOMINATION)
    if channel == Channel.ONSITE and person_of(actor) is not None:
        raise PermissionDenied(CHANGE_NOMINATION)
    nomination = _nomination(actor, nomination, CHANGE_NOMINATION)
    if nomination.status != NominationStatus.PUT_FORWARD:
        raise ValidationError(_("This employee's registration is already recorded."))
    application = nomination.application
    classes = _occupations(
        application, nomination.general_occupation, nomination.specialised_occupation
    )
    person = nomination.person
    # the employee registering online holds no registry permission: the enrolment is the
    # product's, recorded in the audit trail as the employee's
    enrolling = SYSTEM if channel == Channel.ONLINE else actor
    enrolments = {}
    for key, training_class in classes.items():
        checker = RosterChecker(training_class, [person.id_number])
        row = checker.check(
            {
                "id_number": person.id_number,
                "name": person.name,
                "insured_months": str(nomination.insured_months),
            }
        )
        with acting_as(actor):
            (enrolments[key],) = roster_apply(
                actor=enrolling, training_class=training_class, rows=[row]
            )
    nomination.general_enrolment = enrolments["general_occupation"]
    nomination.specialised_enrolment = enrolments["specialised_occupation"]
    nomination.status = NominationStatus.ENROLLED
    nomination.channel = channel
    nomination.registered_at = timezone.now()
    nomination.save()
    return nomination


# -- fees (WH20-FEE-1) ------------------------------------------------------------------------


@transaction.atomic
def receipt_record(
    *, actor: Actor, nomination: Nomination, amount: Decimal, paid_on: date, number: str
) -> FeeReceipt:
    """A receipt for the employee's fee, from the payer the nomination names (WH20-FEE-1),
    recorded by the enterprise's HR or the batch's institution; the receipts never exceed the
    fee (the catalogue price of the two certificates)."""
    nomination = get_visible_or_404(
        Nomination.objects.select_for_update(of=("self",)),
        actor,
        perm=ADD_RECEIPT,
        pk=nomination.pk,
    )
    organisation_id = getattr(actor, "organisation_id", None)
    application = nomination.application
    if organisation_id not in (application.enterprise_id, application.batch.institution_id):
        raise PermissionDenied(ADD_RECEIPT)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount is positive.")})
    paid = nomination.receipts.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    fee = selectors.fee_of(nomination).total
    if paid + amount > fee:
        raise ValidationError(
            {
                "amount": _("WH20-FEE-1: the fee is %(fee)s; %(paid)s is already received.")
                % {"fee": fee, "paid": paid}
            }
        )
    if not number.strip():
        raise ValidationError({"number": _("Give the receipt number.")})
    return FeeReceipt.objects.create(
        nomination=nomination,
        payer=nomination.payer,
        amount=amount,
        paid_on=paid_on,
        number=number.strip(),
        recorded_by=user_of(actor),
    )


# -- the agreements and leaving (WH20-LVE-1) ------------------------------------------------------


@transaction.atomic
def agreements_confirm(*, actor: Actor, nomination: Nomination) -> Nomination:
    """The employee confirms the 告知事项 and the 个人需求式培训补贴代扣协议书 in the learner portal
    (WH20-LVE-1), before training."""
    if person_of(actor) is None:
        raise PermissionDenied(CHANGE_NOMINATION)
    nomination = _nomination(actor, nomination, None)
    return _confirmed(nomination, Confirmation.PORTAL)


def _confirmed(nomination: Nomination, how: str) -> Nomination:
    if nomination.agreements_confirmed_at is not None:
        raise ValidationError(_("The agreements are already confirmed."))
    if nomination.status == NominationStatus.WITHDRAWN:
        raise ValidationError(_("This employee has left."))
    nomination.agreements_confirmed_at = timezone.now()
    nomination.agreements_confirmed_how = how
    nomination.save()
    return nomination


_SIGNED_COPY_KINDS = ((b"%PDF", ".pdf"), (b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"))


@transaction.atomic
def agreements_upload(*, actor: Actor, nomination: Nomination, upload) -> Nomination:
    """HR uploads the copy the employee signed (WH20-LVE-1)."""
    nomination = _nomination(actor, nomination, CHANGE_NOMINATION)
    if person_of(actor) is not None:
        raise PermissionDenied(CHANGE_NOMINATION)
    head = upload.read(8)
    upload.seek(0)
    suffix = next((ext for magic, ext in _SIGNED_COPY_KINDS if head.startswith(magic)), None)
    if suffix is None:
        raise ValidationError({"file": _("The signed copy is a PDF, PNG or JPEG file.")})
    nomination.signed_copy.save(f"agreements-{nomination.pk}{suffix}", upload, save=False)
    return _confirmed(nomination, Confirmation.UPLOAD)


@transaction.atomic
def exam_registration_record(*, actor: Actor, nomination: Nomination, on: date) -> Nomination:
    """The day the employee registered for the exam on the platform (附件3 三), which decides
    whether a leaving keeps the exam fee out of the deduction (WH20-LVE-1)."""
    nomination = _nomination(actor, nomination, CHANGE_NOMINATION)
    if nomination.status != NominationStatus.ENROLLED:
        raise ValidationError(_("Only an enrolled employee registers for the exam."))
    nomination.exam_registered_on = on
    nomination.save()
    return nomination


@transaction.atomic
def nomination_leave(
    *, actor: Actor, nomination: Nomination, left_on: date, reason: str
) -> Nomination:
    """An employee leaves during training (WH20-LVE-1, 附件3 五): withdrawn from both classes,
    and the deduction the enterprise may make under the signed agreement recorded with the
    date: what the enterprise advanced for the employee, less the exam fees when the employee
    leaves before registering for the exam."""
    nomination = _nomination(actor, nomination, CHANGE_NOMINATION)
    if person_of(actor) is not None:
        raise PermissionDenied(CHANGE_NOMINATION)
    if nomination.status != NominationStatus.ENROLLED:
        raise ValidationError(_("Only an enrolled employee leaves during training."))
    if nomination.agreements_confirmed_at is None:
        raise ValidationError(
            _("WH20-LVE-1: no deduction without the signed agreements; record them first.")
        )
    batch = nomination.application.batch
    if not (batch.start_date <= left_on <= batch.end_date):
        raise ValidationError(
            {
                "left_on": _("Leaving during training: between %(start)s and %(end)s.")
                % {"start": batch.start_date.isoformat(), "end": batch.end_date.isoformat()}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    deduction = selectors.deduction_of(nomination, left_on)
    with acting_as(actor):
        for enrolment in nomination.enrolments:
            if enrolment.status == EnrolmentStatus.ENROLLED:
                enrolment_withdraw(actor=SYSTEM, enrolment=enrolment, reason=reason)
    nomination.status = NominationStatus.WITHDRAWN
    nomination.left_on = left_on
    nomination.leave_reason = reason.strip()
    nomination.advanced = deduction.advanced
    nomination.exam_fee_kept = deduction.exam_fee_kept
    nomination.deduction = deduction.amount
    nomination.save()
    return nomination


# -- the institution's statement of use (WH20-USE-1) ---------------------------------------------


@transaction.atomic
def subsidy_use_record(
    *, actor: Actor, batch: Batch, category: str, amount: Decimal, note: str = ""
) -> SubsidyUse:
    """A line of the institution's statement of how the batch's subsidy is used (WH20-USE-1):
    teaching, courses, materials or assessment; food, lodging, transport and communication are
    not categories and are refused."""
    batch = get_visible_or_404(Batch, actor, perm=ADD_SUBSIDY_USE, pk=batch.pk)
    if batch.institution_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(ADD_SUBSIDY_USE)
    if category not in UseCategory.values:
        raise ValidationError(
            {
                "category": _(
                    "WH20-USE-1: the subsidy pays teaching, courses, materials and assessment, "
                    "never food, lodging, transport or communication."
                )
            }
        )
    if amount <= 0:
        raise ValidationError({"amount": _("The amount is positive.")})
    return SubsidyUse.objects.create(
        batch=batch, category=category, amount=amount, note=note.strip(), recorded_by=user_of(actor)
    )
