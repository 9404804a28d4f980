"""Writes of the enterprise app: an enterprise's HR clerk records its employees' labour
contracts (HB61-PJ-1, WH20-OBJ-1) and the records of its programs without a class —
competition entries (HB61-CMP-1/2), apprenticeship years (HB45-APP-1), new technician titles
(HB45-TEC-1) and work-for-training months (HB61-WFT-1). No amount is recorded here: the claim
is priced by the policy engine from these records (``subsidies.services``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from upskill.core.history import bulk_create_audited
from upskill.core.imports import Column, RowProblem, parse_day, read_rows, run_import
from upskill.core.jobs import import_job_start
from upskill.core.scoping import SYSTEM, Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.registry.identity import IdentityError, parse_resident_id
from upskill.registry.lookup import persons_by_id_number_hash
from upskill.registry.models import AffiliationBasis, AffiliationKind, Person
from upskill.registry.services import (
    ID_NUMBER_HEADERS,
    NAME_HEADERS,
    affiliation_ensure,
    affiliations_ensure_bulk,
    id_number_hash,
)

from . import selectors
from .models import CompetitionLevel, EmploymentContract, EnterpriseRecord, RecordKind, Title
from .tasks import contracts_import_task

ADD_CONTRACT = "enterprise.add_employmentcontract"
CHANGE_CONTRACT = selectors.CHANGE_CONTRACT
ADD_RECORD = "enterprise.add_enterpriserecord"


def _enterprise_of(actor, enterprise: Organisation | None = None) -> Organisation:
    """The enterprise acting: the actor's own (the system may name one)."""
    if actor is SYSTEM:
        if enterprise is None:
            raise ValidationError(_("Name the enterprise."))
        organisation = enterprise
    else:
        organisation = getattr(actor, "organisation", None)
        if enterprise is not None and organisation is not None and enterprise != organisation:
            raise PermissionDenied
    if organisation is None or organisation.kind != OrganisationKind.ENTERPRISE:
        raise PermissionDenied
    return organisation


def _employee(actor, person: Person) -> Person:
    return get_visible_or_404(Person, actor, pk=person.pk)


def _check_contract(
    *,
    signed: date,
    years: Decimal,
    ended: date | None,
    consecutive_insured_months: int,
    insured_as_of: date,
    unemployment_insured_months: int,
) -> None:
    errors: dict[str, str] = {}
    if years <= 0:
        errors["years"] = _("The length of the contract must be more than zero years.")
    if ended is not None and ended < signed:
        errors["ended"] = _("Employment cannot end before the contract was signed.")
    if consecutive_insured_months < 0:
        errors["consecutive_insured_months"] = _("The number of months cannot be negative.")
    if unemployment_insured_months < 0:
        errors["unemployment_insured_months"] = _("The number of months cannot be negative.")
    if insured_as_of < signed and consecutive_insured_months == 0:
        errors["insured_as_of"] = _("Record the insured months on or after the signing day.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contract_record(
    *,
    actor: Actor,
    person: Person,
    signed: date,
    years: Decimal,
    consecutive_insured_months: int,
    insured_as_of: date,
    unemployment_insured_months: int = 0,
    ended: date | None = None,
    enterprise: Organisation | None = None,
) -> EmploymentContract:
    """Record an employee's labour contract (HB61-PJ-1) with the social-insurance figures as
    of a date (HB61-PJ-1's consecutive months, WH20-OBJ-1's unemployment-insurance months).
    The contract is the enterprise's own declaration and the basis of its affiliation with the
    person (the person enters its scope with the masked record only: enterprises never reveal
    full numbers). ``person`` is one found by ID number and name
    (``registry.services.person_for_declaration``)."""
    require_perm(actor, ADD_CONTRACT)
    organisation = _enterprise_of(actor, enterprise)
    years = Decimal(years)
    _check_contract(
        signed=signed,
        years=years,
        ended=ended,
        consecutive_insured_months=consecutive_insured_months,
        insured_as_of=insured_as_of,
        unemployment_insured_months=unemployment_insured_months,
    )
    if EmploymentContract.objects.filter(
        enterprise=organisation, person=person, signed=signed
    ).exists():
        raise ValidationError(_("This contract is already recorded."))
    contract = EmploymentContract.objects.create(
        enterprise=organisation,
        person=person,
        signed=signed,
        years=years,
        ended=ended,
        consecutive_insured_months=consecutive_insured_months,
        insured_as_of=insured_as_of,
        unemployment_insured_months=unemployment_insured_months,
    )
    affiliation_ensure(
        actor=actor,
        person=person,
        organisation=organisation,
        kind=AffiliationKind.EMPLOYEE,
        basis=AffiliationBasis.CONTRACT,
        since=signed,
    )
    return contract


@transaction.atomic
def contract_update(*, actor: Actor, contract: EmploymentContract, **changes) -> EmploymentContract:
    """Update a contract: its end of employment, the insured months as of a later date."""
    require_perm(actor, CHANGE_CONTRACT)
    contract = get_visible_or_404(
        EmploymentContract.objects.select_for_update(), actor, pk=contract.pk
    )
    if actor is not SYSTEM and contract.enterprise_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied
    allowed = {
        "years",
        "ended",
        "consecutive_insured_months",
        "insured_as_of",
        "unemployment_insured_months",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for name, value in changes.items():
        setattr(contract, name, Decimal(value) if name == "years" else value)
    _check_contract(
        signed=contract.signed,
        years=contract.years,
        ended=contract.ended,
        consecutive_insured_months=contract.consecutive_insured_months,
        insured_as_of=contract.insured_as_of,
        unemployment_insured_months=contract.unemployment_insured_months,
    )
    contract.save()
    return contract


def contract_columns() -> list[Column]:
    """The columns of a labour-contract list (劳动合同台账) and the header wordings HR offices
    use for them."""
    return [
        Column("name", NAME_HEADERS, pgettext_lazy("person", "Name")),
        Column("id_number", ID_NUMBER_HEADERS, gettext_lazy("ID number")),
        Column(
            "signed",
            ("合同签订日期", "签订日期", "签订时间", "劳动合同签订日期", "Signed on"),
            gettext_lazy("Signed on"),
        ),
        Column(
            "years",
            ("合同期限（年）", "合同期限(年)", "合同期限", "合同年限", "Length in years"),
            gettext_lazy("Length in years"),
        ),
        Column(
            "ended",
            ("离职日期", "解除劳动合同日期", "解除日期", "终止日期", "Employment ended on"),
            gettext_lazy("Employment ended on"),
            required=False,
        ),
        Column(
            "consecutive_insured_months",
            ("连续参保月数", "连续缴纳社保月数", "社保连续缴费月数", "Consecutive insured months"),
            gettext_lazy("Consecutive months of social insurance"),
        ),
        Column(
            "insured_as_of",
            ("参保统计截至日期", "截至日期", "统计截至", "As of"),
            gettext_lazy("As of"),
        ),
        Column(
            "unemployment_insured_months",
            ("失业保险参保月数", "失业保险缴费月数", "Unemployment insurance months"),
            gettext_lazy("Months of unemployment insurance"),
            required=False,
        ),
    ]


@dataclass(frozen=True)
class _ContractRow:
    person: Person
    signed: date
    years: Decimal
    ended: date | None
    consecutive_insured_months: int
    insured_as_of: date
    unemployment_insured_months: int


def contracts_import_run(*, actor: Actor, upload, progress=None) -> dict:
    """Read and record a labour-contract list now, all or nothing (core/imports.py): each row
    names a registered person by ID number and name; every bad row is reported with its row
    number and column, and nothing is written unless every row is good. The employees enter
    the enterprise's scope as its own ones do (HB61-PJ-1, WH20-OBJ-1)."""
    require_perm(actor, ADD_CONTRACT)
    require_perm(actor, "registry.view_person")  # exact lookup by ID number, as one at a time
    enterprise = _enterprise_of(actor)
    columns = contract_columns()
    labels = {column.key: column.name for column in columns}
    rows = read_rows(upload, columns)
    # The whole list's persons and the enterprise's contracts are read up front, in bulk.
    parsed: dict[int, object] = {}
    for number, values in rows:
        try:
            parsed[number] = parse_resident_id(values.get("id_number", ""))
        except IdentityError as exc:
            parsed[number] = exc
    persons = persons_by_id_number_hash(
        id_number_hash(r.number) for r in parsed.values() if not isinstance(r, Exception)
    )
    recorded = set(
        EmploymentContract.objects.filter(enterprise=enterprise).values_list("person_id", "signed")
    )
    seen: set[tuple[int, date]] = set()

    def day(values: dict[str, str], key: str, *, required: bool) -> date | None:
        try:
            value = parse_day(values.get(key))
        except ValueError:
            raise RowProblem(labels[key], _("Write the date as 2020-03-01.")) from None
        if value is None and required:
            raise RowProblem(labels[key], _("Give the date."))
        return value

    def whole(values: dict[str, str], key: str, *, default: int | None = None) -> int:
        text = (values.get(key) or "").strip()
        if not text and default is not None:
            return default
        if not text.isdigit():
            raise RowProblem(labels[key], _("Give a whole number of months."))
        return int(text)

    def validate(number: int, values: dict[str, str]) -> _ContractRow:
        resident = parsed[number]
        if isinstance(resident, IdentityError):
            raise RowProblem(labels["id_number"], str(resident))
        person = persons.get(id_number_hash(resident.number))
        if person is None:
            raise RowProblem(labels["id_number"], _("No person is registered with this ID number."))
        if " ".join((values.get("name") or "").split()) != person.name:
            raise RowProblem(
                labels["name"], _("The name differs from the one registered for this ID number.")
            )
        signed = day(values, "signed", required=True)
        try:
            years = Decimal((values.get("years") or "").strip())
        except ArithmeticError:
            raise RowProblem(labels["years"], _("Give the length in years, e.g. 3.")) from None
        row = _ContractRow(
            person=person,
            signed=signed,
            years=years,
            ended=day(values, "ended", required=False),
            consecutive_insured_months=whole(values, "consecutive_insured_months"),
            insured_as_of=day(values, "insured_as_of", required=True),
            unemployment_insured_months=whole(values, "unemployment_insured_months", default=0),
        )
        try:
            _check_contract(
                signed=row.signed,
                years=row.years,
                ended=row.ended,
                consecutive_insured_months=row.consecutive_insured_months,
                insured_as_of=row.insured_as_of,
                unemployment_insured_months=row.unemployment_insured_months,
            )
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise RowProblem(labels.get(field, ""), " ".join(messages)) from None
        key = (person.pk, signed)
        if key in seen:
            raise RowProblem(labels["id_number"], _("This contract is listed twice."))
        seen.add(key)
        if key in recorded:
            raise RowProblem(labels["signed"], _("This contract is already recorded."))
        return row

    def apply(checked: list[tuple[int, _ContractRow]]) -> int:
        affiliations_ensure_bulk(
            actor=actor,
            person_ids=[row.person.pk for _number, row in checked],
            organisation=enterprise,
            kind=AffiliationKind.EMPLOYEE,
            basis=AffiliationBasis.CONTRACT,
        )
        contracts = [
            EmploymentContract(enterprise=enterprise, **row.__dict__) for _number, row in checked
        ]
        return len(bulk_create_audited(contracts, EmploymentContract, actor=actor))

    recorded = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    return {"rows": len(rows), "recorded": recorded}


def contracts_import(*, actor: Actor, upload):
    """Import a labour-contract list as a background job (core/jobs.py); returns the Job."""
    require_perm(actor, ADD_CONTRACT)
    _enterprise_of(actor)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="enterprise.contracts_import",
        title=lambda filename: _("Labour contracts: %(file)s") % {"file": filename[:120]},
        task=contracts_import_task,
        default_name="contracts",
    )


@transaction.atomic
def record_add(
    *,
    actor: Actor,
    kind: str,
    person: Person,
    on: date,
    competition: str = "",
    competition_level: str = "",
    finalist: bool = False,
    title: str = "",
    months: int | None = None,
    period_start: date | None = None,
    enterprise: Organisation | None = None,
) -> EnterpriseRecord:
    """Record one program record of an employee: a competition entry (HB61-CMP-1/2), an
    apprenticeship year (HB45-APP-1, dated the year's last day), a new technician title
    (HB45-TEC-1) or months of work-for-training (HB61-WFT-1, the period ending on ``on``)."""
    require_perm(actor, ADD_RECORD)
    organisation = _enterprise_of(actor, enterprise)
    person = _employee(actor, person)
    errors: dict[str, str] = {}
    fields: dict = {}
    if kind == RecordKind.COMPETITION:
        if not competition.strip():
            errors["competition"] = _("Name the competition (HB61-CMP-1).")
        if competition_level not in CompetitionLevel.values:
            errors["competition_level"] = _("Choose the level of the competition (HB61-CMP-1).")
        fields = {
            "competition": competition.strip(),
            "competition_level": competition_level,
            "finalist": bool(finalist),
        }
    elif kind == RecordKind.APPRENTICE:
        on = date(on.year, 12, 31)
        if EnterpriseRecord.objects.filter(
            enterprise=organisation, person=person, kind=kind, date=on
        ).exists():
            errors["on"] = _("This apprenticeship year is already recorded (HB45-APP-1).")
    elif kind == RecordKind.TECHNICIAN:
        if title not in Title.values:
            errors["title"] = _("Choose the title obtained (HB45-TEC-1).")
        fields = {"title": title}
    elif kind == RecordKind.WORK_FOR_TRAINING:
        if months is None or months < 1:
            errors["months"] = _("Give at least one month (HB61-WFT-1).")
        if period_start is None or period_start > on:
            errors["period_start"] = _("The period must start on or before its end.")
        fields = {"months": months, "period_start": period_start}
    else:
        errors["kind"] = _("Unknown kind of record.")
    if errors:
        raise ValidationError(errors)
    return EnterpriseRecord.objects.create(
        kind=kind, enterprise=organisation, person=person, date=on, **fields
    )
