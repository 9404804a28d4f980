"""The program families of the batch path, read from the formulas modules (each module writes
its family's scalar formulas and batch columns side by side: ``formulas.Family``)."""

from __future__ import annotations

from ..engine import FAMILIES

REASON_SLOTS = max(len(family.reasons) for family in FAMILIES)
ITEM_SLOTS = max(len(family.items) for family in FAMILIES)

__all__ = ["FAMILIES", "ITEM_SLOTS", "REASON_SLOTS"]
