"""The labour-contract list (劳动合同台账) import: messy spreadsheets read, every bad row
reported by row and column, nothing written until the file is clean (core/imports.py)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook

from upskill.core.imports import ImportRejected
from upskill.core.models import Job
from upskill.core.scoping import visible
from upskill.enterprise import services
from upskill.enterprise.models import EmploymentContract
from upskill.registry.models import Person

pytestmark = pytest.mark.django_db

HEADER = ("序号", "姓名", "公民身份号码", "签订日期", "合同期限(年)", "离职日期", "连续参保月数",
          "截至日期", "失业保险参保月数")  # fmt: skip


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["武汉江城精密机械有限公司2020年新招用职工劳动合同台账"])  # a merged title row
    sheet.append(list(HEADER))
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append(["合计", "", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "劳动合同台账.xlsx"
    return buffer


def test_every_bad_row_is_reported_then_the_fixed_list_is_recorded(
    hr, make_person, id_number, world
):
    wang = make_person(name="王强")  # registered, not yet an employee
    li = make_person(name="李敏")
    unregistered = id_number()
    good_wang = ("王强", wang.id_number, date(2020, 3, 2), 3, None, 6, "2020-09-30", 6)
    rows = [
        good_wang,
        ("李敏", li.id_number, "2020/3/2", 3, "2020年10月8日", 7, "2020.10.8", ""),
        ("赵六", unregistered, "2020-03-02", 3, None, 6, "2020-09-30", 0),
        ("李明", li.id_number, "2020-04-01", 1, None, 6, "2020-09-30", 0),
        ("王强", wang.id_number, "3/2/2020", 3, None, 6, "2020-09-30", 0),
        ("王强", wang.id_number, "2020-05-06", 0, None, 6, "2020-09-30", 0),
        good_wang,
    ]
    with pytest.raises(ImportRejected) as rejected:
        services.contracts_import_run(actor=hr, upload=_xlsx(rows))
    report = {(e.row, e.field, e.message) for e in rejected.value.errors}
    assert report == {
        (5, "ID number", "No person is registered with this ID number."),
        (6, "Name", "The name differs from the one registered for this ID number."),
        (7, "Signed on", "Write the date as 2020-03-01."),
        (8, "Length in years", "The length of the contract must be more than zero years."),
        (9, "ID number", "This contract is listed twice."),
    }
    assert not EmploymentContract.objects.exists()  # all or nothing
    assert not visible(Person, hr).filter(pk=wang.pk).exists()

    counts = services.contracts_import_run(actor=hr, upload=_xlsx(rows[:2]))
    assert counts == {"rows": 2, "recorded": 2}
    contract = EmploymentContract.objects.get(person=li)
    assert contract.signed == date(2020, 3, 2) and contract.ended == date(2020, 10, 8)
    assert contract.years == Decimal(3) and not contract.still_employed
    assert contract.insured_as_of == date(2020, 10, 8)
    assert EmploymentContract.objects.get(person=wang).unemployment_insured_months == 6
    # the employees are the enterprise's now; the same list again is refused row by row
    assert set(visible(Person, hr).filter(pk__in=[wang.pk, li.pk])) == {wang, li}
    with pytest.raises(ImportRejected) as again:
        services.contracts_import_run(actor=hr, upload=_xlsx(rows[:1]))
    assert [(e.row, e.message) for e in again.value.errors] == [
        (3, "This contract is already recorded.")
    ]


def test_the_list_is_imported_from_the_page_as_a_background_job(client, hr, make_person, make_user):
    zhou = make_person(name="周敏")
    client.force_login(hr)
    assert 'data-testid="import-contracts"' in client.get("/enterprise/").content.decode()
    upload = _xlsx([("周敏", zhou.id_number, "2020-06-01", 2, None, 4, "2020-10-31", 4)])
    response = client.post("/enterprise/contracts/import/", {"file": upload})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.get(kind="enterprise.contracts_import")
    assert job.status == "done" and job.result["counts"][1]["value"] == 1
    assert client.get(response["Location"]).status_code == 200
    assert EmploymentContract.objects.get(person=zhou).years == 2
    assert not Path(settings.MEDIA_ROOT, "imports").exists() or not any(
        Path(settings.MEDIA_ROOT, "imports").iterdir()
    )  # the stored upload (full ID numbers) is gone
    # only an enterprise's HR clerk imports contracts
    client.force_login(make_user("wuhan", "reviewer"))
    assert client.post("/enterprise/contracts/import/", {"file": _xlsx([])}).status_code == 403
