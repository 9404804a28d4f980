"""The poverty-alleviated roster import (GA23-OBJ-2): messy files, all or nothing, by row."""

from __future__ import annotations

import io
from datetime import date

import pytest
from conftest import make_id_number
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from upskill.core.models import Job, JobStatus
from upskill.registry.models import BankAccount, Person, PersonCategory
from upskill.registry.services import roster_import

CARD = "6228480402564890018"  # passes Luhn

HEADER = [
    "序号",
    "学员\n姓名",
    " 公民身份号码 ",
    "性 别",
    "手机号码",
    "所在乡镇",
    "户口性质",
    "人员类别",
    "银行卡号",
    "开户银行",
]


@pytest.fixture
def en(client):
    """Messages in English: in the test, and in the pages the test client asks for."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def roster(make_person):
    """The people of the roster: three new, one registered already as 王芳."""
    registered_number = make_id_number(sex="F")
    make_person(id_number=registered_number, name="王芳")
    return {
        "a": make_id_number(sex="M"),
        "b": make_id_number(sex="F"),
        "c": make_id_number(sex="M"),
        "registered": registered_number,
    }


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in text)


def _rows(ids: dict, *, fixed: bool) -> list[list]:
    return [
        [
            1,
            "张  伟",
            _full_width(ids["a"]),
            "男",
            "138 1234 5678",
            "斗湖堤镇",
            "农业",
            "脱贫人员",
            CARD,
            "中国农业银行公安支行",
        ],
        [2, " 李娜 ", f" {ids['b'].lower()} ", "女", None, "埠河镇", None, "监测户", None, None],
        [None] * 10,
        # row 7: the ID number typed into a number cell (a spreadsheet keeps 15 digits)
        [
            3,
            "刘强",
            ids["c"] if fixed else int(ids["c"][:15]),
            "男",
            None,
            "埠河",
            "农业户口",
            "贫困家庭“两后生”",
            None,
            None,
        ],
        # row 8: registered as 王芳
        [
            4,
            "王芳" if fixed else "王芬",
            ids["registered"],
            None,
            None,
            "斗湖堤镇",
            None,
            "两后生、监测户",
            None,
            None,
        ],
        ["合计", "4人", None, None, None, None, None, None, None, None],
    ]


def _xlsx(ids: dict, *, fixed: bool) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["公安县2023年脱贫人员培训花名册"])
    sheet.merge_cells("A1:J1")
    sheet.append(["填报单位：公安县乡村振兴局"])
    sheet.append(HEADER)
    for row in _rows(ids, fixed=fixed):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("脱贫人员花名册.xlsx", buffer.getvalue())


def _csv(ids: dict, *, encoding: str, township_column: bool = True) -> SimpleUploadedFile:
    lines = ["公安县2023年脱贫人员培训花名册" + "," * 9]
    header = [h.replace("\n", "") for h in HEADER]
    rows = [["" if v is None else str(v) for v in row] for row in _rows(ids, fixed=True)]
    if not township_column:
        header.pop(5)
        for row in rows:
            row.pop(5)
    lines.append(",".join(f'"{h}"' for h in header))
    lines += [",".join(f'"{v}"' for v in row) for row in rows]
    return SimpleUploadedFile("roster.csv", "\r\n".join(lines).encode(encoding))


def _counts():
    return Person.objects.count(), PersonCategory.objects.count(), BankAccount.objects.count()


def test_messy_file_is_refused_whole_with_exactly_the_bad_rows(make_user, roster, en):
    before = _counts()
    job = roster_import(
        actor=make_user("rural", "clerk"),
        upload=_xlsx(roster, fixed=False),
        source="公安县2023年脱贫人口名册",
        valid_from=date(2023, 1, 1),
    )
    assert job.status == JobStatus.FAILED
    assert [(e["row"], e["field"]) for e in job.row_errors] == [(7, "ID number"), (8, "Name")]
    assert "15 digits" in job.row_errors[0]["message"]
    assert "differs from the name registered" in job.row_errors[1]["message"]
    assert "王芳" not in job.row_errors[1]["message"]  # never says who holds the number
    assert _counts() == before
    assert not any(roster["a"] in str(value) for value in (job.result, job.error, job.message))


def test_fixed_file_is_imported(make_user, roster, en):
    clerk = make_user("rural", "clerk")
    job = roster_import(
        actor=clerk,
        upload=_xlsx(roster, fixed=True),
        source="公安县2023年脱贫人口名册",
        valid_from=date(2023, 1, 1),
    )
    assert job.status == JobStatus.DONE, job.row_errors
    assert {c["label"]: c["value"] for c in job.result["counts"]} == {
        "Rows": 4,
        "Persons registered": 3,
        "Already registered": 1,
        "Category entries recorded": 5,
        "Bank accounts recorded": 1,
    }
    zhang = Person.objects.get(name="张伟")
    assert (zhang.sex, zhang.phone, zhang.township.code, zhang.hukou) == (
        "M",
        "13812345678",
        "421022101",
        "agricultural",
    )
    assert zhang.registered_by == clerk.organisation
    assert zhang.bank_accounts.get().account_number == CARD
    assert Person.objects.get(name="刘强").township.code == "421022102"  # 埠河 → 埠河镇
    wang = Person.objects.get(name="王芳")
    assert sorted(wang.categories.values_list("category__code", flat=True)) == [
        "monitored_household",
        "two_after_graduate",
    ]
    entry = wang.categories.first()
    assert (entry.source, entry.source_organisation, entry.valid_from) == (
        "公安县2023年脱贫人口名册",
        clerk.organisation,
        date(2023, 1, 1),
    )
    # the audit trail says who imported them
    history = Person.history.get(name="张伟")
    assert history.history_user == clerk
    assert history.history_organisation == clerk.organisation
    # the bureau now sees the persons of its roster (docs/roles.md)
    from upskill.core.scoping import visible

    assert visible(Person, clerk).filter(pk=wang.pk).exists()
    # the same roster again records nothing twice
    again = roster_import(
        actor=clerk,
        upload=_xlsx(roster, fixed=True),
        source="公安县2023年脱贫人口名册",
        valid_from=date(2023, 1, 1),
    )
    assert again.status == JobStatus.DONE
    assert PersonCategory.objects.filter(source="公安县2023年脱贫人口名册").count() == 5


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_roster(make_user, roster, encoding, en):
    job = roster_import(
        actor=make_user("rural", "clerk"),
        upload=_csv(roster, encoding=encoding),
        source="名册",
        valid_from=date(2023, 1, 1),
    )
    assert job.status == JobStatus.DONE, job.row_errors
    assert job.result["counts"][1]["value"] == 3


def test_township_centre_needs_no_township_column(make_user, roster, en):
    clerk = make_user("township:421022102", "clerk")
    upload = _csv(roster, encoding="gb18030", township_column=False)
    job = roster_import(
        actor=clerk, upload=upload, source="埠河镇名册", valid_from=date(2023, 1, 1)
    )
    assert job.status == JobStatus.DONE, job.row_errors
    assert set(
        Person.objects.filter(registered_by=clerk.organisation).values_list(
            "township__code", flat=True
        )
    ) == {"421022102"}


def test_township_centre_refuses_another_township(make_user, roster, en):
    job = roster_import(
        actor=make_user("township:421022102", "clerk"),
        upload=_xlsx(roster, fixed=True),
        source="x",
        valid_from=date(2023, 1, 1),
    )
    assert job.status == JobStatus.FAILED
    assert {(e["row"], e["field"]) for e in job.row_errors} == {(4, "Township"), (8, "Township")}


def _one_row_csv(**cells) -> SimpleUploadedFile:
    row = {
        "姓名": "赵六",
        "身份证号码": make_id_number(),
        "乡镇": "斗湖堤镇",
        "人员类别": "脱贫人员",
    }
    row.update(cells)
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    return SimpleUploadedFile("r.csv", text.encode("utf-8"))


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"性别": "女"}, "Sex", "does not match the ID number"),
        ({"人员类别": "低保户"}, "Category", "Unknown category"),
        ({"乡镇": "火星镇"}, "Township", "No township"),
        ({"户籍性质": "居民"}, "Household registration", "农业"),
        ({"联系电话": "call me"}, "Phone", "7 to 15 digits"),
        ({"银行卡号": "6228480402564890017", "开户行": "农行"}, "Bank account", "存折"),
        ({"银行卡号": CARD}, "Bank", "Name the bank"),
        ({"身份证号码": "4.21022E+17"}, "ID number", "first 15 digits"),
        ({"身份证号码": "42102219750308001"}, "ID number", "18 characters"),
    ],
)
def test_bad_cells_are_explained(make_user, cells, field, words, en):
    job = roster_import(
        actor=make_user("rural", "clerk"),
        upload=_one_row_csv(**cells),
        source="x",
        valid_from=date(2023, 1, 1),
    )
    [error] = job.row_errors
    assert (error["row"], error["field"]) == (2, field)
    assert words in error["message"]


def test_passbook_is_accepted_with_its_warning(make_user, en):
    upload = _one_row_csv(
        **{"银行卡号": "10240101040012345", "开户行": "农商行", "账户类型": "存折"}
    )
    job = roster_import(
        actor=make_user("rural", "clerk"), upload=upload, source="x", valid_from=date(2023, 1, 1)
    )
    assert job.status == JobStatus.DONE, job.row_errors
    assert BankAccount.objects.get().kind == "passbook"


def test_same_number_twice_in_a_file(make_user, en):
    number = make_id_number()
    text = (
        "姓名,身份证号,乡镇,人员类别\n"
        f"赵六,{number},斗湖堤镇,脱贫人员\n"
        f"赵六,{number},斗湖堤镇,监测户\n"
    )
    job = roster_import(
        actor=make_user("rural", "clerk"),
        upload=SimpleUploadedFile("r.csv", text.encode()),
        source="x",
        valid_from=date(2023, 1, 1),
    )
    assert [(e["row"], e["field"]) for e in job.row_errors] == [(3, "ID number")]
    assert "row 2" in job.row_errors[0]["message"]


def test_the_page_uploads_and_shows_the_report(make_user, roster, client, en):
    client.force_login(make_user("rural", "clerk"))
    assert client.get("/registry/rosters/import/").status_code == 200
    response = client.post(
        "/registry/rosters/import/",
        {"file": _xlsx(roster, fixed=False), "source": "名册", "valid_from": "2023-01-01"},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-testid="row-errors"' in page and "<td>7</td>" in page and "<td>8</td>" in page


def test_a_renamed_picture_is_refused_clearly(make_user, client, en):
    client.force_login(make_user("rural", "clerk"))
    png = SimpleUploadedFile("roster.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    client.post("/registry/rosters/import/", {"file": png, "valid_from": "2023-01-01"})
    assert "not a spreadsheet" in Job.objects.get().error + str(Job.objects.get().row_errors)
    assert not Person.objects.exists()


def test_an_oversized_upload_gets_a_clear_error_and_writes_nothing(make_user, client, settings, en):
    settings.UPSKILL_UPLOAD_MAX_BYTES = 4096  # stands for a 2 GB upload
    settings.UPSKILL_IMPORT_MAX_BYTES = 1024
    client.force_login(make_user("rural", "clerk"))
    for size in (3000, 50_000):  # over the import limit; over the upload limit
        big = SimpleUploadedFile("roster.csv", b"a" * size)
        response = client.post(
            "/registry/rosters/import/", {"file": big, "valid_from": "2023-01-01"}
        )
        assert response.status_code == 200
        assert "larger than" in response.content.decode()
    assert not Job.objects.exists() and not Person.objects.exists()
    big = SimpleUploadedFile("roster.csv", b"a" * 50_000)
    response = client.post("/api/rosters/import", {"file": big, "valid_from": "2023-01-01"})
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert not Job.objects.exists()


def test_api_starts_the_job(make_user, roster, client, en):
    client.force_login(make_user("rural", "clerk"))
    response = client.post(
        "/api/rosters/import",
        {"file": _xlsx(roster, fixed=True), "source": "名册", "valid_from": "2023-01-01"},
    )
    assert response.status_code == 202, response.content
    body = client.get(response.json()["url"]).json()
    assert body["status"] == "done" and body["result"]["counts"][0]["value"] == 4


def test_roles_without_the_permission_get_403(make_user, client):
    client.force_login(make_user("gongan", "inspector"))
    assert client.get("/registry/rosters/import/").status_code == 403


def test_bulk_audit_rows_are_those_a_save_writes(make_user, world):
    """core.history.bulk_create_audited writes the history row a save() would: same values,
    same actor, the ID number encrypted."""
    from django.db import connection

    from upskill.core import crypto
    from upskill.core.actor import acting_as
    from upskill.core.history import bulk_create_audited
    from upskill.organisations.models import Region
    from upskill.registry.services import id_number_hash, person_register

    clerk = make_user("rural", "clerk")
    township = Region.objects.get(code="421022101")
    with acting_as(clerk):
        saved = person_register(
            actor=clerk,
            id_number=make_id_number(),
            name="甲",
            hukou="agricultural",
            township=township,
        )
    number = make_id_number()
    [bulk] = bulk_create_audited(
        [
            Person(
                id_number=number,
                id_number_hash=id_number_hash(number),
                id_number_masked=saved.id_number_masked,
                name="甲",
                birth_date=saved.birth_date,
                sex=saved.sex,
                county=saved.county,
                township=township,
                hukou="agricultural",
                registered_by=clerk.organisation,
            )
        ],
        Person,
        actor=clerk,
    )
    ignore = {"id", "history_id", "history_date", "id_number", "id_number_hash", "created_at"}
    a = Person.history.filter(id=saved.pk).values().get()
    b = Person.history.filter(id=bulk.pk).values().get()
    assert {k: v for k, v in a.items() if k not in ignore} == {
        k: v for k, v in b.items() if k not in ignore
    }
    assert (b["history_user_id"], b["history_organisation_id"], b["history_type"]) == (
        clerk.pk,
        clerk.organisation_id,
        "+",
    )
    assert Person.history.get(id=bulk.pk).id_number == number
    table = Person.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number FROM {table} WHERE id = %s", [bulk.pk])
        assert cursor.fetchone()[0].startswith(crypto.PREFIX + "$")


def test_the_plain_insert_path_writes_what_bulk_create_writes(make_user, world):
    """core.history.bulk_create_audited prepares each row once and inserts it itself (COPY on
    PostgreSQL, multi-row INSERT … RETURNING on SQLite); the rows and history rows are those
    of Django's bulk_create followed by the history rows, field for field."""
    from upskill.core import history
    from upskill.organisations.models import Region
    from upskill.registry.services import id_number_hash

    clerk = make_user("rural", "clerk")
    township = Region.objects.get(code="421022101")

    def person(number: str) -> Person:
        return Person(
            id_number=number,
            id_number_hash=id_number_hash(number),
            id_number_masked=number[:4] + "*" * 10 + number[-4:],
            name="乙",
            birth_date=date(1980, 2, 29),
            sex="F",
            phone="13800138000",
            county=township.parent,
            township=township,
            hukou="agricultural",
            insured_months=7,
            registered_by=clerk.organisation,
        )

    [fast] = history.bulk_create_audited([person(make_id_number())], Person, actor=clerk)
    [slow] = history._bulk_create_then_history(
        [person(make_id_number())], Person, actor=clerk, batch_size=500
    )
    assert fast.pk and slow.pk and not fast._state.adding
    accounts = [
        BankAccount(
            person=owner,
            kind="card",
            account_name="乙",
            account_number="6228480000000000001",
            bank_name="中国农业银行",
        )
        for owner in (fast, slow)
    ]
    [fast_account] = history.bulk_create_audited(accounts[:1], BankAccount, actor=clerk)
    [slow_account] = history._bulk_create_then_history(
        accounts[1:], BankAccount, actor=clerk, batch_size=500
    )

    def same(model, a, b, ignore: set[str]) -> None:
        rows = [model.objects.filter(pk=pk).values().get() for pk in (a.pk, b.pk)]
        lives = [model.history.filter(id=pk).values().get() for pk in (a.pk, b.pk)]
        for left, right in (rows, lives):
            assert {k: v for k, v in left.items() if k not in ignore} == {
                k: v for k, v in right.items() if k not in ignore
            }
        assert lives[0]["history_user_id"] == clerk.pk and lives[0]["history_type"] == "+"
        assert model.objects.get(pk=a.pk).pk == a.pk

    moments = {"id", "history_id", "history_date", "created_at", "updated_at"}
    same(Person, fast, slow, moments | {"id_number", "id_number_hash", "id_number_masked"})
    same(BankAccount, fast_account, slow_account, moments | {"person_id"})
    assert Person.objects.get(pk=fast.pk).phone == "13800138000"
    assert BankAccount.objects.get(pk=fast_account.pk).account_number == "6228480000000000001"
