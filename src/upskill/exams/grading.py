"""The arithmetic of the online exam (WH20-EXM-1), pure: which original options a displayed
choice means, whether it is right (a multiple-choice question all or nothing) and the points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal


def original_options(order: Sequence[int], choice: Iterable[int]) -> list[int]:
    """The original option indexes of the displayed positions chosen (sorted, once each)."""
    return sorted({order[position] for position in choice})


def is_correct(key: Iterable[int], order: Sequence[int], choice: Iterable[int]) -> bool:
    """Right when the options chosen are exactly the key: a multiple-choice question with one
    option missing or one too many earns nothing; no choice is wrong."""
    chosen = original_options(order, choice)
    return bool(chosen) and chosen == sorted(set(key))


def awarded(key: Iterable[int], order: Sequence[int], choice: Iterable[int], points: Decimal):
    return points if is_correct(key, order, choice) else Decimal(0)


def passed(score: Decimal, pass_mark: Decimal) -> bool:
    return score >= pass_mark
