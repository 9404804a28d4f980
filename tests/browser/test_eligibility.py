"""Eligibility at enrolment in the browser (GA23-OBJ-2): a roster for a poverty-alleviated
class with a person who is not on the rural revitalisation bureau's roster is refused, the page
naming the row, the rule and the missing fact; the roster without them enrols the other."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from upskill.core.scoping import SYSTEM
from upskill.registry.models import Category, PersonCategory
from upskill.registry.services import person_category_add
from upskill.training.models import Enrolment
from upskill.training.tests import factories

from .conftest import log_in


@pytest.fixture(autouse=True)
def _regions(transactional_db):
    """A transactional test's flush removes what the data migrations made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions
    from upskill.registry.categories import ensure_categories

    ensure_regions(Region)
    ensure_categories(Category)


def _roster(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["公安县2023年家政服务员脱贫人员培训班学员花名册"])
    sheet.append(["序号", "姓名", "身份证号码", "户籍性质", "联系电话"])
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page, class_pk: int, rows) -> None:
    page.goto(f"/training/classes/{class_pk}/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "花名册.xlsx", "mimeType": "application/octet-stream", "buffer": _roster(rows)}
        ],
    )
    page.click("[data-testid=import]")


def test_a_person_not_on_the_bureaus_roster_is_refused_for_a_poverty_class(
    page, world, make_user, make_person
):
    training_class = factories.make_class(world, entry="domestic", status="approved")
    make_user("inst1", "clerk", username="clerk_e")
    on_roster = make_person(name="刘强")
    entry = person_category_add(
        actor=SYSTEM,
        person=on_roster,
        category=Category.objects.get(code="poverty_alleviated"),
        source="县乡村振兴局脱贫人口名册",
        valid_from=date(2020, 1, 1),
    )
    # recorded by the bureau, as its roster import records it
    PersonCategory.objects.filter(pk=entry.pk).update(source_organisation=world["rural"])
    not_on_roster = make_person(name="黄秀英")
    rows = [["刘强", on_roster.id_number, "", ""], ["黄秀英", not_on_roster.id_number, "", ""]]

    log_in(page, "clerk_e")
    _upload(page, training_class.pk, rows)
    page.wait_for_selector("[data-testid=row-errors]")
    report = page.inner_text("[data-testid=row-errors]")
    lines = report.splitlines()[1:]
    assert [line.split("\t")[0] for line in lines] == ["4"], report
    assert "GA23-OBJ-2" in report and "缺少" in report, report
    assert Enrolment.objects.filter(training_class=training_class).count() == 0

    _upload(page, training_class.pk, rows[:1])
    page.wait_for_selector("[data-testid=job-done]")
    assert list(
        Enrolment.objects.filter(training_class=training_class).values_list(
            "person__name", flat=True
        )
    ) == ["刘强"]
