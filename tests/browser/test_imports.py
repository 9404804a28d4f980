"""Import journeys: the rural revitalisation bureau uploads a roster, reads the report of the
bad rows, uploads the corrected file; a running job's progress bar updates by itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from upskill.core.models import Job, JobStatus
from upskill.registry.models import Person
from upskill.registry.tests.test_roster_import import _xlsx

from .conftest import log_in


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test's flush removes what the data migrations made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions
    from upskill.registry.categories import ensure_categories
    from upskill.registry.models import Category

    ensure_regions(Region)
    ensure_categories(Category)


def _upload(page, tmp_path, upload, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(upload.read())
    page.goto("/registry/rosters/import/")
    page.fill("input[name=source]", "公安县2023年脱贫人口名册")
    page.fill("input[name=valid_from]", "2023-01-01")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('检查并导入')")


def test_rural_bureau_imports_a_roster(page, make_user, make_person, tmp_path):
    from conftest import make_id_number

    make_user("rural", "clerk", username="rural_r")
    registered = make_id_number(sex="F")
    make_person(id_number=registered, name="王芳")
    ids = {
        "a": make_id_number(sex="M"),
        "b": make_id_number(sex="F"),
        "c": make_id_number(sex="M"),
        "registered": registered,
    }
    log_in(page, "rural_r")
    page.click("[data-testid=main-nav] >> text=导入名册")
    _upload(page, tmp_path, _xlsx(ids, fixed=False), "bad.xlsx")
    page.wait_for_selector("[data-testid=row-errors]")
    rows = page.locator("[data-testid=row-errors] tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in rows] == ["7", "8"]
    assert Person.objects.count() == 1

    _upload(page, tmp_path, _xlsx(ids, fixed=True), "good.xlsx")
    page.wait_for_selector("[data-testid=job-done]")
    assert Person.objects.count() == 4


def test_progress_bar_follows_a_running_job(page, make_user):
    user = make_user("rural", "clerk", username="rural_p")
    job = Job.objects.create(
        kind="test",
        title="名册导入",
        status=JobStatus.RUNNING,
        done=10,
        total=100,
        organisation=user.organisation,
        created_by=user,
    )
    log_in(page, "rural_p")
    page.goto(f"/jobs/{job.pk}/")
    assert page.get_attribute("progress", "value") == "10"
    Job.objects.filter(pk=job.pk).update(done=60)
    # a locator assertion, not wait_for_function: the page's policy refuses eval
    expect(page.locator("progress")).to_have_attribute("value", "60")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, done=100, result={"summary": "完成 100 行"}
    )
    page.wait_for_selector("[data-testid=job-done]")
    assert "完成 100 行" in page.inner_text("[data-testid=job-done]")
