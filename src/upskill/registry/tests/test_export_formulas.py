"""The persons export writes names and addresses as text, never as formulas (OWASP)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

NAMES = ['=HYPERLINK("http://x","y")', "=1+1", "@SUM(A1)", "+1", "-1"]


def test_person_export_writes_formula_like_names_as_text(client, make_user, make_person):
    for name in NAMES:
        make_person(township_code="421022101", name=name)
    client.force_login(make_user("gongan", "reviewer"))
    response = client.get("/registry/persons/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert set(names) == {"'" + name for name in NAMES}
    assert all(cell.data_type == "s" for cell in names.values())
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
