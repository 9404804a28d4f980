"""The catalogue download writes names as text, never as formulas (OWASP)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region

from .. import services
from ..models import CatalogKind


def test_catalog_export_writes_formula_like_names_as_text(world, client):
    catalog = services.catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.OCCUPATIONS,
        region=Region.objects.get(code="420000"),
        year=2024,
    )
    services.occupation_set(
        actor=SYSTEM, catalog=catalog, name="=1+1", level=4, price=Decimal("1500")
    )
    services.occupation_set(
        actor=SYSTEM, catalog=catalog, name="-2+3", level=5, price=Decimal("1200")
    )
    services.catalog_publish(actor=SYSTEM, catalog=catalog)
    response = client.get(f"/catalog/{catalog.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert {"'=1+1", "'-2+3"} <= {cell.value for cell in cells}
    assert not any(cell.data_type == "f" for cell in cells)
    assert any(cell.value == 1200 and cell.data_type == "n" for cell in cells)
