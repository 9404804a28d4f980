"""The scalar engine: records in, outcomes out, one record at a time, then the caps.

Each record goes through its program's formulas (small pure functions of the record and the
parameters in force for its region and date); then ``HB45-CAP-1`` is applied across the
records of each person, taken in order of date and then input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .explain import Item, Reason
from .formulas import Outcome, classroom, enterprise, lookup_for, online
from .parameters import ParameterSet
from .records import Record

# The program families (each module holds a family's scalar formulas and its batch columns).
FAMILIES = (classroom.FAMILY, online.FAMILY, enterprise.PRE_JOB, enterprise.FAMILY)
PROGRAM_FORMULAS = {
    program: formula for family in FAMILIES for program, formula in family.formulas.items()
}

ACCEPTED, REJECTED, INVALID = "accepted", "rejected", "invalid"


@dataclass(frozen=True, slots=True)
class PriorTraining:
    """A training of the person already subsidised (inside the product: from the database),
    counted by the caps as an earlier accepted record."""

    person_id: str
    date: date
    occupation: str | None = None
    level: int | None = None
    id: str = ""
    months: int = 0  # HB61-WFT-1: months of work-for-training paid on it (0 for other programs)


@dataclass(slots=True)
class Result:
    id: object
    status: str
    items: list[Item] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        return sum(item.cents for item in self.items)


def evaluate_record(record: Record, params: ParameterSet) -> Outcome:
    """The program's formulas for one valid record, before the caps."""
    outcome = Outcome()
    PROGRAM_FORMULAS[record.program](record, lookup_for(params, record), outcome)
    return outcome


@dataclass(frozen=True, slots=True)
class CapCandidate:
    """What the caps need of a record not refused by another rule."""

    person_id: str
    date: date
    index: int
    occupation: str | None
    level: int | None
    cap: int | None  # the parameter caps.trainings_per_year in force for its region and date
    id: str = ""
    wft_months: int | None = None  # HB61-WFT-1: months claimed, where the record pays them
    wft_max: int | None = None  # work_for_training.max_months in force (None: no limit)


@dataclass(frozen=True, slots=True)
class MonthsUsed:
    """HB61-WFT-1 per person: a work-for-training record paid fewer months because the person's
    earlier accepted records (``earlier``: their ids) already used ``used`` of ``maximum``."""

    paid: int
    used: int
    maximum: int
    earlier: tuple[str, ...]


def refusal_rule(code: str) -> str:
    """The rule of a refusal decided in the caps' order."""
    return "HB61-WFT-1" if code.startswith("wft.") else "HB45-CAP-1"


def cap_decisions(
    candidates: Iterable[CapCandidate],
    history: Iterable[PriorTraining] = (),
    months_used: dict[int, MonthsUsed] | None = None,
) -> dict[int, tuple[str, dict]]:
    """The sequential rules, shared by the scalar and batch paths: records taken by person,
    date, then input order. HB61-WFT-1 (changed 2026-12-02): at most ``wft_max`` months of
    work-for-training per person in all, counted on earlier accepted records and history; a
    record with no month left is refused before the caps (so it does not count towards them),
    one with some left pays those (filled into ``months_used``). HB45-CAP-1: the same
    occupation and level is subsidised once ever; at most ``cap`` accepted records in a
    calendar year. Returns {index: (code, figures)} for the refused ones; rejected records
    never count."""
    seen: dict[tuple[str, str, int], tuple[date, str]] = {}
    per_year: dict[tuple[str, int], int] = {}
    wft_used: dict[str, int] = {}
    wft_from: dict[str, list[str]] = {}
    for prior in history:
        if prior.months:
            wft_used[prior.person_id] = wft_used.get(prior.person_id, 0) + prior.months
            wft_from.setdefault(prior.person_id, []).append(prior.id)
        if prior.occupation is not None and prior.level is not None:
            seen.setdefault(
                (prior.person_id, prior.occupation, prior.level), (prior.date, prior.id)
            )
        key = (prior.person_id, prior.date.year)
        per_year[key] = per_year.get(key, 0) + 1
    refused: dict[int, tuple[str, dict]] = {}
    for c in sorted(candidates, key=lambda c: (c.person_id, c.date, c.index)):
        used = wft_used.get(c.person_id, 0)
        wft_paid = None
        if c.wft_months is not None:
            left = None if c.wft_max is None else c.wft_max - used
            if left is not None and left <= 0:
                refused[c.index] = (
                    "wft.exhausted",
                    {
                        "used": used,
                        "max_months": c.wft_max,
                        "earlier": ", ".join(wft_from.get(c.person_id, ())),
                    },
                )
                continue
            wft_paid = c.wft_months if left is None else min(c.wft_months, left)
        repeat_key = (
            (c.person_id, c.occupation, c.level)
            if c.occupation is not None and c.level is not None
            else None
        )
        if repeat_key is not None and repeat_key in seen:
            earlier_date, earlier_id = seen[repeat_key]
            refused[c.index] = (
                "cap.repeat",
                {
                    "occupation": c.occupation,
                    "level": c.level,
                    "earlier_date": earlier_date,
                    "earlier_id": earlier_id,
                },
            )
            continue
        year_key = (c.person_id, c.date.year)
        count = per_year.get(year_key, 0)
        if c.cap is not None and count >= c.cap:
            refused[c.index] = ("cap.year", {"year": c.date.year, "count": count, "max": c.cap})
            continue
        per_year[year_key] = count + 1
        if repeat_key is not None:
            seen[repeat_key] = (c.date, c.id)
        if wft_paid is not None:
            if used and c.wft_max is not None and months_used is not None:
                months_used[c.index] = MonthsUsed(
                    wft_paid, used, c.wft_max, tuple(wft_from[c.person_id])
                )
            wft_used[c.person_id] = used + wft_paid
            wft_from.setdefault(c.person_id, []).append(c.id)
    return refused


def apply_caps(
    candidates: Sequence[tuple[Record, Outcome]],
    params: ParameterSet,
    history: Iterable[PriorTraining] = (),
) -> None:
    """HB61-WFT-1 per person and HB45-CAP-1 over the records not refused by another rule
    (scalar path)."""
    caps = {}
    entries = []
    wft_items = {}
    for record, outcome in candidates:
        cap = params.lookup("caps.trainings_per_year", record.region, record.date)
        caps[record.index] = cap
        wft = next((i for i in outcome.items if i.rule == "HB61-WFT-1"), None)
        wft_max = None
        if wft is not None:
            wft_items[record.index] = wft
            wft_max = params.value("work_for_training.max_months", record.region, record.date)
        entries.append(
            CapCandidate(
                record.person_id,
                record.date,
                record.index,
                record.occupation,
                record.level,
                None if cap is None else cap.value,
                record.id,
                None if wft is None else wft.figures["months"],
                wft_max,
            )
        )
    used: dict[int, MonthsUsed] = {}
    refused = cap_decisions(entries, history, used)
    for record, outcome in candidates:
        if record.index in refused:
            code, figures = refused[record.index]
            rule = refusal_rule(code)
            ref = caps[record.index]
            if rule == "HB61-WFT-1":
                ref = params.lookup("work_for_training.max_months", record.region, record.date)
            _cap_reject(outcome, code, rule, ref, **figures)
        elif record.index in used:
            _pay_months_left(outcome, wft_items[record.index], used[record.index])


def _pay_months_left(outcome: Outcome, item: Item, months: MonthsUsed) -> None:
    # HB61-WFT-1 per person: the months left after the earlier records, and which they were.
    rate = item.figures["rate_cents"]
    figures = {
        **item.figures,
        "paid_months": months.paid,
        "used": months.used,
        "max_months": months.maximum,
        "earlier": ", ".join(months.earlier),
        "amount_cents": months.paid * rate,
    }
    position = outcome.items.index(item)
    outcome.items[position] = Item(
        item.rule, item.kind, item.payee, months.paid * rate, "wft.item_left", figures
    )


def _cap_reject(outcome: Outcome, code: str, rule: str, version, **figures) -> None:
    # A refused record pays nothing: the refusal is its one reason.
    outcome.items.clear()
    outcome.rejected = True
    if version is not None:
        figures["ref"] = version.reference
    outcome.reasons[:] = [Reason(code, rule, figures)]


def evaluate_records(
    raw_records: Sequence[object],
    params: ParameterSet,
    history: Iterable[PriorTraining] = (),
) -> list[Result]:
    """Every raw record (dicts as in docs/calculator.md) to a Result, in input order."""
    from .records import read_record

    results: list[Result] = []
    candidates: list[tuple[Record, Outcome]] = []
    for index, raw in enumerate(raw_records):
        record, problems = read_record(raw, index)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if record is None:
            results.append(Result(raw_id, INVALID, [], problems))
            continue
        outcome = evaluate_record(record, params)
        results.append(Result(record.id, ACCEPTED, outcome.items, outcome.reasons))
        if not outcome.rejected:
            candidates.append((record, outcome))
        else:
            results[-1].status = REJECTED
            results[-1].items = []
    apply_caps(candidates, params, history)
    for record, outcome in candidates:
        result = results[record.index]
        result.items, result.reasons = outcome.items, outcome.reasons
        if outcome.rejected:
            result.status = REJECTED
    return results
