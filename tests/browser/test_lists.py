"""List journeys (issue 15.3, 15.7): the county bureau filters the persons list, exports the
filtered list (a background job with its progress page) and downloads the file when it is
ready; then corrects a mistyped ID number."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from upskill.registry.models import Person

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


def test_filter_export_download_and_correct_an_id_number(page, make_user, make_person):
    from conftest import make_id_number

    for name in ["张三", "张四", "李五"]:
        make_person(name=name, township_code="421022101")
    make_person(name="张六", township_code="421022102")
    make_user("gongan", "admin", username="bureau")
    log_in(page, "bureau")

    page.goto("/registry/persons/")
    expect(page.get_by_test_id("list-count")).to_contain_text("4")
    page.get_by_test_id("list-search").fill("张")
    expect(page.locator("[data-testid=person-rows] tbody tr")).to_have_count(3)
    township = Person.objects.get(name="张六").township
    page.get_by_test_id("list-filter-township").select_option(str(township.pk))
    expect(page.locator("[data-testid=person-rows] tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("list-count")).to_contain_text("1")
    _shot(page, "persons-filtered")

    page.get_by_test_id("list-export").get_by_role("button").click()
    expect(page.get_by_test_id("job-done")).to_be_visible()
    _shot(page, "export-job")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Excel 文件").click()
    # the downloaded file has no extension: openpyxl reads the bytes
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["张六"]

    person = Person.objects.get(name="李五")
    page.goto(f"/registry/persons/{person.pk}/")
    page.get_by_test_id("correct-id").click()
    right = make_id_number(sex="F")
    page.fill("input[name=id_number]", right)
    page.fill("textarea[name=reason]", "登记时录错一位")
    _shot(page, "correct-id")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("身份证号码已更正")
    person.refresh_from_db()
    assert person.id_number == right and person.sex == "F"
