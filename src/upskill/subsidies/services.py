"""Writes of the subsidies app: funds, the calendar, claims assembled from the system's records,
review and public notice, payment batches, bank files and results, recovery.

Amounts come only from the policy engine (``upskill.policy.run``): a claim line is a calculator
record built from the class, the enrolment, the attendance and the assessment, priced with the
parameters in force and the person's earlier subsidised trainings (HB45-CAP-1).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill import policy
from upskill.core.actor import user_of
from upskill.core.exports import csv_bytes, xlsx_bytes
from upskill.core.imports import Column, RowProblem, read_rows, run_import
from upskill.core.masking import mask_account
from upskill.core.scoping import SYSTEM, get_visible_or_404, require_perm
from upskill.core.services import AccessAction, access_log_record
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.policy.contract import result_dict
from upskill.policy_admin.services import parameters_in_effect

from . import calendar, ledger
from .models import (
    ZERO,
    Account,
    BatchStatus,
    CalendarDay,
    CheckpointReason,
    Claim,
    ClaimDocument,
    ClaimItem,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    DayKind,
    Decision,
    EntryKind,
    Fund,
    LedgerEntry,
    Objection,
    ObjectionStatus,
    Payee,
    PayeeAccount,
    PaymentBatch,
    PaymentItem,
    PaymentStatus,
)

SUBMIT = "subsidies.submit_claim"
REVIEW = "subsidies.review_claim"
ADD_BATCH = "subsidies.add_paymentbatch"
EXPORT = "subsidies.export_paymentbatch"
CHANGE_FUND = "subsidies.change_fund"
CHANGE_CALENDAR = "subsidies.change_calendarday"
CHANGE_PAYEE = "subsidies.change_payeeaccount"
RECOVER = "subsidies.add_ledgerentry"

FEE_RULE = "GA23-FEE-1"
# GA23-FEE-1: the engine prices a township's management fee on the organiser's line, but the
# township claims it with a claim of its own once the training subsidy is approved; only there is
# it charged to a fund and paid. Every other item is charged and paid through its own claim.
PAID_THROUGH_OWN_CLAIM = ~Q(payee=Payee.TOWNSHIP) | Q(line__claim__kind=ClaimKind.TOWNSHIP)


def _lang() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


def _bureau(actor) -> None:
    """Bureau work (review, payment) is done by a bureau with jurisdiction (docs/roles.md)."""
    if actor is SYSTEM or getattr(actor, "is_superuser", False):
        return
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not organisation.jurisdiction_prefix:
        raise PermissionDenied


# -- funds and the calendar -------------------------------------------------------------------


@transaction.atomic
def fund_set(*, actor, source: str, region: Region, year: int, budget: Decimal) -> Fund:
    """A fund source's budget for a year and a county (HB45-PUB-1)."""
    require_perm(actor, CHANGE_FUND)
    _bureau(actor)
    prefix = getattr(getattr(actor, "organisation", None), "jurisdiction_prefix", None)
    if prefix and not region.code.startswith(prefix):
        raise PermissionDenied
    if not isinstance(budget, Decimal) or budget < 0:
        raise ValidationError({"budget": _("The budget is an amount of at least 0.")})
    fund, _created = Fund.objects.update_or_create(
        source=source, region=region, year=year, defaults={"budget": budget}
    )
    if fund.budget < ledger.committed(fund):
        raise ValidationError(
            {"budget": _("The budget cannot be lower than what is already charged to it.")}
        )
    return fund


def calendar_seed(*, years: Iterable[int]) -> int:
    """Load the official holidays and make-up working days from the ``chinese-calendar``
    library; days the bureau has edited are kept."""
    made = 0
    for year in years:
        for day, kind, name in calendar.library_days(year):
            _obj, created = CalendarDay.objects.get_or_create(
                date=day, defaults={"kind": kind, "name": name, "from_library": True}
            )
            made += created
    return made


def calendar_day_set(*, actor, day: date, kind: str, name: str = "") -> CalendarDay:
    """The bureau adds a holiday or a make-up working day (or changes one)."""
    require_perm(actor, CHANGE_CALENDAR)
    if kind not in DayKind.values:
        raise ValidationError({"kind": _("Choose holiday or make-up working day.")})
    obj, _created = CalendarDay.objects.update_or_create(
        date=day,
        defaults={
            "kind": kind,
            "name": name.strip(),
            "from_library": False,
            "changed_by": user_of(actor),
        },
    )
    return obj


def calendar_day_remove(*, actor, day: CalendarDay) -> None:
    require_perm(actor, CHANGE_CALENDAR)
    day = get_visible_or_404(CalendarDay, actor, pk=day.pk)
    day.delete()


# -- claims: assembled from the records ------------------------------------------------------


def _certificate(enrolment):
    from upskill.assessment.models import Certificate

    return (
        Certificate.objects.filter(person=enrolment.person)
        .filter(Q(training_class=enrolment.training_class) | Q(attempt__enrolment=enrolment))
        .first()
    )


@dataclass(frozen=True)
class ClassFacts:
    """What every trainee's record of a class draws on, read once per class: the curriculum's
    hours, who passed, each trainee's categories on the end date and attended hours."""

    hours: tuple[Decimal, Decimal]  # total, practical
    passed: set[int]  # enrolment ids
    categories: dict[int, list[str]]  # person id → codes
    attended: dict[int, Decimal]  # enrolment id → hours present


def class_facts(training_class, enrolments: list) -> ClassFacts:
    from upskill.assessment.services import passed_enrolment_ids
    from upskill.registry.selectors import persons_categories_on
    from upskill.training.selectors import attended_hours_by_enrolment

    return ClassFacts(
        hours=_class_hours(training_class),
        passed=passed_enrolment_ids(training_class),
        categories=persons_categories_on([e.person for e in enrolments], training_class.end_date),
        attended=attended_hours_by_enrolment(training_class),
    )


def class_record(enrolment, *, facts: ClassFacts) -> dict:
    """The calculator record of one trainee of a class, in the contract's field names, from
    what the system holds (nobody types an amount)."""
    training_class = enrolment.training_class
    person = enrolment.person
    occupation = training_class.occupation
    categories = set(facts.categories.get(person.pk, ()))
    categories |= {c for c in enrolment.categories if c in policy.CATEGORIES}
    total, practical = facts.hours
    record = {
        "id": f"{training_class.pk}-{enrolment.pk}",
        "person_id": person.id_number,
        "region": training_class.county_code,
        "date": training_class.end_date.isoformat(),
        "program": training_class.program,
        "categories": sorted(categories),
        "passed": enrolment.pk in facts.passed,
        "occupation": occupation.name,
        "level": occupation.level,
        "total_hours": total,
        "practical_hours": practical,
        "attended_hours": facts.attended.get(enrolment.pk, Decimal(0)),
    }
    insured = enrolment.insured_months
    if training_class.organisation.kind == OrganisationKind.ENTERPRISE:
        record.update(_employment_fields(training_class, person, insured_known=insured is not None))
        insured = record.pop("insured_months", insured)
    if insured is None:
        insured = person.insured_months
    record["insured_months"] = insured
    return record


def _employment_fields(training_class, person, *, insured_known: bool) -> dict:
    """An enterprise's class: what its labour contract with the trainee says (HB61-PJ-1 —
    signed, years, consecutive insured months, still employed; WH20-OBJ-1 — unemployment-
    insurance months), the training's start (HB61-PJ-1's window) and whether the program is
    online (WH20-SUB-3). A trainee without a contract gets none of these fields, so the engine
    refuses the line naming the missing one."""
    from upskill.enterprise.services import contract_on

    fields: dict = {
        "training_started": training_class.start_date.isoformat(),
        "online": training_class.program == "online_skill_level",
    }
    contract = contract_on(training_class.organisation, person, training_class.end_date)
    if contract is None:
        return fields
    fields.update(
        {
            "contract_signed": contract.signed.isoformat(),
            "contract_years": contract.years,
            "consecutive_insured_months": contract.consecutive_insured_months,
            "still_employed": contract.still_employed,
        }
    )
    if not insured_known:
        fields["insured_months"] = contract.unemployment_insured_months
    return fields


def _class_hours(training_class) -> tuple[Decimal, Decimal]:
    total = practical = Decimal(0)
    for lesson in training_class.lessons.all():
        total += lesson.hours
        if lesson.kind == "practice":
            practical += lesson.hours
    return total, practical


def persons_history(
    persons: Iterable, *, exclude_claim: Claim | None = None
) -> list[policy.PriorTraining]:
    """The persons' other subsidised trainings (claim lines accepted by the engine and not
    refused), for HB45-CAP-1 across the whole history; one query per 2,000 persons."""
    by_pk = {person.pk: person for person in persons}
    pks = list(by_pk)
    history = []
    for start in range(0, len(pks), 2000):
        lines = (
            ClaimLine.objects.filter(person_id__in=pks[start : start + 2000], status="accepted")
            .exclude(decision=Decision.REFUSED)
            .exclude(claim__status=ClaimStatus.REFUSED)
            .only("pk", "person_id", "date", "occupation", "level")
        )
        if exclude_claim is not None:
            lines = lines.exclude(claim=exclude_claim)
        history += [
            policy.PriorTraining(
                person_id=by_pk[line.person_id].id_number,
                date=line.date,
                occupation=line.occupation or None,
                level=line.level,
                id=f"L{line.pk}",
            )
            for line in lines
        ]
    return history


def _township_centre(person) -> Organisation | None:
    if person.township_id is None:
        return None
    return Organisation.objects.filter(
        kind=OrganisationKind.TOWNSHIP_CENTRE, region_id=person.township_id, is_active=True
    ).first()


def _price(claim: Claim, enrolments: list, params) -> None:
    """Build the records, run the engine once for the claim, store lines and items."""
    training_class = claim.training_class
    facts = class_facts(training_class, enrolments)
    rows = [
        (e.person, e, class_record(e, facts=facts), training_class.end_date) for e in enrolments
    ]
    _run_and_store(claim, rows, params)


def _run_and_store(claim: Claim, rows: list[tuple], params) -> None:
    """Rows of (person, enrolment or None, calculator record, date): one engine run for the
    claim, with the persons' other subsidised lines as history (HB45-CAP-1)."""
    records = [record for _person, _enrolment, record, _on in rows]
    persons = {person.pk: person for person, _enrolment, _record, _on in rows}
    history = persons_history(persons.values(), exclude_claim=claim)
    results = policy.run(records, params, history=history)
    lang = _lang()
    centres: dict[int | None, Organisation | None] = {}  # township id → its centre (GA23-FEE-1)

    def payee_organisation(payee: str, person) -> Organisation | None:
        if payee == Payee.TOWNSHIP:
            if person.township_id not in centres:
                centres[person.township_id] = _township_centre(person)
            return centres[person.township_id]
        if payee in (Payee.ORGANISER, Payee.ENTERPRISE):
            return claim.claimant
        return None

    for (person, enrolment, record, on), result in zip(rows, results, strict=True):
        explanation = result_dict(result, lang)
        stored = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in record.items()}
        stored["person_id"] = person.id_number_masked  # never the full number at rest
        # the line's amount is what this claim pays; a township's fee is its own claim's
        own_total = sum(
            (Decimal(item.amount) for item in result.items if item.payee != Payee.TOWNSHIP),
            ZERO,
        )
        if result.status != "accepted":
            decision, reason = Decision.REFUSED, _("Refused by the rules.")
        elif own_total == 0:
            decision, reason = Decision.APPROVED, _("Nothing is payable.")
        else:
            decision, reason = Decision.PENDING, ""
        line = ClaimLine.objects.create(
            claim=claim,
            person=person,
            enrolment=enrolment,
            record=stored,
            date=on,
            occupation=record.get("occupation") or "",
            level=record.get("level"),
            status=result.status,
            total=own_total if result.status == "accepted" else ZERO,
            explanation=_jsonable(explanation),
            decision=decision,
            decision_reason=reason,
        )
        for item in result.items:
            ClaimItem.objects.create(
                line=line,
                rule=item.rule,
                kind=item.kind,
                payee=item.payee,
                payee_organisation=payee_organisation(item.payee, person),
                amount=item.amount,
                message=next(
                    (i["message"] for i in explanation["items"] if i["rule"] == item.rule), ""
                ),
            )


def _jsonable(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@transaction.atomic
def claim_assemble(*, actor, training_class, params=None) -> Claim:
    """The organiser's claim for a finished class: one line per enrolled trainee, priced by the
    engine. An institution claims as ``institution``, an enterprise as ``enterprise``."""
    from upskill.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass

    require_perm(actor, SUBMIT)
    training_class = get_visible_or_404(
        TrainingClass.objects.select_for_update(), actor, pk=training_class.pk
    )
    organisation = getattr(actor, "organisation", None)
    if (
        actor is not SYSTEM
        and not actor.is_superuser
        and (organisation is None or organisation.pk != training_class.organisation_id)
    ):
        raise PermissionDenied
    if training_class.status != ClassStatus.FINISHED:
        raise ValidationError(_("Only a finished class can be claimed for."))
    if (
        Claim.objects.filter(training_class=training_class)
        .exclude(status=ClaimStatus.REFUSED)
        .exists()
    ):
        raise ValidationError(_("This class already has a claim."))
    kind = (
        ClaimKind.ENTERPRISE
        if training_class.organisation.kind == OrganisationKind.ENTERPRISE
        else ClaimKind.INSTITUTION
    )
    claim = Claim.objects.create(
        kind=kind,
        claimant=training_class.organisation,
        county=Region.objects.get(code=training_class.county_code),
        training_class=training_class,
        period_year=training_class.end_date.year,
        created_by=user_of(actor),
    )
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class, status=EnrolmentStatus.ENROLLED)
        .select_related("person", "training_class__catalog_entry__occupation")
        .order_by("pk")
    )
    _price(claim, enrolments, params or parameters_in_effect())
    return claim


def enterprise_record(entry) -> dict:
    """The calculator record of one enterprise program record (HB61-CMP-1/2, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1), in the contract's field names, from what the system holds."""
    from upskill.registry.selectors import person_categories_on

    record = {
        "id": f"E{entry.pk}",
        "person_id": entry.person.id_number,
        "region": entry.enterprise.county_code,
        "date": entry.date.isoformat(),
        "program": entry.program,
        "categories": sorted(
            c for c in person_categories_on(entry.person, entry.date) if c in policy.CATEGORIES
        ),
    }
    if entry.competition_level:
        record["competition_level"] = entry.competition_level
        record["finalist"] = entry.finalist
    if entry.title:
        record["title"] = entry.title
    if entry.months is not None:
        record["months"] = entry.months
    return record


def _unclaimed_entries(enterprise: Organisation, program: str, year: int, *, claim=None) -> list:
    """The enterprise's records of a program and year not on a live line of another claim (a
    record is claimed once)."""
    from upskill.enterprise.models import KIND_OF_PROGRAM, EnterpriseRecord

    claimed = (
        ClaimLine.objects.filter(claim__claimant=enterprise, claim__training_class__isnull=True)
        .exclude(claim__status=ClaimStatus.REFUSED)
        .exclude(decision=Decision.REFUSED)
    )
    if claim is not None:
        claimed = claimed.exclude(claim=claim)
    taken = {line.record.get("id") for line in claimed.only("record")}
    entries = (
        EnterpriseRecord.objects.filter(
            enterprise=enterprise, kind=KIND_OF_PROGRAM[program], date__year=year
        )
        .select_related("person", "enterprise__region")
        .order_by("date", "pk")
    )
    return [e for e in entries if f"E{e.pk}" not in taken]


def _enterprise_rows(entries: list) -> list[tuple]:
    return [(e.person, None, enterprise_record(e), e.date) for e in entries]


@transaction.atomic
def claim_assemble_enterprise(*, actor, program: str, year: int, params=None) -> Claim:
    """An enterprise's claim for a program without a class — competitions (HB61-CMP-1/2),
    apprentices (HB45-APP-1), new technicians (HB45-TEC-1), work-for-training (HB61-WFT-1):
    one line per record of that program and year not yet claimed, priced by the engine."""
    from upskill.enterprise.models import KIND_OF_PROGRAM

    require_perm(actor, SUBMIT)
    enterprise = getattr(actor, "organisation", None)
    if enterprise is None or enterprise.kind != OrganisationKind.ENTERPRISE:
        raise PermissionDenied
    if program not in KIND_OF_PROGRAM:
        raise ValidationError(_("This program is claimed for with its class."))
    # one assembly at a time per enterprise: the records are read under the enterprise's lock
    Organisation.objects.select_for_update().filter(pk=enterprise.pk).first()
    entries = _unclaimed_entries(enterprise, program, year)
    if not entries:
        raise ValidationError(_("There is no record of this program and year left to claim."))
    claim = Claim.objects.create(
        kind=ClaimKind.ENTERPRISE,
        claimant=enterprise,
        county=Region.objects.get(code=enterprise.county_code),
        period_year=year,
        created_by=user_of(actor),
    )
    _run_and_store(claim, _enterprise_rows(entries), params or parameters_in_effect())
    return claim


def township_fees_claimable(
    township: Organisation, year: int | None, *, claim=None
) -> list[ClaimItem]:
    """GA23-FEE-1 fees of the township's trainees whose training subsidy was claimed and
    approved — the line approved, the organiser's claim past its public notice — and not on a
    live line of another township claim (a fee is claimed once). ``year`` is the training's
    (``None``: every year)."""
    taken = ClaimItem.objects.filter(source__isnull=False, line__claim__kind=ClaimKind.TOWNSHIP)
    taken = taken.exclude(line__claim__status=ClaimStatus.REFUSED).exclude(
        line__decision=Decision.REFUSED
    )
    if claim is not None:
        taken = taken.exclude(line__claim=claim)
    fees = ClaimItem.objects.filter(
        rule=FEE_RULE,
        payee=Payee.TOWNSHIP,
        payee_organisation=township,
        line__decision=Decision.APPROVED,
        line__claim__status=ClaimStatus.PAYABLE,
    )
    if year is not None:
        fees = fees.filter(line__date__year=year)
    return list(
        fees.exclude(line__claim__kind=ClaimKind.TOWNSHIP)
        .exclude(pk__in=taken.values("source_id"))
        .select_related("line__person", "line__claim__training_class")
        .order_by("line__date", "pk")
    )


def _store_township_lines(claim: Claim, fees: list[ClaimItem]) -> None:
    """One line per fee: the engine's amount and sentence as priced on the organiser's line,
    and which approved claim it rests on."""
    for fee in fees:
        source = fee.line
        training_class = source.claim.training_class
        basis = _("Training subsidy approved on claim #%(claim)s (%(class)s).") % {
            "claim": source.claim_id,
            "class": training_class.name if training_class else source.claim.claimant.name,
        }
        line = ClaimLine.objects.create(
            claim=claim,
            person=source.person,
            enrolment_id=source.enrolment_id,
            record={
                "program": FEE_RULE,
                "fee_item": fee.pk,
                "claim": source.claim_id,
                "person_id": source.person.id_number_masked,
            },
            date=source.date,
            occupation=source.occupation,
            level=source.level,
            status="accepted",
            total=fee.amount,
            explanation={
                "items": [
                    {
                        "rule": fee.rule,
                        "kind": fee.kind,
                        "payee": fee.payee,
                        "amount": f"{fee.amount:.2f}",
                        "message": fee.message,
                    }
                ],
                "reasons": [{"rule": FEE_RULE, "message": basis}],
            },
        )
        ClaimItem.objects.create(
            line=line,
            rule=fee.rule,
            kind=fee.kind,
            payee=Payee.TOWNSHIP,
            payee_organisation=claim.claimant,
            amount=fee.amount,
            message=fee.message,
            source=fee,
        )


@transaction.atomic
def claim_assemble_township(*, actor, year: int) -> Claim:
    """A township centre's claim for its management fees (GA23-FEE-1): one line per trainee of
    the township whose training subsidy of that year was claimed and approved, at the amount
    the engine computed on the organiser's line. Nobody types an amount."""
    require_perm(actor, SUBMIT)
    township = getattr(actor, "organisation", None)
    if township is None or township.kind != OrganisationKind.TOWNSHIP_CENTRE:
        raise PermissionDenied
    # one assembly at a time per township: the fees are read under the township's lock
    Organisation.objects.select_for_update().filter(pk=township.pk).first()
    fees = township_fees_claimable(township, year)
    if not fees:
        raise ValidationError(
            _("GA23-FEE-1: no approved training subsidy of %(year)s has a fee left to claim.")
            % {"year": year}
        )
    claim = Claim.objects.create(
        kind=ClaimKind.TOWNSHIP,
        claimant=township,
        county=Region.objects.get(code=township.county_code),
        period_year=year,
        created_by=user_of(actor),
    )
    _store_township_lines(claim, fees)
    return claim


@transaction.atomic
def claim_reassemble(*, actor, claim: Claim, params=None) -> Claim:
    """After a return: the lines are built again from the records as they are now."""
    claim = _own_claim(actor, claim)
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.RETURNED):
        raise ValidationError(_("Only a draft or returned claim can be assembled again."))
    programs = {line.record.get("program") for line in claim.lines.all()}
    ClaimItem.objects.filter(line__claim=claim).delete()
    claim.lines.all().delete()
    if claim.kind == ClaimKind.TOWNSHIP:
        fees = township_fees_claimable(claim.claimant, claim.period_year, claim=claim)
        _store_township_lines(claim, fees)
        return claim
    if claim.training_class_id is None:
        rows = []
        for program in sorted(p for p in programs if p):
            entries = _unclaimed_entries(claim.claimant, program, claim.period_year, claim=claim)
            rows += _enterprise_rows(entries)
        _run_and_store(claim, rows, params or parameters_in_effect())
        return claim
    enrolments = list(
        claim.training_class.enrolments.filter(status="enrolled")
        .select_related("person", "training_class__catalog_entry__occupation")
        .order_by("pk")
    )
    _price(claim, enrolments, params or parameters_in_effect())
    return claim


def _own_claim(actor, claim: Claim, *, lock: bool = True) -> Claim:
    qs = Claim.objects.select_for_update() if lock else Claim.objects.all()
    claim = get_visible_or_404(qs, actor, perm=SUBMIT, pk=claim.pk)
    organisation = getattr(actor, "organisation", None)
    if (
        actor is not SYSTEM
        and not actor.is_superuser
        and (organisation is None or organisation.pk != claim.claimant_id)
    ):
        raise PermissionDenied
    return claim


# HB61-DOC-1: the documents of a claim.
DOCUMENTS = {
    "application": gettext_lazy("Application form"),
    "roster": gettext_lazy("Roster of qualified trainees"),
    "certificates": gettext_lazy("Certificate copies"),
}
ENTERPRISE_DOCUMENTS = {"contracts": gettext_lazy("Labour contracts")}
# A township's fee claim rests on organiser claims already reviewed with their rosters and
# certificates: its application form is what it adds.
TOWNSHIP_DOCUMENTS = {"application": DOCUMENTS["application"]}


@dataclass(frozen=True)
class DocumentCheck:
    key: str
    label: str
    done: bool
    note: str


def documents_checklist(claim: Claim) -> list[DocumentCheck]:
    """What HB61-DOC-1 asks of the claim, and what is there. Certificates the system holds are
    verifiable inside it and need no copy."""
    wanted = dict(TOWNSHIP_DOCUMENTS) if claim.kind == ClaimKind.TOWNSHIP else dict(DOCUMENTS)
    if claim.kind == ClaimKind.ENTERPRISE:
        wanted.update(ENTERPRISE_DOCUMENTS)
    have = {d.key: d for d in claim.documents.all()}
    checks = []
    for key, label in wanted.items():
        if key == "certificates" and key not in have and _certificates_in_system(claim):
            checks.append(
                DocumentCheck(key, str(label), True, _("verifiable in the system: no copy needed"))
            )
            continue
        doc = have.get(key)
        checks.append(
            DocumentCheck(key, str(label), doc is not None, doc.original_name if doc else "")
        )
    return checks


def _certificates_in_system(claim: Claim) -> bool:
    lines = [line for line in claim.lines.all() if line.is_accepted and line.enrolment_id]
    return bool(lines) and all(_certificate(line.enrolment) is not None for line in lines)


@transaction.atomic
def claim_document_upload(*, actor, claim: Claim, key: str, upload) -> ClaimDocument:
    claim = _own_claim(actor, claim)
    if key not in DOCUMENTS and key not in ENTERPRISE_DOCUMENTS:
        raise ValidationError({"key": _("Unknown document.")})
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.RETURNED):
        raise ValidationError(_("Documents are added before the claim is submitted."))
    ClaimDocument.objects.filter(claim=claim, key=key).delete()
    document = ClaimDocument(
        claim=claim,
        key=key,
        original_name=getattr(upload, "name", key)[:255],
        uploaded_by=user_of(actor),
    )
    document.file.save(document.original_name, upload, save=False)
    document.save()
    return document


def submission_problems(claim: Claim, *, on: date | None = None) -> list[str]:
    """Why the claim cannot be submitted now: the class's compliance checklist is red
    (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SYS-1), the claimant is blacklisted
    (HB45-BLK-1), documents are missing (HB61-DOC-1) or nothing is claimable."""
    from upskill.supervision.services import blocked_problems, class_compliance

    problems: list[str] = []
    if claim.training_class_id:
        compliance = class_compliance(training_class=claim.training_class)
        if not compliance.ok:
            problems.append(
                _("The class's compliance checklist is not complete: %(missing)s")
                % {"missing": "; ".join(compliance.missing)}
            )
    problems += [str(p) for p in blocked_problems(claim.claimant, on)]
    missing_docs = [c.label for c in documents_checklist(claim) if not c.done]
    if missing_docs:
        problems.append(
            _("HB61-DOC-1: documents missing: %(docs)s") % {"docs": "、".join(missing_docs)}
        )
    if not any(line.is_accepted for line in claim.lines.all()):
        problems.append(_("No line of the claim is payable."))
    return problems


@transaction.atomic
def claim_submit(*, actor, claim: Claim, today: date | None = None) -> Claim:
    claim = _own_claim(actor, claim)
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.RETURNED):
        raise ValidationError(_("This claim has already been submitted."))
    problems = submission_problems(claim, on=today)
    if problems:
        raise ValidationError(problems)
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_by = user_of(actor)
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_by", "submitted_at"])
    return claim


# -- review ---------------------------------------------------------------------------------


def _review_claim(actor, claim: Claim) -> Claim:
    require_perm(actor, REVIEW)
    _bureau(actor)
    claim = get_visible_or_404(Claim.objects.select_for_update(), actor, pk=claim.pk)
    user = user_of(actor)
    if user is not None and claim.submitted_by_id == user.pk:
        raise PermissionDenied(_("The submitter of a claim cannot review it."))
    return claim


@transaction.atomic
def claim_take(*, actor, claim: Claim) -> Claim:
    claim = _review_claim(actor, claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted claim can be taken for review."))
    claim.status = ClaimStatus.UNDER_REVIEW
    claim.reviewed_by = user_of(actor)
    claim.save(update_fields=["status", "reviewed_by"])
    return claim


@transaction.atomic
def claim_line_decide(*, actor, line: ClaimLine, approve: bool, reason: str = "") -> ClaimLine:
    """Line by line: a claim may be approved in part."""
    claim = _review_claim(actor, line.claim)
    if claim.status != ClaimStatus.UNDER_REVIEW:
        raise ValidationError(_("Take the claim for review first."))
    line = ClaimLine.objects.select_for_update().get(pk=line.pk, claim=claim)
    if not line.is_accepted:
        raise ValidationError(_("The rules refused this line; it pays nothing."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    line.decision = Decision.APPROVED if approve else Decision.REFUSED
    line.decision_reason = reason
    line.save(update_fields=["decision", "decision_reason"])
    return line


@transaction.atomic
def claim_return(*, actor, claim: Claim, reasons: str) -> Claim:
    claim = _review_claim(actor, claim)
    if claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW):
        raise ValidationError(_("Only a claim under review can be returned."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons.")})
    claim.status = ClaimStatus.RETURNED
    claim.return_reason = reasons.strip()
    claim.save(update_fields=["status", "return_reason"])
    claim.lines.filter(status="accepted", total__gt=0).update(
        decision=Decision.PENDING, decision_reason=""
    )
    return claim


def notice_days(claim: Claim, on: date) -> int:
    version = parameters_in_effect().lookup("public_notice.working_days", claim.county.code, on)
    if version is None:
        raise ValidationError(_("HB45-PUB-1: no public notice period is set for this county."))
    return int(version.value)


@transaction.atomic
def claim_approve(*, actor, claim: Claim, fund: Fund, today: date | None = None) -> Claim:
    """The review's end: every payable line decided, the approved amounts charged to the fund
    (never beyond what is left of its budget), and the public notice opened (HB45-PUB-1) for
    the policy's number of working days."""
    claim = _review_claim(actor, claim)
    today = today or timezone.localdate()
    if claim.status != ClaimStatus.UNDER_REVIEW:
        raise ValidationError(_("Only a claim under review can be approved."))
    lines = list(claim.lines.select_for_update().filter(status="accepted"))
    if any(line.decision == Decision.PENDING for line in lines):
        raise ValidationError(_("Decide every line first (approve or refuse)."))
    approved = [line for line in lines if line.decision == Decision.APPROVED]
    if not approved:
        claim.status = ClaimStatus.REFUSED
        claim.reviewed_by, claim.reviewed_at = user_of(actor), timezone.now()
        claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        return claim
    fund = get_visible_or_404(Fund.objects.select_for_update(), actor, pk=fund.pk)
    if fund.region_id != claim.county_id or fund.year not in (today.year, claim.period_year):
        raise ValidationError({"fund": _("Choose a fund of the claim's county and year.")})
    items = list(
        ClaimItem.objects.filter(PAID_THROUGH_OWN_CLAIM, line__in=approved).select_related("line")
    )
    total = sum((i.amount for i in items), ZERO)
    left = ledger.remaining(fund)
    if total > left:
        raise ValidationError(
            {
                "fund": _("%(fund)s has %(left)s left; this claim needs %(total)s.")
                % {"fund": fund, "left": left, "total": total}
            }
        )
    for item in items:
        ledger.append(
            actor=actor,
            kind=EntryKind.CHARGE,
            account=Account.COMMITTED,
            fund=fund,
            amount=item.amount,
            rule=item.rule,
            memo=f"claim {claim.pk}",
            claim_line=item.line,
            claim_item=item,
            person=item.line.person,
            organisation=item.payee_organisation,
        )
    start = calendar.next_working_day(today)
    claim.fund = fund
    claim.status = ClaimStatus.NOTICE
    claim.reviewed_by, claim.reviewed_at = user_of(actor), timezone.now()
    claim.notice_from = start
    claim.notice_until = calendar.add_working_days(start, notice_days(claim, today))
    claim.save(
        update_fields=[
            "fund",
            "status",
            "reviewed_by",
            "reviewed_at",
            "notice_from",
            "notice_until",
        ]
    )
    return claim


@transaction.atomic
def objection_lodge(
    *, claim: Claim, lodged_by: str, text: str, contact: str = "", today: date | None = None
) -> Objection:
    """Anyone may object during the public notice (HB45-PUB-1)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    today = today or timezone.localdate()
    if claim.status != ClaimStatus.NOTICE or not (claim.notice_from <= today <= claim.notice_until):
        raise ValidationError(_("Objections are lodged during the public notice."))
    if not lodged_by.strip() or not text.strip():
        raise ValidationError(_("Give your name and the objection."))
    return Objection.objects.create(
        claim=claim,
        lodged_by=lodged_by.strip()[:64],
        contact=contact.strip()[:64],
        text=text.strip(),
    )


@transaction.atomic
def objection_resolve(
    *, actor, objection: Objection, uphold: bool, resolution: str, line: ClaimLine | None = None
) -> Objection:
    """An upheld objection refuses the line it concerns and reverses its charges."""
    require_perm(actor, REVIEW)
    _bureau(actor)
    objection = get_visible_or_404(Objection.objects.select_for_update(), actor, pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("This objection is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Give the resolution.")})
    line = line or objection.line
    if uphold:
        if line is None or line.claim_id != objection.claim_id:
            raise ValidationError({"line": _("Name the line the objection is upheld for.")})
        _refuse_line(actor, line, _("Objection upheld: %(text)s") % {"text": resolution.strip()})
        objection.line = line
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.resolution = resolution.strip()
    objection.resolved_by = user_of(actor)
    objection.save()
    return objection


def _refuse_line(actor, line: ClaimLine, reason: str) -> None:
    line = ClaimLine.objects.select_for_update().get(pk=line.pk)
    for entry in LedgerEntry.objects.filter(
        claim_line=line, kind=EntryKind.CHARGE, reversed_by__isnull=True
    ):
        ledger.reverse(actor=actor, entry=entry, memo=reason)
    line.decision = Decision.REFUSED
    line.decision_reason = reason
    line.save(update_fields=["decision", "decision_reason"])


def release_due(*, today: date) -> int:
    """Claims whose notice is over without an open objection become payable."""
    return (
        Claim.objects.filter(status=ClaimStatus.NOTICE, notice_until__lt=today)
        .exclude(objections__status=ObjectionStatus.OPEN)
        .update(status=ClaimStatus.PAYABLE)
    )


# -- advance payment (HB45-ADV-1) ----------------------------------------------------------


def advance_share(claim: Claim, on: date):
    return parameters_in_effect().lookup("advance.max_share", claim.county.code, on)


@transaction.atomic
def claim_advance(
    *, actor, claim: Claim, fund: Fund, share: Decimal, today: date | None = None
) -> list:
    """Advance part of the organiser's subsidy of a project-based claim under review, up to the
    policy's share (HB45-ADV-1), paid from ``fund``; the batch pays the balance once the claim
    is approved and noticed."""
    claim = _review_claim(actor, claim)
    fund = get_visible_or_404(Fund, actor, pk=fund.pk)
    today = today or timezone.localdate()
    version = advance_share(claim, today)
    if version is None:
        raise ValidationError(_("HB45-ADV-1: no advance payment is in force for this date."))
    if share <= 0 or share > Decimal(str(version.value)):
        raise ValidationError(
            {
                "share": _("HB45-ADV-1: at most %(max)s of the subsidy may be advanced.")
                % {"max": version.value}
            }
        )
    if claim.status != ClaimStatus.UNDER_REVIEW or claim.advance_share is not None:
        raise ValidationError(_("An advance is made once, while the claim is under review."))
    if fund.region_id != claim.county_id:
        raise ValidationError({"fund": _("Choose a fund of the claim's county and year.")})
    entries = []
    items = ClaimItem.objects.filter(
        line__claim=claim, line__status="accepted", payee__in=[Payee.ORGANISER, Payee.ENTERPRISE]
    )
    for item in items:
        amount = (item.amount * share).quantize(Decimal("0.01"))
        entries.append(
            ledger.append(
                actor=actor,
                kind=EntryKind.ADVANCE,
                account=Account.DISBURSED,
                fund=fund,
                amount=amount,
                rule="HB45-ADV-1",
                memo=f"advance claim {claim.pk}",
                claim_line=item.line,
                claim_item=item,
                organisation=item.payee_organisation,
            )
        )
    claim.advance_share = share
    claim.fund = fund
    claim.save(update_fields=["advance_share", "fund"])
    return entries


def _advanced(item: ClaimItem) -> Decimal:
    total = sum((e.amount for e in item.entries.filter(kind__in=[EntryKind.ADVANCE])), ZERO)
    return total


# -- payment ----------------------------------------------------------------------------------


def payee_account_set(
    *,
    actor,
    organisation: Organisation,
    account_name: str,
    account_number: str,
    bank_name: str,
    branch_code: str = "",
) -> PayeeAccount:
    require_perm(actor, CHANGE_PAYEE)
    organisation = get_visible_or_404(Organisation, actor, pk=organisation.pk)
    number = "".join(str(account_number).split())
    if not number.isdigit():
        raise ValidationError({"account_number": _("An account number has digits only.")})
    account, _created = PayeeAccount.objects.update_or_create(
        organisation=organisation,
        defaults={
            "account_name": account_name.strip(),
            "account_number": number,
            "account_number_masked": mask_account(number),
            "bank_name": bank_name.strip(),
            "branch_code": branch_code.strip(),
        },
    )
    return account


_batch_numbers = itertools.count(1)


@transaction.atomic
def batch_create(*, actor, fund: Fund, payee: str, today: date | None = None) -> PaymentBatch:
    """Gather the approved, noticed and unpaid amounts of one kind of payee charged to the fund.
    Each claim item is locked (``select_for_update``) and can join one batch only (the unique
    ``PaymentItem.item``): paying twice is impossible. The payment clerk is never the reviewer
    of a claim they pay. Township fees (GA23-FEE-1) are paid through the township's own claim
    (:func:`claim_assemble_township`), never through the organiser's."""
    require_perm(actor, ADD_BATCH)
    _bureau(actor)
    today = today or timezone.localdate()
    if payee not in Payee.values:
        raise ValidationError({"payee": _("Choose the kind of payee.")})
    fund = get_visible_or_404(Fund, actor, pk=fund.pk)
    release_due(today=today)
    user = user_of(actor)
    candidates = ClaimItem.objects.filter(
        PAID_THROUGH_OWN_CLAIM,
        payee=payee,
        line__decision=Decision.APPROVED,
        line__claim__status=ClaimStatus.PAYABLE,
        line__claim__fund=fund,
    ).exclude(pk__in=PaymentItem.objects.values("item_id"))
    if user is not None:
        candidates = candidates.exclude(line__claim__reviewed_by=user)
    items = list(candidates.select_for_update(of=("self",)).order_by("pk"))
    if not items:
        raise ValidationError(_("Nothing is due to this kind of payee from this fund."))
    batch = PaymentBatch.objects.create(
        reference=f"B{today:%Y%m%d}{timezone.now():%H%M%S%f}"[:24] + f"{next(_batch_numbers)}",
        county=fund.region,
        fund=fund,
        payee=payee,
        created_by=user,
    )
    made = 0
    for item in items:
        try:
            with transaction.atomic():
                PaymentItem.objects.create(
                    batch=batch, item=item, amount=item.amount - _advanced(item)
                )
            made += 1
        except IntegrityError:
            continue  # another batch took it first
    if not made:
        raise ValidationError(_("Nothing is due to this kind of payee from this fund."))
    return batch


@dataclass(frozen=True)
class BankRow:
    reference: str
    account_name: str
    account_number: str  # full in the file, masked on screen
    bank_name: str
    branch_code: str
    amount: Decimal


def _account_of(payment: PaymentItem):
    """The account in use now: the trainee's active registry account (only a change that passed
    the registry's rules is active), or the payee organisation's."""
    item = payment.item
    if item.payee == Payee.TRAINEE:
        return item.line.person.bank_accounts.filter(is_active=True).first()
    if item.payee_organisation_id:
        return PayeeAccount.objects.filter(organisation_id=item.payee_organisation_id).first()
    return None


def _row(payment: PaymentItem, account, *, full: bool) -> BankRow:
    return BankRow(
        reference=payment.reference,
        account_name=account.account_name if account else "",
        account_number=(
            (account.account_number if full else account.account_number_masked) if account else ""
        ),
        bank_name=account.bank_name if account else "",
        branch_code=account.branch_code if account else "",
        amount=payment.amount,
    )


def batch_rows(batch: PaymentBatch, *, full: bool = False) -> list[BankRow]:
    """The rows of the bank's file: the account numbers are masked unless ``full`` (the export,
    see :func:`batch_export`). A payment exported before names the account it was exported
    with (``PaymentItem.account_*``), never the one in use now."""
    payments = batch.items.filter(status=PaymentStatus.PENDING).select_related(
        "item__line__person", "item__payee_organisation", "batch"
    )
    return [
        _row(payment, payment if payment.account_fixed_at else _account_of(payment), full=full)
        for payment in payments
    ]


def _fix_accounts(batch: PaymentBatch) -> None:
    """At the first export of a payment, copy the account it is exported with onto it; later
    exports of the same batch use that copy, so the bank file never changes silently."""
    now = timezone.now()
    for payment in batch.items.filter(
        status=PaymentStatus.PENDING, account_fixed_at__isnull=True
    ).select_related("item__line__person", "item__payee_organisation"):
        account = _account_of(payment)
        if account is None:
            continue
        payment.account_fixed_at = now
        payment.bank_account = account if payment.item.payee == Payee.TRAINEE else None
        payment.account_name = account.account_name
        payment.account_number = account.account_number
        payment.account_number_masked = account.account_number_masked
        payment.bank_name = account.bank_name
        payment.branch_code = account.branch_code
        payment.save(
            update_fields=[
                "account_fixed_at",
                "bank_account",
                "account_name",
                "account_number",
                "account_number_masked",
                "bank_name",
                "branch_code",
            ]
        )


def bank_header() -> list[str]:
    return [
        _("Reference"),
        _("Account name"),
        _("Account number"),
        _("Bank"),
        _("Branch code"),
        _("Amount"),
    ]


@transaction.atomic
def batch_export(*, actor, batch: PaymentBatch, fmt: str = "xlsx") -> tuple[bytes, str]:
    """The bank's disbursement file (Excel or CSV) with the full account numbers: the payment
    clerk's permission only, and written to the access log."""
    require_perm(actor, EXPORT)
    batch = get_visible_or_404(PaymentBatch.objects.select_for_update(), actor, pk=batch.pk)
    _fix_accounts(batch)
    rows = batch_rows(batch, full=True)
    missing = [r.reference for r in rows if not r.account_number]
    if missing:
        raise ValidationError(
            _("No bank account is known for: %(refs)s") % {"refs": ", ".join(missing)}
        )
    if not rows:
        raise ValidationError(_("Nothing in this batch is waiting to be paid."))
    access_log_record(
        actor=actor,
        action=AccessAction.EXPORT,
        obj=batch,
        field="account_number",
        description=f"bank file {batch.reference} ({fmt})",
        row_count=len(rows),
    )
    PaymentItem.objects.filter(batch=batch, status=PaymentStatus.PENDING).update(
        attempts=F("attempts") + 1
    )
    batch.status = BatchStatus.EXPORTED
    batch.exported_at = timezone.now()
    batch.save(update_fields=["status", "exported_at"])
    # Each bank file anchors the ledger as it stands: a signed checkpoint outside the database
    # (HB45-PUB-1), once the export is committed.
    transaction.on_commit(
        lambda: ledger.checkpoint_quietly(actor=actor, reason=CheckpointReason.EXPORT)
    )
    values = [
        [r.reference, r.account_name, r.account_number, r.bank_name, r.branch_code, r.amount]
        for r in rows
    ]
    if fmt == "csv":
        cents = Decimal("0.01")
        return (
            csv_bytes(bank_header(), [[*row[:5], row[5].quantize(cents)] for row in values]),
            f"{batch.reference}.csv",
        )
    return xlsx_bytes(batch.reference, bank_header(), values), f"{batch.reference}.xlsx"


def result_columns() -> list[Column]:
    return [
        Column("reference", ("Reference", "参考号", "业务编号", "流水号", "摘要")),
        Column("status", ("Status", "状态", "结果", "处理结果")),
        Column("reason", ("Reason", "原因", "失败原因", "备注"), required=False),
    ]


_PAID = {"paid", "成功", "已支付", "支付成功", "success", "ok"}
_FAILED = {"failed", "失败", "支付失败", "退票", "failure"}


@transaction.atomic
def batch_results_import(*, actor, batch: PaymentBatch, upload, progress=None) -> dict:
    """The bank's answer, all or nothing (core.imports): paid → a payment entry in the ledger;
    failed with its reason → retried in the next export or cancelled."""
    require_perm(actor, EXPORT)
    batch = get_visible_or_404(PaymentBatch.objects.select_for_update(), actor, pk=batch.pk)
    payments = {p.reference: p for p in batch.items.select_related("batch", "item__line")}
    rows = read_rows(upload, result_columns())

    def validate(row: int, values: dict[str, str]):
        payment = payments.get(values["reference"])
        if payment is None:
            raise RowProblem("reference", _("No payment of this batch has this reference."))
        status = values["status"].strip().lower()
        if status in _PAID:
            outcome = PaymentStatus.PAID
        elif status in _FAILED:
            outcome = PaymentStatus.FAILED
            if not values.get("reason"):
                raise RowProblem("reason", _("Give the bank's reason of the failure."))
        else:
            raise RowProblem("status", _("Write paid (成功) or failed (失败)."))
        if payment.status != PaymentStatus.PENDING:
            raise RowProblem(
                "reference",
                _("This payment is already %(s)s.") % {"s": payment.get_status_display()},
            )
        return payment, outcome, values.get("reason", "")

    def apply(checked):
        paid = failed = 0
        for _row, (payment, outcome, reason) in checked:
            payment.status = outcome
            payment.failure_reason = reason[:255] if outcome == PaymentStatus.FAILED else ""
            payment.save(update_fields=["status", "failure_reason"])
            if outcome == PaymentStatus.PAID:
                paid += 1
                ledger.append(
                    actor=actor,
                    kind=EntryKind.PAYMENT,
                    account=Account.DISBURSED,
                    fund=batch.fund,
                    amount=payment.amount,
                    rule=payment.item.rule,
                    memo=payment.reference,
                    claim_line=payment.item.line,
                    claim_item=payment.item,
                    batch=batch,
                    person=payment.item.line.person,
                    organisation=payment.item.payee_organisation,
                )
            else:
                failed += 1
        if not batch.items.filter(
            status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]
        ).exists():
            batch.status = BatchStatus.CLOSED
            batch.save(update_fields=["status"])
        return {"paid": paid, "failed": failed}

    return run_import(rows=rows, validate=validate, apply=apply, progress=progress)


@transaction.atomic
def payment_retry(*, actor, payment: PaymentItem) -> PaymentItem:
    """A failed payment goes out again with the batch's next file (after the account was fixed):
    the account it was exported with is released, so the next export takes the account in use
    then (the failed one stays in the payment's history)."""
    require_perm(actor, EXPORT)
    payment = get_visible_or_404(PaymentItem.objects.select_for_update(), actor, pk=payment.pk)
    if payment.status != PaymentStatus.FAILED:
        raise ValidationError(_("Only a failed payment is retried."))
    payment.status = PaymentStatus.PENDING
    payment.account_fixed_at = None
    payment.bank_account = None
    payment.account_name = payment.account_number = payment.account_number_masked = ""
    payment.bank_name = payment.branch_code = ""
    payment.save(
        update_fields=[
            "status",
            "account_fixed_at",
            "bank_account",
            "account_name",
            "account_number",
            "account_number_masked",
            "bank_name",
            "branch_code",
        ]
    )
    PaymentBatch.objects.filter(pk=payment.batch_id).update(status=BatchStatus.OPEN)
    return payment


@transaction.atomic
def payment_cancel(*, actor, payment: PaymentItem, reason: str) -> PaymentItem:
    """A failed payment given up: its charge to the fund is reversed."""
    require_perm(actor, EXPORT)
    payment = get_visible_or_404(PaymentItem.objects.select_for_update(), actor, pk=payment.pk)
    if payment.status != PaymentStatus.FAILED:
        raise ValidationError(_("Only a failed payment is cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    for entry in LedgerEntry.objects.filter(
        claim_item=payment.item, kind=EntryKind.CHARGE, reversed_by__isnull=True
    ):
        ledger.reverse(actor=actor, entry=entry, memo=reason.strip())
    payment.status = PaymentStatus.CANCELLED
    payment.failure_reason = reason.strip()[:255]
    payment.save(update_fields=["status", "failure_reason"])
    batch = payment.batch
    if not batch.items.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]).exists():
        PaymentBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CLOSED)
    return payment


# -- recovery after fraud (HB45-BLK-1) -------------------------------------------------------


@transaction.atomic
def recovery_open(*, actor, claim: Claim, reason: str) -> list[LedgerEntry]:
    """Subsidies obtained by fraud are recovered (HB45-BLK-1): every amount paid on the claim to
    the claimant becomes a receivable entry of the ledger."""
    require_perm(actor, RECOVER)
    _bureau(actor)
    claim = get_visible_or_404(Claim, actor, pk=claim.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    entries = []
    paid = LedgerEntry.objects.filter(
        claim_line__claim=claim,
        account=Account.DISBURSED,
        kind__in=[EntryKind.PAYMENT, EntryKind.ADVANCE],
    ).exclude(claim_item__payee=Payee.TRAINEE)
    for entry in paid:
        if (
            LedgerEntry.objects.filter(
                kind=EntryKind.RECEIVABLE,
                claim_item=entry.claim_item,
                memo__startswith="HB45-BLK-1",
            ).exists()
            and entry.kind == EntryKind.PAYMENT
        ):
            continue
        entries.append(
            ledger.append(
                actor=actor,
                kind=EntryKind.RECEIVABLE,
                account=Account.RECEIVABLE,
                fund=entry.fund,
                amount=entry.amount,
                rule="HB45-BLK-1",
                memo=f"HB45-BLK-1 {reason.strip()}",
                claim_line=entry.claim_line,
                claim_item=entry.claim_item,
                batch=entry.batch,
                organisation=claim.claimant,
            )
        )
    if not entries:
        raise ValidationError(_("Nothing has been paid to the claimant on this claim."))
    return entries
