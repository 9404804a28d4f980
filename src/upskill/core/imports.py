"""The one import mechanism: spreadsheets in, all or nothing, every problem reported by row.

Rosters arrive as .xlsx or .csv made by hand in county and township offices, and they are
messy: a merged title row above the header (公安县2023年脱贫人员培训花名册), header wording
that varies between offices (身份证号 / 身份证号码 / 公民身份号码), line breaks and stray spaces
inside headers and cells, full-width digits, blank rows, total rows (合计), and ID numbers typed
as numbers, which Excel keeps to 15 significant digits.

:func:`read_rows` reads what can be read unambiguously and refuses the file (not a spreadsheet,
too large, a required column missing) with a clear message. :func:`run_import` validates every
row, collects every problem of every row, and writes nothing unless there are none; the
:class:`ImportRejected` error carries the whole report (row, column, message).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .import_report import ImportRejected, RowError, RowProblem, RowProblems, max_problems

T = TypeVar("T")

# Rows whose first filled cell starts with one of these words are totals, not persons.
TOTAL_WORDS = ("合计", "总计", "小计", "共计")
# How far down the sheet the header row may be (title rows, notes, a blank line…).
HEADER_SEARCH_ROWS = 30
# Excel stores numbers as IEEE doubles and shows at most 15 significant digits: anything longer
# typed into a number cell has lost its last digits.
EXCEL_DIGITS = 15
# Progress is reported after at most this many rows.
PROGRESS_EVERY = 200
# An .xlsx is a zip: a real workbook has a few dozen parts, and its XML compresses perhaps
# 5 to 30 times. More parts, or one large part compressed beyond this ratio, is a zip bomb
# (a 400 KB file that opens into 400 MB), refused before anything decompresses it.
MAX_ZIP_ENTRIES = 10_000
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024  # small parts (styles, an empty sheet) may compress any amount
# The sheet XML is scanned for its rows in pieces of this size (never whole in memory).
SCAN_CHUNK = 1024 * 1024

CUT_NUMBER_MESSAGE = gettext_lazy(
    "The spreadsheet stored this number as a number and kept only its first 15 digits, so the "
    "rest of it is lost. Format the column as text, type the number again in full, and upload "
    "the file again."
)


@dataclass(frozen=True)
class Column:
    """A column an import reads: its key in the row dict and the header wordings accepted."""

    key: str
    headers: tuple[str, ...]
    label: str = ""
    required: bool = True

    @property
    def name(self) -> str:
        return str(self.label or self.headers[0])


class CutNumber(str):
    """The text of a number cell that Excel cut to 15 significant digits (see :func:`is_cut`).
    It holds the digits Excel kept; validators refuse it with :data:`CUT_NUMBER_MESSAGE`."""

    cut = True


def is_cut(value: object) -> bool:
    """True for a cell that was a number too long for a spreadsheet to keep exactly."""
    return isinstance(value, CutNumber)


def max_bytes() -> int:
    return int(getattr(settings, "UPSKILL_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def max_uncompressed_bytes() -> int:
    """The most an .xlsx may hold once unzipped (its parts' declared sizes summed)."""
    return int(getattr(settings, "UPSKILL_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024))


def max_rows() -> int:
    """The most rows a file may have (title, header and blank rows included)."""
    return int(getattr(settings, "UPSKILL_IMPORT_MAX_ROWS", 200_000))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def rows_message(rows: int) -> ImportRejected:
    return ImportRejected.file(
        _(
            "The file has %(rows)s rows; an import accepts at most %(limit)s. Split the roster "
            "into several files."
        )
        % {"rows": f"{rows:,}", "limit": f"{max_rows():,}"}
    )


def size_message(size: int | None = None) -> str:
    limit = max_bytes() / (1024 * 1024)
    return _(
        "The file is larger than %(limit)s MB, the most an import accepts. Split the roster "
        "into several files, or remove pictures and other sheets from it."
    ) % {"limit": f"{limit:g}"}


# --- cells ------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Full-width to half-width (NFKC), line breaks and runs of spaces to one space, trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_day(value: object) -> date | None:
    """A date as offices write it: 2020-03-01, 2020/3/1, 2020.3.1, 2020年3月1日, 20200301, or
    a spreadsheet date cell (read as 2020-03-01). Empty: None. Anything else raises
    ValueError (a day-month order is never guessed)."""
    text = clean_text(value)
    if not text:
        return None
    text = text.split(" ", 1)[0] if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text
    match = _DAY.match(text)
    if match is None and re.fullmatch(r"\d{8}", text):
        match = re.match(r"(\d{4})(\d{2})(\d{2})", text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def _number_text(value: int | float | Decimal) -> str:
    """A number cell back into the digits a person typed, without '.0' or an exponent."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value != value:  # NaN
        return ""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value():
        digits = str(abs(int(number)))
        if len(digits) > EXCEL_DIGITS:
            # Excel kept 15 significant digits: report the ones it kept, flagged as cut.
            kept = f"{abs(float(number)):.{EXCEL_DIGITS - 1}e}".split("e")[0].replace(".", "")
            return CutNumber(kept)
        return ("-" if number < 0 else "") + digits
    text = format(number.normalize(), "f")
    return text


_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE]\+?\d+$")


def _csv_cell(value: str) -> str:
    text = clean_text(value)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        # "4.21022E+17": a CSV saved by Excel from a number cell; the digits are gone.
        mantissa = text.replace(" ", "").lower().split("e")[0].lstrip("+-")
        return CutNumber(mantissa.replace(".", ""))
    return text


def _xlsx_cell(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return clean_text(value)


def _header_key(text: object) -> str:
    """How headers are compared: no spaces or line breaks, no required-field star, no note in
    brackets, case-insensitive: "身份证号码\\n（必填）*" and "身份证号码" are the same."""
    header = unicodedata.normalize("NFKC", str(text or ""))
    header = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", header)
    header = _SPACES.sub("", header).strip("*:：")
    return header.casefold()


# --- files ------------------------------------------------------------------------------------


def _open_bytes(upload) -> tuple[bytes, str]:
    """The file's bytes and name, refusing anything over the limit before reading it all."""
    limit = max_bytes()
    name = ""
    if isinstance(upload, str | os.PathLike):
        path = Path(upload)
        name = path.name
        if path.stat().st_size > limit:
            raise ImportRejected.file(size_message())
        return path.read_bytes(), name
    name = str(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ImportRejected.file(size_message())
    handle: BinaryIO = upload
    if hasattr(upload, "open") and getattr(upload, "closed", False):
        upload.open("rb")
    if hasattr(handle, "seek"):
        handle.seek(0)
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise ImportRejected.file(size_message())
    return bytes(data), name


def _not_a_spreadsheet() -> ImportRejected:
    return ImportRejected.file(
        _(
            "This file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) or "
            "a CSV file (.csv)."
        )
    )


# A sheet's rows: ``<row …>`` (``<rowBreaks>`` is the only other element starting so), or
# ``<x:row …>`` from tools that prefix the namespace.
_PREFIXED_ROW_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s>/]")


def _rows_in(piece: bytes, end: int) -> int:
    """How many row elements start in piece[:end] (counted in C; the regex only for a
    prefixed sheet)."""
    rows = piece.count(b"<row", 0, end) - piece.count(b"<rowBreaks", 0, end)
    if piece.find(b":row", 0, end) >= 0:
        rows += len(_PREFIXED_ROW_TAG.findall(piece, 0, end))
    return rows


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb before the reader decompresses anything: too many parts, more than
    UPSKILL_IMPORT_MAX_UNCOMPRESSED_BYTES unzipped (the declared sizes; Python's zipfile
    never returns more than a part declares), a large part compressed beyond
    MAX_COMPRESSION_RATIO; then count the sheets' rows (``<row`` elements, streamed in
    pieces; the sheet's ``<dimension>`` is not trusted) against UPSKILL_IMPORT_MAX_ROWS."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_spreadsheet() from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ImportRejected.file(
            _(
                "The workbook is made of %(n)s parts; a spreadsheet has far fewer (an import "
                "accepts at most %(limit)s). Save the roster as a new workbook and upload that."
            )
            % {"n": f"{len(entries):,}", "limit": f"{MAX_ZIP_ENTRIES:,}"}
        )
    total = sum(entry.file_size for entry in entries)
    limit = max_uncompressed_bytes()
    if total > limit:
        raise ImportRejected.file(
            _(
                "Unpacked, the workbook would take %(size)s MB; an import accepts at most "
                "%(limit)s MB. Split the roster into several files, or remove pictures and "
                "other sheets from it."
            )
            % {"size": _megabytes(total), "limit": _megabytes(limit)}
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise ImportRejected.file(
                _(
                    "A part of the workbook is compressed %(ratio)s times over (a spreadsheet "
                    "is compressed at most %(limit)s times): the file is refused as a "
                    "possible zip bomb."
                )
                % {"ratio": f"{ratio:,.0f}", "limit": MAX_COMPRESSION_RATIO}
            )
    rows = 0
    for entry in entries:
        name = entry.filename.lower()
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        try:
            with archive.open(entry) as sheet:
                tail = b""
                while chunk := sheet.read(SCAN_CHUNK):
                    piece = tail + chunk
                    # a tag cut by the piece's end is counted with the next piece: keep what
                    # follows the last "<" of the piece's end (a row tag never holds a "<")
                    boundary = piece.rfind(b"<", max(0, len(piece) - 64))
                    if boundary < 0:
                        boundary = len(piece)
                    rows += _rows_in(piece, boundary)
                    tail = piece[boundary:]
                rows += _rows_in(tail, len(tail))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise _not_a_spreadsheet() from None
    if rows > max_rows():
        raise rows_message(rows)


def _sheets_of_xlsx(data: bytes) -> list[tuple[str, Iterable[Sequence[object]]]]:
    """The worksheets of a workbook, read with calamine (Rust; about 9× faster than openpyxl's
    read-only mode on a 100,000-row roster). Only after the archive's declared sizes and row
    count have been checked (:func:`_check_archive`): calamine holds a sheet in memory."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    _check_archive(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # a chart sheet, a macro sheet
            sheet = workbook.get_sheet_by_name(meta.name)
            # iter_rows keeps the empty rows above the data, so row numbers are the sheet's own
            sheets.append((meta.name, ([_xlsx_cell(v) for v in row] for row in sheet.iter_rows())))
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _not_a_spreadsheet() from None
    return sheets


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if b"\x00" in data[:4096]:
        # UTF-16 (some "Unicode text" exports) has NULs everywhere; binary files too.
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        raise _not_a_spreadsheet()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312: what Excel on a Chinese Windows writes.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise _not_a_spreadsheet() from None


def _sheets_of_csv(data: bytes) -> list[tuple[str, Iterable[Sequence[object]]]]:
    text = _decode_csv(data)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text[:4096]):
        raise _not_a_spreadsheet()
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    limit = max_rows()
    raw: list[list[str]] = []
    counted = 0
    try:
        for row in reader:
            counted += 1
            if counted <= limit:  # past the limit, rows are only counted for the message
                raw.append(row)
    except csv.Error:
        raise _not_a_spreadsheet() from None
    if counted > limit:
        raise rows_message(counted)  # before any cell is cleaned
    return [("", [[_csv_cell(cell) for cell in row] for row in raw])]


def _sheets(data: bytes, name: str) -> list[tuple[str, Iterable[Sequence[object]]]]:
    if data.startswith(b"PK\x03\x04"):
        return _sheets_of_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected.file(
            _(
                "This is an old Excel file (.xls). Open it in Excel or WPS, save it as an Excel "
                "workbook (.xlsx) and upload that."
            )
        )
    if not data.strip():
        raise ImportRejected.file(_("The file is empty."))
    return _sheets_of_csv(data)


# --- rows -------------------------------------------------------------------------------------


def _match_header(
    cells: Sequence[object], columns: Sequence[Column]
) -> tuple[dict[str, int], list[str]]:
    """Which cell holds which column; and the columns named twice."""
    wanted = {_header_key(h): column for column in columns for h in column.headers}
    found: dict[str, int] = {}
    twice: list[str] = []
    for index, cell in enumerate(cells):
        column = wanted.get(_header_key(cell))
        if column is None:
            continue
        if column.key in found:
            twice.append(column.name)
        else:
            found[column.key] = index
    return found, twice


def _is_subheader(cells: Sequence[object], header: dict[str, int], columns) -> bool:
    """The row under the header holds headings, not data: it names a column the header row
    did not, and the required columns are empty in it."""
    found, _twice = _match_header(cells, columns)
    if not set(found) - set(header):
        return False
    required = [column.key for column in columns if column.required]
    return not any(header[key] < len(cells) and str(cells[header[key]]).strip() for key in required)


def _is_total(values: Sequence[str]) -> bool:
    for value in values:
        text = value.replace(" ", "")
        if text:
            return text.startswith(TOTAL_WORDS)
    return False


def read_rows(upload, columns: Sequence[Column]) -> list[tuple[int, dict[str, str]]]:
    """An uploaded .xlsx or .csv (a Django UploadedFile, a path or a binary file object) into
    (row_number, {key: cleaned text}) pairs. Finds the header row below merged title rows,
    maps varying header wordings, skips blank rows and total rows (合计/总计/小计), normalises
    cells (stray and full-width spaces stripped, full-width digits/letters made half-width,
    numbers Excel stored as numbers turned back into digit strings without '.0' or exponent).
    Raises ImportRejected for a file that is too large (settings.UPSKILL_IMPORT_MAX_BYTES),
    is not a readable spreadsheet, or lacks a required column.

    A number cell longer than Excel's 15 significant digits comes back as a :class:`CutNumber`
    holding the digits Excel kept, so the caller can refuse it clearly (:func:`is_cut`)."""
    data, name = _open_bytes(upload)
    required = [column for column in columns if column.required]
    best: tuple[int, list[str]] | None = None  # (columns matched, columns missing)
    for _title, rows in _sheets(data, name):
        iterator = iter(rows)
        header: dict[str, int] | None = None
        header_row = 0
        for number, cells in enumerate(iterator, start=1):
            if number > HEADER_SEARCH_ROWS:
                break
            found, twice = _match_header(cells, columns)
            if not found:
                continue
            missing = [column.name for column in required if column.key not in found]
            if twice and not missing:
                raise ImportRejected(
                    [
                        RowError(
                            row=number,
                            field=name_,
                            message=_("Two columns have this heading: keep only one."),
                        )
                        for name_ in twice
                    ]
                )
            if not missing:
                header, header_row = found, number
                break
            if best is None or len(found) > best[0]:
                best = (len(found), missing)
        if header is None:
            continue
        result: list[tuple[int, dict[str, str]]] = []
        limit = max_rows()
        for number, cells in enumerate(iterator, start=header_row + 1):
            if number > limit:
                # the rows were counted before reading; a sheet stored elsewhere in the
                # workbook is still stopped here, before its rows are all held
                raise rows_message(number)
            if number == header_row + 1 and _is_subheader(cells, header, columns):
                # a two-level header (银行信息 above 卡号 | 开户行): the second row names more
                for key, index in _match_header(cells, columns)[0].items():
                    header.setdefault(key, index)
                continue
            values = {
                key: (cells[index] if index < len(cells) else "") for key, index in header.items()
            }
            if not any(values.values()):
                continue  # a blank row, or a numbered template row nobody filled in
            if _is_total([*(str(c) for c in cells if c)]):
                continue
            for column in columns:
                values.setdefault(column.key, "")
            result.append((number, values))
        if not result:
            raise ImportRejected.file(_("The file has a header row but no rows of data."))
        return result
    if best is None:
        expected = ", ".join(f"“{column.headers[0]}”" for column in required) or "—"
        raise ImportRejected.file(
            _(
                "No header row was found in the first %(n)d rows. The file needs a row of "
                "column headings such as %(expected)s."
            )
            % {"n": HEADER_SEARCH_ROWS, "expected": expected}
        )
    raise ImportRejected(
        [
            RowError(
                row=0,
                field=missing,
                message=_("This column is missing: the file needs a column headed “%(h)s”.")
                % {"h": next(c.headers[0] for c in columns if c.name == missing)},
            )
            for missing in best[1]
        ]
    )


def run_import(
    *,
    rows: Sequence[tuple[int, dict[str, str]]],
    validate: Callable[[int, dict[str, str]], T],
    apply: Callable[[list[tuple[int, T]]], Any],
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """All-or-nothing: validate(row_number, values) -> T for every row (raising RowProblem or a
    Django ValidationError for that row); collect every problem of every row; if any, raise
    ImportRejected(errors) having written nothing; else call apply([(row_number, T), ...])
    inside one transaction.atomic() and return its result. progress(done, total) is called
    as rows are validated and applied (for the background job's progress bar)."""
    total = len(rows)
    keep = max_problems()
    errors: list[RowError] = []
    found = 0  # every problem is counted; the first ``keep`` are stored (a row bomb's report
    # of 300,000 problems would be 60 MB)
    checked: list[tuple[int, T]] = []
    for done, (number, values) in enumerate(rows, start=1):
        row_errors: list[RowError] = []
        try:
            result = validate(number, values)
        except RowProblems as problems:
            row_errors = [
                RowError(row=number, field=problem.field, message=problem.message)
                for problem in problems.problems
            ]
        except RowProblem as problem:
            row_errors = [RowError(row=number, field=problem.field, message=problem.message)]
        except ValidationError as exc:
            row_errors = _validation_errors(number, exc)
        else:
            if not found:  # once a row is bad nothing is written: stop holding the good ones
                checked.append((number, result))
        if row_errors:
            found += len(row_errors)
            checked = []
            errors.extend(row_errors[: max(0, keep - len(errors))])
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    if found:
        raise ImportRejected(errors, total=found)
    with transaction.atomic():
        result = apply(checked)
    if progress is not None:
        progress(total, total)
    return result


def _validation_errors(number: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(row=number, field="" if field == "__all__" else field, message=message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(row=number, field="", message=message) for message in exc.messages]
