"""One module of formulas per family of programs; each rule is a small pure function of one
record and the parameters in force for its region and date (docs/calculator.md, docs/policy.md).

Beside its scalar formulas, each module writes the same rules as columns of the batch path
(Polars expressions over the whole table, integers only) and declares them in a
:class:`Family`: the engine and the batch path read the families, so a rule is changed in one
module (docs/howto.md, "A rule of the policy")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..explain import Item, Reason
from ..parameters import ParameterSet, Version
from ..records import Record
from ..rules import ITEM_KINDS

if TYPE_CHECKING:
    import polars as pl


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
Formula = Callable[[Record, Lookup, Outcome], None]


@dataclass(frozen=True)
class Family:
    """A family of programs, in both paths. ``formulas``: program → scalar formula.
    ``columns``: the same rules as batch columns over the family's rows, with the parameters
    joined as named here (``amounts`` in fen, ``counts`` as integers, ``shares`` as
    ``<column>_num``/``<column>_den``, ``flags`` true where a version is in force, ``tables``
    as ``<column>_<key>`` in fen for each key of the parameter and ``<column>_on``). The
    columns it leaves: ``rejected`` (refused before the caps), ``reasons`` (in the scalar
    path's order) and ``items`` ((rule, fen) column pairs)."""

    formulas: dict[str, Formula]
    columns: Callable[[pl.LazyFrame], pl.LazyFrame]
    rejected: str
    reasons: tuple[str, ...]
    items: tuple[tuple[str, str], ...]
    amounts: dict[str, str] = field(default_factory=dict)
    counts: dict[str, str] = field(default_factory=dict)
    shares: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)

    @property
    def programs(self) -> list[str]:
        return list(self.formulas)


def lookup_for(params: ParameterSet, record: Record) -> Lookup:
    """The parameters in force for the record's region and date, by name."""
    return params.view(record.region, record.date).get


def anniversary(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
