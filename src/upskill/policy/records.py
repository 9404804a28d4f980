"""Reading one calculator record (the contract's RECORD) into the engine's types.

A malformed record is not an error of the call: it comes back ``invalid`` with reasons that
name the field (``"rule": "INPUT"``). Numbers arrive as ``int`` or ``Decimal`` (the JSON door
decodes floats as Decimal, so no binary rounding ever touches an amount or an hour).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stdnum.cn import ric

from .explain import Reason

PROGRAMS = (
    "employment",
    "poverty",
    "post_skill",
    "pre_job",
    "online_skill_level",
    "work_for_training",
    "competition",
    "new_technician",
    "new_apprentice",
)
CATEGORIES = (
    "poverty_alleviated",
    "employment_difficulty",
    "rural",
    "two_after_graduate",
    "monitored_household",
    "retired_fisher",
    "migrant_worker",
    "registered_unemployed",
    "zero_employment_family",
    "graduate",
)
COMPETITION_LEVELS = ("enterprise", "county", "city", "province", "national")
TITLES = ("senior_technician", "technician", "senior_worker")
LEVELS = (1, 2, 3, 4, 5)
CENT = Decimal("0.01")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REGION = re.compile(r"^\d{6}$")
_ID = re.compile(r"^\d{17}[\dXx]$")

# field → type name. The order is the contract's table order; reasons follow it.
NUMBER, INTEGER, BOOLEAN, STRING, DATE = "number", "integer", "boolean", "string", "date"
OPTIONAL_FIELDS: dict[str, str] = {
    "passed": BOOLEAN,
    "occupation": STRING,
    "level": INTEGER,
    "total_hours": NUMBER,
    "practical_hours": NUMBER,
    "attended_hours": NUMBER,
    "insured_months": INTEGER,
    "online": BOOLEAN,
    "contract_signed": DATE,
    "contract_years": NUMBER,
    "training_started": DATE,
    "consecutive_insured_months": INTEGER,
    "still_employed": BOOLEAN,
    "months": INTEGER,
    "competition_level": STRING,
    "finalist": BOOLEAN,
    "title": STRING,
    "requested_amount": NUMBER,
}
ENUMS: dict[str, tuple] = {
    "competition_level": COMPETITION_LEVELS,
    "title": TITLES,
    "level": LEVELS,
}


@dataclass(slots=True)
class Record:
    """A valid record. Hours and money are Decimal; ``requested_cents`` is the request rounded
    half-up to the fen, as every amount is."""

    index: int
    id: str
    person_id: str  # upper-case X
    region: str
    date: date
    program: str
    categories: frozenset[str]
    passed: bool = False
    occupation: str | None = None
    level: int | None = None
    total_hours: Decimal | None = None
    practical_hours: Decimal | None = None
    attended_hours: Decimal | None = None
    insured_months: int | None = None
    online: bool = False
    contract_signed: date | None = None
    contract_years: Decimal | None = None
    training_started: date | None = None
    consecutive_insured_months: int | None = None
    still_employed: bool | None = None
    months: int | None = None
    competition_level: str | None = None
    finalist: bool = False
    title: str | None = None
    requested_amount: Decimal | None = None


_NUMBER_TYPES = (int, Decimal, float)


def _is_number(value: Any) -> bool:
    # bool is an int in Python but never a JSON number
    return type(value) in _NUMBER_TYPES and _finite(value)


def _is_integer(value: Any) -> bool:
    # JSON has one number type: 3.0 is the integer 3 (as in JSON Schema).
    kind = type(value)
    if kind is int:
        return True
    if kind is Decimal or kind is float:
        return _finite(value) and value == int(value)
    return False


def _finite(value: Any) -> bool:
    kind = type(value)
    if kind is Decimal:
        return value.is_finite()
    if kind is float:
        return math.isfinite(value)
    return True


@functools.lru_cache(maxsize=65_536)
def _real_date(text: str) -> date | None:
    """A real date written YYYY-MM-DD (cached: a call repeats the same few hundred dates)."""
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=262_144)
def check_id_number(number: str) -> tuple[str, date | None]:
    """("ok", birth date) or (problem code, None) for an upper-cased ID number. GB 11643's
    ISO 7064 MOD 11-2 check character comes from python-stdnum; cached because a batch holds
    several records of one person."""
    if not _ID.match(number):
        return "input.id_format", None
    if ric.calc_check_digit(number) != number[-1]:
        return "input.id_check", None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "input.id_birth", None
    return "ok", born


def read_record(raw: Any, index: int) -> tuple[Record | None, list[Reason]]:
    """Validate one record; return it in engine types, or None and the reasons it is invalid."""
    reasons: list[Reason] = []

    def bad(code: str, field: str, **figures: Any) -> None:
        reasons.append(Reason(code, "INPUT", {"field": field, **figures}))

    if not isinstance(raw, dict):
        bad("input.not_object", "record")
        return None, reasons

    values: dict[str, Any] = {}
    # Required strings.
    for field in ("id", "person_id", "region", "date", "program"):
        value = raw.get(field)
        if value is None:
            bad("input.missing", field)
        elif not isinstance(value, str):
            bad("input.type", field, expected=STRING)
        else:
            values[field] = value

    person_id = values.get("person_id")
    record_date = None
    if "date" in values:
        record_date = _real_date(values["date"])
        if record_date is None:
            bad("input.date", "date", value=values["date"])
    if person_id is not None:
        person_id = person_id.upper()
        problem, born = check_id_number(person_id)
        if problem != "ok":
            bad(problem, "person_id")
        elif record_date is not None and born > record_date:
            bad("input.id_born_after", "person_id", born=born, date=record_date)
    if "region" in values and not _REGION.match(values["region"]):
        bad("input.region", "region", value=values["region"])
    if "program" in values and values["program"] not in PROGRAMS:
        bad("input.enum", "program", value=values["program"])

    categories: list[str] = []
    raw_categories = raw.get("categories")
    if raw_categories is not None:
        if not isinstance(raw_categories, list):
            bad("input.type", "categories", expected="list")
        else:
            for item in raw_categories:
                if not isinstance(item, str):
                    bad("input.type", "categories", expected=STRING)
                elif item not in CATEGORIES:
                    bad("input.enum", "categories", value=item)
                else:
                    categories.append(item)

    optional: dict[str, Any] = {}
    for field, value in raw.items():
        kind = OPTIONAL_FIELDS.get(field)
        if kind is None or value is None:
            continue
        if kind == BOOLEAN:
            if not isinstance(value, bool):
                bad("input.type", field, expected=kind)
                continue
        elif kind == STRING:
            if not isinstance(value, str):
                bad("input.type", field, expected=kind)
                continue
        elif kind == DATE:
            if not isinstance(value, str):
                bad("input.type", field, expected=kind)
                continue
            parsed = _real_date(value)
            if parsed is None:
                bad("input.date", field, value=value)
                continue
            value = parsed
        elif kind == INTEGER:
            if not _is_integer(value):
                bad("input.type", field, expected=kind)
                continue
            value = int(value)
            if value < 0:
                bad("input.negative", field, value=value)
                continue
        elif kind == NUMBER:
            if not _is_number(value):
                bad("input.type", field, expected=kind)
                continue
            value = value if type(value) is Decimal else Decimal(str(value))
            if value < 0:
                bad("input.negative", field, value=value)
                continue
        if field in ENUMS and value not in ENUMS[field]:
            bad("input.enum", field, value=value)
            continue
        optional[field] = value

    if reasons:
        return None, reasons
    return (
        Record(
            index=index,
            id=values["id"],
            person_id=person_id,
            region=values["region"],
            date=record_date,
            program=values["program"],
            categories=frozenset(categories),
            **optional,
        ),
        [],
    )


def cents(amount: Decimal) -> int:
    """Yuan → fen, half up (四舍五入), the one rounding every amount goes through."""
    return int((amount / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))
