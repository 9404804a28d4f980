"""The class roster export writes trainees' names as text, never as formulas (OWASP)."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook


def test_roster_export_writes_formula_like_names_as_text(client, make_user, make_class, enrol):
    training_class = make_class(status="approved")
    enrol(training_class, 1, name='=HYPERLINK("http://x","y")')
    enrol(training_class, 1, name="@SUM(A1)")
    client.force_login(make_user("inst1", "clerk"))
    response = client.get(reverse("training:roster_export", args=[training_class.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert names == {'\'=HYPERLINK("http://x","y")', "'@SUM(A1)"}
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    # the attended hours stay a number a spreadsheet can sum
    assert all(row[6].data_type == "n" for row in sheet.iter_rows(min_row=2))
