"""What the rule columns of every family are written with: codes that travel as small
integers, and the expressions that choose a code or a rule."""

from __future__ import annotations

import polars as pl

c = pl.col

# hours and contract years travel as integers of micro-units
MICRO = 1_000_000


# Codes ("code|rule[|field]", rule ids, statuses) travel as small integers, which Polars moves
# far faster than strings; CODES[i] reads one back.
CODES: list[str] = []
_CODE_IDS: dict[str, int] = {}
CODE = pl.UInt16


def code_id(text: str) -> int:
    if text not in _CODE_IDS:
        _CODE_IDS[text] = len(CODES)
        CODES.append(text)
    return _CODE_IDS[text]


def _lit(text: str) -> pl.Expr:
    return pl.lit(code_id(text), dtype=CODE)


def _when_code(cond: pl.Expr, code: str) -> pl.Expr:
    return pl.when(cond).then(_lit(code)).otherwise(None)


# A rule that depends on the record: (condition, rule if true, rule if false).
RuleChoice = tuple[pl.Expr, str, str]


def _rule(choice: RuleChoice) -> pl.Expr:
    cond, if_true, if_false = choice
    return pl.when(cond).then(_lit(if_true)).otherwise(_lit(if_false))


def _reason(code: str, choice: RuleChoice) -> pl.Expr:
    cond, if_true, if_false = choice
    return _rule((cond, f"{code}|{if_true}", f"{code}|{if_false}"))


def _anniversary(day: pl.Expr, years: pl.Expr) -> pl.Expr:
    """formulas.anniversary in columns: the same day ``years`` later, 29 February → 28."""
    year = day.dt.year().cast(pl.Int64) + years
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    feb29 = (day.dt.month() == 2) & (day.dt.day() == 29) & ~leap
    return pl.date(year, day.dt.month(), pl.when(feb29).then(28).otherwise(day.dt.day()))


def _ceiling(requested: pl.Expr, maximum: pl.Expr) -> pl.Expr:
    return (
        pl.when(requested.is_null()).then(maximum).otherwise(pl.min_horizontal(requested, maximum))
    )
