"""Claims assembled from the system's records, never typed: one calculator record per trainee (or
enterprise record, or township fee), priced only by the policy engine with the parameters in
force and the person's earlier subsidised trainings (HB45-CAP-1); the engine's items and
explanation are kept on each line.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill import policy
from upskill.core.actor import user_of
from upskill.core.history import bulk_create_audited
from upskill.core.scoping import SYSTEM, Actor, get_visible_or_404, require_perm
from upskill.core.stored_text import render_stored_text, stored_text
from upskill.enterprise.models import KIND_OF_PROGRAM, EnterpriseRecord
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.policy.contract import result_dict
from upskill.policy.explain import facts as explain_facts
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass

from ..models import (
    ZERO,
    Claim,
    ClaimItem,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    Decision,
    LineStatus,
    Payee,
)
from ..selectors.claims import FEE_RULE, township_fees_claimable
from ..selectors.records import (
    ONLINE_PROGRAM,
    class_facts,
    class_record,
    employer_on,
    enterprise_record,
    online_subsidy_taken,
    persons_history,
)
from ._common import SUBMIT, _lang, _own_claim
from .eligibility import eligibility_results


def _township_centre(person) -> Organisation | None:
    if person.township_id is None:
        return None
    return Organisation.objects.filter(
        kind=OrganisationKind.TOWNSHIP_CENTRE, region_id=person.township_id, is_active=True
    ).first()


def _price(claim: Claim, enrolments: list, params, *, actor: Actor) -> None:
    """Build the records, run the engine once for the claim, store lines and items."""
    training_class = claim.training_class
    facts = class_facts(training_class, enrolments)
    rows = [
        (e.person, e, class_record(e, facts=facts), training_class.end_date) for e in enrolments
    ]
    enterprises = None
    if training_class.program == ONLINE_PROGRAM:
        _online_once(claim, rows)
        if training_class.organisation.kind != OrganisationKind.ENTERPRISE:
            # 由培训机构代申请: the institution claims, each employee's enterprise is paid
            enterprises = {
                person.pk: employer_on(person, training_class.end_date)
                for person, _enrolment, record, _on in rows
                if record.get("online")
            }
    _run_and_store(claim, rows, params, actor=actor, enterprises=enterprises)


def _online_once(claim: Claim, rows: list[tuple]) -> None:
    """WH20-SUB-3 is paid once per employee ("1000 元/人"): ``online`` stays true on the
    first of the employee's records only, across this claim and the live claims of the year
    (each certificate is its own record, WH20-SUB-1/2)."""
    persons = {person.pk: person for person, _enrolment, _record, _on in rows}
    taken = online_subsidy_taken(persons.values(), claim.period_year, exclude_claim=claim)
    for person, _enrolment, record, _on in rows:
        if not record.get("online"):
            continue
        if person.pk in taken:
            record["online"] = False
        else:
            taken.add(person.pk)


def _run_and_store(
    claim: Claim, rows: list[tuple], params, *, actor: Actor, enterprises: dict | None = None
) -> None:
    """Rows of (person, enrolment or None, calculator record, date): one engine run for the
    claim, with the persons' other subsidised lines as history (HB45-CAP-1). ``enterprises``
    (person id → organisation): who receives a person's enterprise item when it is not the
    claimant (WH20-SUB-3 on an institution's claim: the employee's own enterprise)."""
    records = [record for _person, _enrolment, record, _on in rows]
    persons = {person.pk: person for person, _enrolment, _record, _on in rows}
    history = persons_history(persons.values(), exclude_claim=claim, params=params)
    results = policy.run(records, params, history=history)
    results = eligibility_results(rows, results, params)  # GA23-OBJ-2 … as at enrolment
    lang = _lang()
    centres: dict[int | None, Organisation | None] = {}  # township id → its centre (GA23-FEE-1)

    def payee_organisation(payee: str, person) -> Organisation | None:
        if payee == Payee.TOWNSHIP:
            if person.township_id not in centres:
                centres[person.township_id] = _township_centre(person)
            return centres[person.township_id]
        if payee == Payee.ENTERPRISE and enterprises and enterprises.get(person.pk):
            return enterprises[person.pk]
        if payee in (Payee.ORGANISER, Payee.ENTERPRISE):
            return claim.claimant
        return None

    lines, line_items = [], []
    for (person, enrolment, record, on), result in zip(rows, results, strict=True):
        explanation = result_dict(result, lang)
        # the facts of each sentence, rendered again in the reader's language at view time
        for stored_item, item in zip(explanation["items"], result.items, strict=True):
            stored_item["facts"] = explain_facts(item.code, item.rule, item.figures)
        for stored_reason, reason in zip(explanation["reasons"], result.reasons, strict=True):
            stored_reason["facts"] = explain_facts(reason.code, reason.rule, reason.figures)
        stored = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in record.items()}
        stored["person_id"] = person.id_number_masked  # never the full number at rest
        # the line's amount is what this claim pays; a township's fee is its own claim's
        own_total = sum(
            (Decimal(item.amount) for item in result.items if item.payee != Payee.TOWNSHIP),
            ZERO,
        )
        if result.status != LineStatus.ACCEPTED:
            decision, reason = Decision.REFUSED, _("Refused by the rules.")
        elif own_total == 0:
            decision, reason = Decision.APPROVED, _("Nothing is payable.")
        else:
            decision, reason = Decision.PENDING, ""
        lines.append(
            ClaimLine(
                claim=claim,
                person=person,
                enrolment=enrolment,
                record=stored,
                date=on,
                occupation=record.get("occupation") or "",
                level=record.get("level"),
                status=result.status,
                total=own_total if result.status == LineStatus.ACCEPTED else ZERO,
                explanation=_jsonable(explanation),
                decision=decision,
                decision_reason=reason,
            )
        )
        line_items.append((person, explanation, result.items))
    # in bulk with their audit-trail rows: a fixed number of queries whatever the class's size
    lines = bulk_create_audited(lines, ClaimLine, actor=actor)
    items = [
        ClaimItem(
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
        for line, (person, explanation, found) in zip(lines, line_items, strict=True)
        for item in found
    ]
    bulk_create_audited(items, ClaimItem, actor=actor)


def _jsonable(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@transaction.atomic
def claim_assemble(*, actor: Actor, training_class, params=None) -> Claim:
    """The organiser's claim for a finished class: one line per enrolled trainee, priced by the
    engine. An institution claims as ``institution``, an enterprise as ``enterprise``."""

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
        .select_related("person")
        .order_by("pk")
    )
    for enrolment in enrolments:  # one class instance: its township and organiser read once
        enrolment.training_class = training_class
    _price(claim, enrolments, params or parameters_in_effect(), actor=actor)
    return claim


def _unclaimed_entries(enterprise: Organisation, program: str, year: int, *, claim=None) -> list:
    """The enterprise's records of a program and year not on a live line of another claim (a
    record is claimed once)."""

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
def claim_assemble_enterprise(*, actor: Actor, program: str, year: int, params=None) -> Claim:
    """An enterprise's claim for a program without a class — competitions (HB61-CMP-1/2),
    apprentices (HB45-APP-1), new technicians (HB45-TEC-1), work-for-training (HB61-WFT-1):
    one line per record of that program and year not yet claimed, priced by the engine."""

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
    _run_and_store(claim, _enterprise_rows(entries), params or parameters_in_effect(), actor=actor)
    return claim


def _store_township_lines(claim: Claim, fees: list[ClaimItem]) -> None:
    """One line per fee: the engine's amount and sentence as priced on the organiser's line,
    and which approved claim it rests on."""
    for fee in fees:
        source = fee.line
        training_class = source.claim.training_class
        basis = stored_text(
            gettext_lazy("Training subsidy approved on claim #%(claim)s (%(class)s)."),
            **{
                "claim": source.claim_id,
                "class": training_class.name if training_class else source.claim.claimant.name,
            },
        )
        # the facts of the fee's sentence on the organiser's line, for the reader's language
        facts = next(
            (
                item["facts"]
                for item in (source.explanation or {}).get("items", [])
                if item.get("rule") == fee.rule and "facts" in item
            ),
            None,
        )
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
            status=LineStatus.ACCEPTED,
            total=fee.amount,
            explanation={
                "items": [
                    {
                        "rule": fee.rule,
                        "kind": fee.kind,
                        "payee": fee.payee,
                        "amount": f"{fee.amount:.2f}",
                        "message": fee.message,
                        **({"facts": facts} if facts else {}),
                    }
                ],
                "reasons": [
                    {
                        "rule": FEE_RULE,
                        "message": render_stored_text(basis),  # as its neighbours: the writer's
                        "text": basis,
                    }
                ],
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
def claim_assemble_township(*, actor: Actor, year: int) -> Claim:
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
def claim_reassemble(*, actor: Actor, claim: Claim, params=None) -> Claim:
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
        _run_and_store(claim, rows, params or parameters_in_effect(), actor=actor)
        return claim
    enrolments = list(
        claim.training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("person")
        .order_by("pk")
    )
    for enrolment in enrolments:  # one class instance: its township and organiser read once
        enrolment.training_class = claim.training_class
    _price(claim, enrolments, params or parameters_in_effect(), actor=actor)
    return claim
