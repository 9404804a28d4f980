"""The calculator records a claim is priced from: the facts of a finished class, one record per
enrolled trainee, one per enterprise record, and the persons' earlier subsidised claim lines
(HB45-CAP-1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from upskill import policy
from upskill.assessment.programmes import certified_enrolment_ids_many
from upskill.enterprise.models import EmploymentContract
from upskill.enterprise.selectors import contracts_on_many, employer_contract_on
from upskill.learning.selectors import watched_shares
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.registry.models import Affiliation, AffiliationKind
from upskill.registry.selectors import codes_on, person_categories_on, persons_category_entries
from upskill.training.selectors import attended_hours_by_enrolment_many, class_hours_many

from ..models import (
    Claim,
    ClaimItem,
    ClaimLine,
    ClaimStatus,
    Decision,
    LineStatus,
)

# WH20: online skill-level training; its enterprise subsidy (WH20-SUB-3) is paid once per
# employee, to the employee's own enterprise, whoever organised the class.
ONLINE_PROGRAM = "online_skill_level"
ONLINE_RULE = "WH20-SUB-3"


@dataclass(frozen=True)
class ClassFacts:
    """What every trainee's record of a class draws on, read once per class: the curriculum's
    hours, who passed, each trainee's categories on the end date and attended hours; for an
    enterprise's class, each trainee's labour contract on the end date."""

    hours: tuple[Decimal, Decimal]  # total, practical
    passed: set[int]  # enrolment ids
    categories: dict[int, list[str]]  # person id → codes
    attended: dict[int, Decimal]  # enrolment id → hours present
    contracts: dict[int, EmploymentContract | None] = field(default_factory=dict)  # person id →


def class_facts(training_class, enrolments: list) -> ClassFacts:
    return class_facts_many({training_class: enrolments})[training_class.pk]


def class_facts_many(
    enrolments_by_class: dict, params: policy.ParameterSet | None = None
) -> dict[int, ClassFacts]:
    """:func:`class_facts` for many classes (class → its enrolments) in a fixed number of
    queries, whatever the number of classes (a settlement reads a county's year in chunks)."""
    classes = list(enrolments_by_class)
    hours = class_hours_many(classes)
    passed = certified_enrolment_ids_many(classes, params)  # HB61-CRT-1: WH20-SUB-1/2
    attended = attended_hours_by_enrolment_many(classes)
    persons = {
        e.person_id: e.person for enrolments in enrolments_by_class.values() for e in enrolments
    }
    entries = persons_category_entries(persons.values())
    contracts = contracts_on_many(
        (c.organisation_id, e.person_id, c.end_date)
        for c, enrolments in enrolments_by_class.items()
        if c.organisation.kind == OrganisationKind.ENTERPRISE
        for e in enrolments
    )
    online_hours = _online_attended_hours(enrolments_by_class, hours)
    attended.update(online_hours)
    facts = {}
    for training_class, enrolments in enrolments_by_class.items():
        on = training_class.end_date
        facts[training_class.pk] = ClassFacts(
            hours=hours[training_class.pk],
            passed=passed[training_class.pk],
            categories={
                e.person_id: codes_on(e.person, entries.get(e.person_id, ()), on)
                for e in enrolments
            },
            attended={e.pk: attended[e.pk] for e in enrolments if e.pk in attended},
            contracts={
                e.person_id: contracts[(training_class.organisation_id, e.person_id, on)]
                for e in enrolments
                if (training_class.organisation_id, e.person_id, on) in contracts
            },
        )
    return facts


def _online_attended_hours(enrolments_by_class: dict, hours: dict) -> dict[int, Decimal]:
    """An online class's hours attended rest on learning that happened (WH20-PRG-1): its
    theory hours in the share of the course's required time the learner watched, and its
    practical (offline) hours as attendance marked them."""
    online = {
        c: enrolments
        for c, enrolments in enrolments_by_class.items()
        if c.program == ONLINE_PROGRAM and c.platform_id
    }
    if not online:
        return {}
    practice = attended_hours_by_enrolment_many(list(online), kind="practice")
    shares = watched_shares([e for enrolments in online.values() for e in enrolments])
    result = {}
    for training_class, enrolments in online.items():
        total, practical = hours[training_class.pk]
        theory = total - practical
        for enrolment in enrolments:
            watched = (theory * shares.get(enrolment.pk, Decimal(0))).quantize(Decimal("0.1"))
            result[enrolment.pk] = watched + practice.get(enrolment.pk, Decimal(0))
    return result


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
        record.update(
            _employment_fields(
                training_class, facts.contracts.get(person.pk), insured_known=insured is not None
            )
        )
        insured = record.pop("insured_months", insured)
    elif training_class.program == ONLINE_PROGRAM:
        # an institution runs the employees' online training (由培训机构代申请): the employee's
        # own labour contract gives the insurance months; ``online`` is decided per employee
        # by the assembly (WH20-SUB-3 once per employee, :func:`online_subsidy_taken`)
        contract = employer_contract_on(person=person, on=training_class.end_date)
        record["online"] = (
            contract is not None or employer_on(person, training_class.end_date) is not None
        )
        if insured is None and contract is not None:
            insured = contract.unemployment_insured_months
    if insured is None:
        insured = person.insured_months
    record["insured_months"] = insured
    return record


def _employment_fields(training_class, contract, *, insured_known: bool) -> dict:
    """An enterprise's class: what its labour contract with the trainee says (HB61-PJ-1 —
    signed, years, consecutive insured months, still employed; WH20-OBJ-1 — unemployment-
    insurance months), the training's start (HB61-PJ-1's window) and whether the program is
    online (WH20-SUB-3). A trainee without a contract gets none of these fields, so the engine
    refuses the line naming the missing one."""

    fields: dict = {
        "training_started": training_class.start_date.isoformat(),
        "online": training_class.program == "online_skill_level",
    }
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


def employer_on(person, on) -> Organisation | None:
    """WH20-SUB-3: the employee's own enterprise on a date: that of their labour contract
    running then, else the enterprise they are affiliated with as its employee."""
    contract = employer_contract_on(person=person, on=on)
    if contract is not None:
        return contract.enterprise
    affiliation = (
        Affiliation.objects.effective()
        .filter(
            person=person,
            kind=AffiliationKind.EMPLOYEE,
            organisation__kind=OrganisationKind.ENTERPRISE,
            since__lte=on,
        )
        .exclude(until__lt=on)
        .select_related("organisation")
        .order_by("-since", "-pk")
        .first()
    )
    return affiliation.organisation if affiliation is not None else None


def online_subsidy_taken(persons: Iterable, year: int, *, exclude_claim: Claim | None = None):
    """The persons (ids) whose enterprise online-training subsidy (WH20-SUB-3, "1000 元/人") is
    on a live line of a claim of ``year`` already: it is paid once per employee, so their
    other records carry ``online`` false."""
    items = (
        ClaimItem.objects.filter(
            rule=ONLINE_RULE,
            line__person__in=[person.pk for person in persons],
            line__date__year=year,
            line__status=LineStatus.ACCEPTED,
        )
        .exclude(line__decision=Decision.REFUSED)
        .exclude(line__claim__status=ClaimStatus.REFUSED)
    )
    if exclude_claim is not None:
        items = items.exclude(line__claim=exclude_claim)
    return set(items.values_list("line__person_id", flat=True))


def persons_history(
    persons: Iterable,
    *,
    exclude_claim: Claim | None = None,
    params: policy.ParameterSet | None = None,
) -> list[policy.PriorTraining]:
    """The persons' other subsidised trainings (claim lines accepted by the engine and not
    refused), for HB45-CAP-1 and HB61-WFT-1 across the whole history; two queries per 2,000
    persons. A line's work-for-training months paid are its HB61-WFT-1 amount over the monthly
    rate in force for its region and date (``params``, else the shipped ones): the line keeps
    the amount, not the months the engine paid (fewer than claimed once the person's 6 ran out)."""
    by_pk = {person.pk: person for person in persons}
    pks = list(by_pk)
    params = params or policy.default_parameters()
    history = []
    for start in range(0, len(pks), 2000):
        lines = (
            ClaimLine.objects.filter(
                person_id__in=pks[start : start + 2000], status=LineStatus.ACCEPTED
            )
            .exclude(decision=Decision.REFUSED)
            .exclude(claim__status=ClaimStatus.REFUSED)
            .only("pk", "person_id", "date", "occupation", "level", "record")
        )
        if exclude_claim is not None:
            lines = lines.exclude(claim=exclude_claim)
        lines = list(lines)
        wft_amounts = dict(
            ClaimItem.objects.filter(
                line__in=[line.pk for line in lines], rule="HB61-WFT-1"
            ).values_list("line_id", "amount")
        )
        history += [
            policy.PriorTraining(
                person_id=by_pk[line.person_id].id_number,
                date=line.date,
                occupation=line.occupation or None,
                level=line.level,
                id=f"L{line.pk}",
                months=_months_paid(line, wft_amounts.get(line.pk), params),
            )
            for line in lines
        ]
    return history


def _months_paid(line: ClaimLine, amount: Decimal | None, params: policy.ParameterSet) -> int:
    """HB61-WFT-1: the months a line paid (0 for a line without a work-for-training item)."""
    if amount is None:
        return 0
    rate = params.value("work_for_training.monthly", line.record.get("region", ""), line.date)
    if not rate:
        # no rate in force any more for the line: it paid at most the months it claimed
        return int(line.record.get("months") or 0)
    return int(Decimal(amount) // Decimal(rate))


def enterprise_record(entry) -> dict:
    """The calculator record of one enterprise program record (HB61-CMP-1/2, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1), in the contract's field names, from what the system holds."""

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
