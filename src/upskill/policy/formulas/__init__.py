"""One module of formulas per kind of program; each rule is a small pure function of one
record and the parameters in force for its region and date (docs/calculator.md, docs/policy.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..explain import Item, Reason
from ..parameters import ParameterSet, Version
from ..records import Record
from ..rules import ITEM_KINDS


@dataclass(slots=True)
class Outcome:
    items: list[Item] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    rejected: bool = False

    def pay(self, rule: str, cents: int, code: str, **figures: Any) -> None:
        """An item of ``rule``: its kind and payee are the rule's (``rules.TABLE``)."""
        kind, payee = ITEM_KINDS[rule]
        self.items.append(Item(rule, kind, payee, cents, code, figures))

    def note(self, code: str, rule: str, **figures: Any) -> None:
        self.reasons.append(Reason(code, rule, figures))

    def reject(self, code: str, rule: str, **figures: Any) -> None:
        self.rejected = True
        self.note(code, rule, **figures)

    def not_in_force(self, rule: str, record: Record) -> None:
        self.note("not_in_force", rule, region=record.region, date=record.date)


Lookup = Callable[[str], Version | None]


def lookup_for(params: ParameterSet, record: Record) -> Lookup:
    """The parameters in force for the record's region and date, by name."""
    return params.view(record.region, record.date).get


def anniversary(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
