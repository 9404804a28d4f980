"""Exports: Excel (openpyxl, write-only so large exports stream row by row) and CSV.

Every cell of every export goes through ``cell_text``: a name, an address or any other text a
user typed is written as text, never as a formula (OWASP "CSV injection"). A person registered
as ``=HYPERLINK("http://x","y")`` must not become a live link in a clerk's spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: =, +, -, @, tab,
# carriage return). The full-width forms are added because an East Asian Excel converts them
# to their ASCII forms when it reads a cell; no name, address or catalogue entry starts with one.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cell_text(value):
    """The value to write into an export cell. Text starting with a formula trigger gets a
    leading single quote, as OWASP recommends, so Excel, WPS and LibreOffice show it as text
    (also after the file is saved again as CSV); other text is returned as it is. Numbers,
    Decimals, dates and booleans are not text and stay as they are, so an amount stays a number
    a spreadsheet can sum."""
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _xlsx_cell(sheet, value):
    """Text always becomes a string cell. openpyxl stores text as a string unless it starts with
    "=" (a formula: cell_text has quoted it) or is an error literal such as "#N/A", which is
    forced to a string here; plain values are passed as they are, which keeps a 10,000-row
    export as fast as before."""
    value = cell_text(value)
    if isinstance(value, str) and value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(sheet_title: str, header: Sequence, rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    sheet.append([_xlsx_cell(sheet, str(h)) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_sheets_bytes(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """A workbook of several sheets, each a title and its rows (the first row a header, or a
    title line), every cell written as :func:`xlsx_bytes` writes it (text as text)."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheet_title: str, header: Sequence, rows: Iterable[Sequence]):
    response = HttpResponse(
        xlsx_bytes(sheet_title, header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response_logged(
    request, *, description, name: str, sheet_title: str, header: Sequence, rows: list[Sequence]
):
    """An Excel download of records about persons: written to the access log first (who, what,
    how many rows, from where; ``description`` a ``core.stored_text``), then the workbook
    ``<name>-<today>.xlsx``."""
    from django.utils import timezone

    from .models import AccessAction
    from .services import access_log_record

    access_log_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        description=description,
        row_count=len(rows),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    return xlsx_response(f"{name}-{timezone.localdate():%Y%m%d}.xlsx", sheet_title, header, rows)


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads the names right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell_text(str(h)) for h in header])
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")
