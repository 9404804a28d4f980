"""Zip bombs and row bombs (security item 7): refused before the heavy work, and a refused
import's report is capped and paged (page and API never answer an unbounded body)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from upskill.core.imports import Column, ImportRejected, RowProblem, read_rows, run_import
from upskill.core.jobs import job_start

from .sample_tasks import many_problems_task

COLUMNS = [
    Column("name", ("姓名",), "Name"),
    Column("id_number", ("身份证号码",), "ID number"),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _workbook_bytes(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号码"])
    for index in range(rows):
        sheet.append([f"人{index}", "42102219750308001X"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(data: bytes, write_sheet) -> bytes:
    """The workbook ``data`` with its first sheet's XML replaced by what write_sheet writes
    (streamed into the zip, so the test never holds the expanded sheet)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename == "xl/worksheets/sheet1.xml":
                with target.open(entry.filename, "w", force_zip64=True) as handle:
                    write_sheet(handle)
            else:
                target.writestr(entry, source.read(entry.filename))
    return out.getvalue()


def _spaces(megabytes: int):
    def write(handle) -> None:
        handle.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"</sheetData></worksheet>")

    return write


def test_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _with_sheet(_workbook_bytes(1), _spaces(210))
    assert len(bomb) < 1024 * 1024  # a small file that unzips past 200 MB
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(ImportRejected) as refused:
        read_rows(SimpleUploadedFile("roster.xlsx", bomb), COLUMNS)
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    [error] = refused.value.errors
    assert "200 MB" in error.message and "210" in error.message
    assert elapsed < 2 and peak < 20 * 1024 * 1024  # nothing was decompressed


def test_a_part_compressed_beyond_any_spreadsheet_is_refused():
    bomb = _with_sheet(_workbook_bytes(1), _spaces(3))  # 3 MB of spaces: about 1000:1
    with pytest.raises(ImportRejected) as refused:
        read_rows(SimpleUploadedFile("roster.xlsx", bomb), COLUMNS)
    assert "zip bomb" in refused.value.errors[0].message


def test_rows_of_an_xlsx_are_counted_before_openpyxl_reads_it(settings, monkeypatch):
    settings.UPSKILL_IMPORT_MAX_ROWS = 50
    upload = SimpleUploadedFile("roster.xlsx", _workbook_bytes(60))

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(ImportRejected) as refused:
        read_rows(upload, COLUMNS)
    [error] = refused.value.errors
    assert "61 rows" in error.message and "at most 50" in error.message


def test_row_tags_split_across_read_pieces_are_counted_once(settings, monkeypatch):
    # the sheet is scanned a few bytes at a time: no tag cut by a piece is lost or counted twice
    monkeypatch.setattr("upskill.core.imports.SCAN_CHUNK", 7)
    settings.UPSKILL_IMPORT_MAX_ROWS = 40
    with pytest.raises(ImportRejected) as refused:
        read_rows(SimpleUploadedFile("roster.xlsx", _workbook_bytes(40)), COLUMNS)
    assert "41 rows" in refused.value.errors[0].message
    settings.UPSKILL_IMPORT_MAX_ROWS = 41
    assert len(read_rows(SimpleUploadedFile("roster.xlsx", _workbook_bytes(40)), COLUMNS)) == 40


def test_rows_of_a_csv_are_counted_while_read(settings):
    settings.UPSKILL_IMPORT_MAX_ROWS = 100
    lines = ["姓名,身份证号码"] + [f"人{i},42102219750308001X" for i in range(150)]
    upload = SimpleUploadedFile("roster.csv", "\n".join(lines).encode())
    with pytest.raises(ImportRejected) as refused:
        read_rows(upload, COLUMNS)
    assert "151 rows" in refused.value.errors[0].message
    assert "at most 100" in refused.value.errors[0].message


def test_the_limits_are_translated(settings):
    settings.UPSKILL_IMPORT_MAX_ROWS = 10
    upload = SimpleUploadedFile("roster.csv", "\n".join(["姓名,身份证号码"] * 20).encode())
    with translation.override("zh-hans"), pytest.raises(ImportRejected) as refused:
        read_rows(upload, COLUMNS)
    assert "20" in refused.value.errors[0].message
    assert "rows" not in refused.value.errors[0].message


def test_a_refused_import_keeps_the_first_problems_and_counts_them_all():
    def bad(row, values):
        raise RowProblem("姓名", f"bad {row}")

    with pytest.raises(ImportRejected) as refused:
        run_import(rows=[(r, {}) for r in range(2, 3002)], validate=bad, apply=lambda c: None)
    assert len(refused.value.errors) == 1000 and refused.value.total == 3000
    assert refused.value.errors[0].row == 2 and refused.value.errors[-1].row == 1001
    assert "3000 problem" in str(refused.value)


def test_job_page_and_api_page_the_problems(make_user, client, settings):
    settings.UPSKILL_IMPORT_MAX_PROBLEMS = 250
    user = make_user("rural", "clerk")
    job = job_start(actor=user, kind="test.many", task=many_problems_task, n=400)
    assert len(job.row_errors) == 250 and job.row_errors_total == 400
    client.force_login(user)

    body = client.get(f"/api/jobs/{job.pk}").json()
    assert len(body["row_errors"]) == 100 and body["row_errors"][0]["row"] == 2
    assert (body["row_errors_total"], body["row_errors_kept"]) == (400, 250)
    assert (body["page"], body["pages"], body["page_size"]) == (1, 3, 100)
    assert body["result"]["errors"] == body["row_errors"]  # the old field: the same page
    last = client.get(f"/api/jobs/{job.pk}?page=3").json()
    assert [e["row"] for e in last["row_errors"]] == list(range(202, 252))

    page = client.get(f"/jobs/{job.pk}/?page=2").content.decode()
    assert page.count("<tr><td>") == 100 and "<td>102</td>" in page and "<td>101</td>" not in page
    assert 'data-testid="row-errors-capped"' in page and "400" in page
    assert "?page=3" in page


def test_rows_written_with_a_namespace_prefix_are_counted(settings):
    # some tools write <x:row>; page breaks (<rowBreaks>) and closing tags are not rows
    settings.UPSKILL_IMPORT_MAX_ROWS = 2

    def write(handle) -> None:
        handle.write(b'<x:worksheet xmlns:x="urn:x"><x:sheetData>')
        for number in range(1, 4):
            handle.write(b'<x:row r="%d"><x:c r="A%d"/></x:row>' % (number, number))
        handle.write(b"</x:sheetData><rowBreaks/></x:worksheet>")

    bomb = _with_sheet(_workbook_bytes(1), write)
    with pytest.raises(ImportRejected) as refused:
        read_rows(SimpleUploadedFile("roster.xlsx", bomb), COLUMNS)
    assert "3 rows" in refused.value.errors[0].message
