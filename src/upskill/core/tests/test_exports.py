"""Exports write user text as text (OWASP CSV injection): the one helper, both formats."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from upskill.core.exports import cell_text, csv_bytes, xlsx_bytes

# What a name, an address or an organisation's name could be made of to attack a clerk's
# spreadsheet: each must come out as text.
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "@SUM(A1)",
    "+1",
    "-1",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_starting_with_a_formula_trigger_gets_a_quote(payload):
    assert cell_text(payload) == "'" + payload


def test_other_values_are_left_as_they_are():
    assert cell_text("张伟") == "张伟"
    assert cell_text("421022********0017") == "421022********0017"
    assert cell_text("a=1") == "a=1"
    assert cell_text(Decimal("-12.50")) == Decimal("-12.50")  # a number, not text
    assert cell_text(3) == 3
    assert cell_text(date(2023, 6, 1)) == date(2023, 6, 1)
    assert cell_text(None) is None
    label = cell_text(gettext_lazy("Name"))
    assert type(label) is str and label == str(gettext_lazy("Name"))


def test_xlsx_cells_are_never_formulas_and_numbers_stay_numbers():
    rows = [[payload, Decimal("96.00"), 3] for payload in [*PAYLOADS, "#N/A"]]
    content = xlsx_bytes("t", ["=header", "Amount", "People"], rows)
    sheet = load_workbook(io.BytesIO(content)).active
    header, *body = list(sheet.iter_rows())
    assert header[0].data_type == "s" and header[0].value == "'=header"
    for cells, payload in zip(body, [*PAYLOADS, "#N/A"], strict=True):
        assert cells[0].data_type == "s"
        quote = "" if payload == "#N/A" else "'"
        # XML reads a carriage return back as a line feed
        assert cells[0].value == quote + payload.replace("\r", "\n")
        assert cells[1].data_type == "n" and cells[1].value == 96
        assert cells[2].data_type == "n" and cells[2].value == 3


def test_csv_fields_start_with_a_quote():
    content = csv_bytes(["Name", "Amount"], [[payload, Decimal("96.00")] for payload in PAYLOADS])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Name", "Amount"]
    assert [row[0] for row in rows[1:]] == ["'" + payload for payload in PAYLOADS]
    assert {row[1] for row in rows[1:]} == {"96.00"}
