"""What an import reports: one problem (:class:`RowError`), the exceptions a row's check raises
(:class:`RowProblem`, :class:`RowProblems`) and the refusal of a whole file
(:class:`ImportRejected`), which keeps at most ``UPSKILL_IMPORT_MAX_PROBLEMS`` problems and
counts them all. Split from ``core/imports.py``, which re-exports every name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _


def max_problems() -> int:
    """How many problems a refused import keeps (the rest are counted, not stored)."""
    return int(getattr(settings, "UPSKILL_IMPORT_MAX_PROBLEMS", 1000))


@dataclass(frozen=True)
class RowError:
    """One problem: the row as the spreadsheet numbers it, the column label ("" for the whole
    row or file) and what is wrong."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": str(self.field), "message": str(self.message)}


class RowProblem(Exception):
    """Raised by a ``validate`` callback: this row is wrong in this column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = str(field)
        self.message = str(message)


class RowProblems(Exception):
    """Raised by a ``validate`` callback: this row has several problems (each a
    :class:`RowProblem`), all reported."""

    def __init__(self, problems: Iterable[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


class ImportRejected(Exception):
    """Nothing was written; ``errors`` says why, row by row: the first
    ``UPSKILL_IMPORT_MAX_PROBLEMS`` problems, and ``total`` counts them all."""

    def __init__(self, errors: Iterable[RowError], total: int | None = None) -> None:
        ordered = sorted(errors, key=lambda e: (e.row, str(e.field)))
        self.errors: list[RowError] = ordered[: max_problems()]
        self.total: int = max(total or 0, len(ordered))
        super().__init__(
            _("The file was refused, nothing was imported: %(n)d problem(s).") % {"n": self.total}
        )

    @classmethod
    def file(cls, message: str) -> ImportRejected:
        """The whole file is refused (row 0: not a row of the sheet)."""
        return cls([RowError(row=0, field="", message=str(message))])

    def as_list(self) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self.errors]
