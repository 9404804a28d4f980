"""The batch path: the same rules vectorised over a columnar table (Polars), for settling a
county or a province at once. Results are identical to the scalar path's (a hypothesis test
compares them): status, items (rule, amount in fen) and reason codes with their rule ids.

Exact arithmetic without floats: hours and contract years are integers of micro-units, money
is integer fen, shares are compared as integer fractions. Parameters are looked up once per
distinct (region, date) of the table and joined. The caps (``HB45-CAP-1``) are sequential per
person: every person whose records cannot conflict (no repeated occupation and level, no year
over the cap, no earlier history) is settled in vectorised form; only the others, and every
person whose work-for-training months may add up (``HB61-WFT-1``, counted per person in all),
go through the same sequential function the scalar path uses (:func:`engine.cap_decisions`).

One module per seam: ``frames`` (the input table and the parameters joined), ``families`` (the
program families; each family's rule columns are written beside its scalar formulas, in
``formulas/classroom.py``, ``online.py`` and ``enterprise.py``), ``caps``, ``evaluate`` (the
whole table), ``output`` (a result row read back).
"""

from __future__ import annotations

from ..rules import ITEM_KINDS  # rule → (kind, payee): the settlement reads it here
from ._common import CODE, CODES, MICRO, code_id
from .evaluate import evaluate_frame
from .families import FAMILIES, ITEM_SLOTS, REASON_SLOTS
from .frames import (
    SCHEMA,
    frame_from_records,
    parameter_frame,
    training_standard_frame,
)
from .output import reason_key, row_lists

__all__ = [
    "CODE",
    "CODES",
    "FAMILIES",
    "ITEM_KINDS",
    "ITEM_SLOTS",
    "MICRO",
    "REASON_SLOTS",
    "SCHEMA",
    "code_id",
    "evaluate_frame",
    "frame_from_records",
    "parameter_frame",
    "reason_key",
    "row_lists",
    "training_standard_frame",
]
