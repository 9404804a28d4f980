"""The bank file (Excel and CSV) and the public disclosure download write names as text, never
as formulas (OWASP): an account holder or an institution named ``=1+1`` stays text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from upskill.core.scoping import SYSTEM
from upskill.subsidies import services

from . import factories

HOSTILE = '=HYPERLINK("http://x","y")'


def _hostile_batch(world, make_person):
    batch = factories.organiser_batch(world, make_person)
    services.payee_account_set(
        actor=SYSTEM,
        organisation=world["inst1"],
        account_name=HOSTILE,
        account_number="42050110010000000123",
        bank_name="@SUM(A1)",
    )
    return batch


def test_bank_file_csv_quotes_formula_like_names(world, make_person):
    batch = _hostile_batch(world, make_person)
    content, _name = services.batch_export(actor=SYSTEM, batch=batch, fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    (row,) = rows[1:]
    assert row[1] == "'" + HOSTILE and row[3] == "'@SUM(A1)"
    assert row[2] == "42050110010000000123" and row[5] == "1200.00"


def test_bank_file_xlsx_writes_formula_like_names_as_text(world, make_person):
    batch = _hostile_batch(world, make_person)
    content, _name = services.batch_export(actor=SYSTEM, batch=batch, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    (cells,) = sheet.iter_rows(min_row=2)
    assert cells[1].value == "'" + HOSTILE and cells[1].data_type == "s"
    assert cells[3].value == "'@SUM(A1)" and cells[3].data_type == "s"
    assert cells[2].data_type == "s"  # the account number is text, all its digits kept
    assert cells[5].data_type == "n" and cells[5].value == Decimal("1200")


def test_disclosure_download_writes_formula_like_names_as_text(world, make_person, client):
    batch = factories.organiser_batch(world, make_person)
    content, _name = services.batch_export(actor=SYSTEM, batch=batch, fmt="csv")
    reference = content.decode("utf-8-sig").splitlines()[1].split(",")[0]
    answer = io.BytesIO(f"Reference,Status\n{reference},paid\n".encode())
    answer.name = "r.csv"
    services.batch_results_import(actor=SYSTEM, batch=batch, upload=answer)
    institution = world["inst1"]
    institution.name = "=1+1"
    institution.save()
    year = batch.entries.first().at.year
    response = client.get(f"/subsidies/disclosure.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == "'=1+1" and cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for cell in cells)
    assert any(cell.value == 1200 and cell.data_type == "n" for cell in cells)
