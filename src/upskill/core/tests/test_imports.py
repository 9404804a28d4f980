"""The one import mechanism (core/imports.py): messy spreadsheets read, all or nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from upskill.core.imports import (
    Column,
    ImportRejected,
    RowProblem,
    is_cut,
    read_rows,
    run_import,
)

COLUMNS = [
    Column("name", ("姓名", "学员姓名"), "Name"),
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码"), "ID number"),
    Column("phone", ("联系电话", "手机号码"), "Phone", required=False),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _xlsx(rows: list[list], merge_title: bool = True) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge_title:
        sheet.merge_cells("A1:D1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def test_xlsx_title_rows_synonyms_blank_and_total_rows():
    upload = _xlsx(
        [
            ["公安县2023年脱贫人员培训花名册"],
            [],
            ["序号", " 学员\n姓名 ", "公民身份\n号码（必填）", "手机号码"],
            [1, " 张  三 ", "４２１０２２１９７５０３０８００１Ｘ", 13812345678],
            [2, None, None, None],  # a numbered template row nobody filled in
            [None, None, None, None],
            [3, "李四", 421022750308001, "138 1234 5679"],
            ["合 计", "2人", None, None],
        ]
    )
    rows = read_rows(upload, COLUMNS)
    assert rows == [
        (4, {"name": "张 三", "id_number": "42102219750308001X", "phone": "13812345678"}),
        (7, {"name": "李四", "id_number": "421022750308001", "phone": "138 1234 5679"}),
    ]


def test_a_number_longer_than_excel_keeps_comes_back_cut():
    rows = read_rows(
        _xlsx(
            [["姓名", "身份证号"], ["王五", 421022197503080017], ["赵六", 4.2102219750308e17]],
            merge_title=False,
        ),
        COLUMNS,
    )
    for _number, values in rows:
        assert is_cut(values["id_number"])
        assert values["id_number"] == "421022197503080"  # the 15 digits Excel kept


def test_decimal_and_date_cells():
    from datetime import datetime

    columns = [Column("a", ("金额",)), Column("b", ("日期",))]
    rows = read_rows(_xlsx([["金额", "日期"], [12.5, datetime(2023, 6, 30)]], False), columns)
    assert rows == [(2, {"a": "12.5", "b": "2023-06-30"})]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_encodings(encoding):
    text = (
        "公安县花名册,,\n"
        "姓名,身份证号码,联系电话\n"
        "张三,42102219750308001X,13812345678\n"
        ",,\n"
        "合计,1,\n"
    )
    rows = read_rows(SimpleUploadedFile("roster.csv", text.encode(encoding)), COLUMNS)
    assert rows == [
        (3, {"name": "张三", "id_number": "42102219750308001X", "phone": "13812345678"})
    ]


def test_csv_scientific_notation_is_cut_and_tabs_are_read():
    text = "姓名\t身份证号\n张三\t4.21022E+17\n"
    rows = read_rows(SimpleUploadedFile("roster.csv", text.encode("gb18030")), COLUMNS)
    assert is_cut(rows[0][1]["id_number"])


def test_a_renamed_picture_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)) * 4
    with pytest.raises(ImportRejected) as caught:
        read_rows(SimpleUploadedFile("roster.xlsx", png), COLUMNS)
    assert "not a spreadsheet" in caught.value.errors[0].message


def test_a_zip_that_is_not_a_workbook_and_an_old_xls_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportRejected):
        read_rows(SimpleUploadedFile("roster.xlsx", buffer.getvalue()), COLUMNS)
    with pytest.raises(ImportRejected) as caught:
        read_rows(SimpleUploadedFile("roster.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600), COLUMNS)
    assert ".xls" in caught.value.errors[0].message


def test_too_large_is_refused_before_reading(settings):
    settings.UPSKILL_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportRejected) as caught:
        read_rows(SimpleUploadedFile("roster.csv", b"a,b\n" * 100), COLUMNS)
    assert "MB" in caught.value.errors[0].message


def test_missing_required_column_is_named():
    with pytest.raises(ImportRejected) as caught:
        read_rows(_xlsx([["姓名", "电话"], ["张三", "1"]], False), COLUMNS)
    [error] = caught.value.errors
    assert (error.row, error.field) == (0, "ID number")


def test_no_header_at_all():
    with pytest.raises(ImportRejected) as caught:
        read_rows(_xlsx([["a", "b"], ["c", "d"]], False), COLUMNS)
    assert "header" in caught.value.errors[0].message


def test_path_and_file_object_are_accepted(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("姓名,身份证号\n张三,1\n".encode())
    assert read_rows(path, COLUMNS)[0][0] == 2
    with path.open("rb") as handle:
        assert read_rows(handle, COLUMNS)[0][1]["name"] == "张三"


def test_run_import_collects_every_problem_and_writes_nothing():
    applied = []
    progress = []

    def validate(row, values):
        if values["name"] == "bad":
            raise RowProblem("Name", "bad name")
        if values["name"] == "worse":
            raise ValidationError({"id_number": ["wrong", "very wrong"]})
        return values["name"]

    rows = [(2, {"name": "ok"}), (3, {"name": "bad"}), (5, {"name": "worse"})]
    with pytest.raises(ImportRejected) as caught:
        run_import(
            rows=rows,
            validate=validate,
            apply=applied.append,
            progress=lambda d, t: progress.append((d, t)),
        )
    assert [(e.row, e.field, e.message) for e in caught.value.errors] == [
        (3, "Name", "bad name"),
        (5, "id_number", "wrong"),
        (5, "id_number", "very wrong"),
    ]
    assert applied == []
    assert progress[-1] == (3, 3)


@pytest.mark.django_db
def test_run_import_applies_in_one_transaction():
    from upskill.organisations.models import Region

    def apply(checked):
        for _row, code in checked:
            Region.objects.create(code=code, name=code, level="township")
        raise RuntimeError("half way")

    rows = [(2, {"c": "999999001"}), (3, {"c": "999999002"})]
    with pytest.raises(RuntimeError):
        run_import(rows=rows, validate=lambda r, v: v["c"], apply=apply)
    assert not Region.objects.filter(code__startswith="999999").exists()
    result = run_import(rows=rows, validate=lambda r, v: v["c"], apply=lambda c: len(c))
    assert result == 2


def test_a_two_level_header_is_read():
    upload = _xlsx(
        [
            ["花名册"],
            ["姓名", "身份证号", "联系方式", None],
            [None, None, "手机号码", "备注"],
            ["张三", "42102219750308001X", "13812345678", "x"],
        ]
    )
    assert read_rows(upload, COLUMNS) == [
        (4, {"name": "张三", "id_number": "42102219750308001X", "phone": "13812345678"})
    ]
