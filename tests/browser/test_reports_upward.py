"""The half-year report upward (HB45-RPT-1): the county bureau generates it as of 30 June, watches
the background job, and downloads it as Excel and as PDF from the list of reports; the files
are read back (openpyxl, pdftotext) and their figures checked against the records."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import log_in

SHOTS = os.environ.get("UPSKILL_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test's flush removes what the data migrations made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions
    from upskill.registry.categories import ensure_categories
    from upskill.registry.models import Category

    ensure_regions(Region)
    ensure_categories(Category)


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_the_county_downloads_the_half_year_report_as_excel_and_pdf(
    page, world, make_user, make_person
):
    from upskill.organisations.models import Region
    from upskill.reports import services
    from upskill.reports.tests.factories import gongan_targets, records

    targets = gongan_targets(world)
    services.target_split_save(
        actor=make_user("gongan", "admin"),
        target=targets["total"],
        shares={
            Region.objects.get(code="421022101"): 6_000,
            Region.objects.get(code="421022102"): 4_000,
        },
        confirm=True,
    )
    records(world, make_person, n=3)  # 斗湖堤镇, finished in May
    records(world, make_person, township="421022102", n=2)  # 埠河镇, finished in May
    records(  # finished in September: after the half-year's as-of date
        world, make_person, n=4, start=date(2023, 9, 4), end=date(2023, 9, 15)
    )
    records(world, make_person, township="421022102", n=1, finish=False)  # still running
    make_user("gongan", "admin", username="bureau")
    log_in(page, "bureau")

    page.goto("/reports/upward/")
    form = page.get_by_test_id("upward-form")
    form.locator("select[name=kind]").select_option("half_year")
    form.locator("input[name=year]").fill("2023")
    form.locator("input[name=as_of]").fill("2023-06-30")
    _shot(page, "upward-form")
    form.get_by_role("button", name="生成").click()
    expect(page.get_by_test_id("job-done")).to_be_visible()
    expect(page.get_by_test_id("job-done")).to_contain_text("半年工作进度")
    page.get_by_role("button", name="打开上报材料").click()
    row = page.locator("[data-testid=upward-reports] tbody tr").first
    expect(row).to_contain_text("2023-06-30")
    expect(row).to_contain_text("公安县")
    _shot(page, "upward-list")

    with page.expect_download() as download:
        row.get_by_test_id("upward-xlsx").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    summary = [list(r) for r in workbook["概况"].iter_rows(values_only=True)]
    total_line = next(r for r in summary if r and r[0] == "补贴性职业技能培训")
    # target 10,000; started 5 + 1 running = 6; completed by 30 June: the five May records
    assert total_line[1:4] == [10_000, 6, 5]
    regions = {r[0]: r for r in workbook["按地区"].iter_rows(min_row=2, values_only=True)}
    assert regions["斗湖堤镇"][1] == 6_000 and regions["斗湖堤镇"][3] == 3
    assert regions["埠河镇"][1] == 4_000 and regions["埠河镇"][3] == 2

    with page.expect_download() as download:
        row.get_by_test_id("upward-pdf").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF back")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "公安县 2023 半年工作进度" in text and "2023-06-30" in text
    line = next(t for t in text.splitlines() if t.strip().startswith("补贴性职业技能培训"))
    assert line.split()[1:4] == ["10,000", "6", "5"]
    assert "斗湖堤镇" in text and "6,000" in text
