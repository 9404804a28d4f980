"""Reading a result row back: its status, items and reason keys."""

from __future__ import annotations

from ._common import CODES
from .families import ITEM_SLOTS, REASON_SLOTS


def row_lists(row: dict) -> tuple[str, list[tuple[str, int]], list[str]]:
    """A result row as (status, [(rule, fen)], [reason keys]) — for comparing and for reading."""
    items = [
        (CODES[row[f"item{k + 1}_rule"]], row[f"item{k + 1}_cents"])
        for k in range(ITEM_SLOTS)
        if row[f"item{k + 1}_rule"] is not None
    ]
    reasons = [
        CODES[row[f"reason{k + 1}"]]
        for k in range(REASON_SLOTS)
        if row[f"reason{k + 1}"] is not None
    ]
    return CODES[row["status"]], items, reasons


def reason_key(code: str, rule: str, figures: dict) -> str:
    """The batch path's form of a scalar reason, for comparing the two."""
    key = f"{code}|{rule}"
    return f"{key}|{figures['field']}" if code == "pj.missing" else key
