"""The roster vocabulary as data (security item 10) and every problem of every row (item 11)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from conftest import make_id_number
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from upskill.core.models import JobStatus
from upskill.registry.models import Person, PersonCategory, VocabularyTerm
from upskill.registry.services import roster_import, vocabulary_term_add


@pytest.fixture(autouse=True)
def _english_and_fresh_vocabulary():
    cache.clear()  # a wording added in a test (rolled back) must not outlive it in the cache
    with translation.override("en"):
        yield
    cache.clear()


def _xlsx(header: list[str], rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["公安县2024年防止返贫监测对象和脱贫人口信息表"])
    sheet.merge_cells("A1:F1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("监测对象和脱贫人口信息表.xlsx", buffer.getvalue())


def _import(actor, upload):
    return roster_import(
        actor=actor,
        upload=upload,
        source="2024年防返贫监测信息系统导出",
        valid_from=date(2024, 1, 1),
    )


@pytest.mark.parametrize("heading", ["脱贫属性", "监测对象类型", "户类型", "人员类别"])
def test_a_real_rural_revitalisation_roster_imports(make_user, heading):
    ids = [make_id_number(sex="M"), make_id_number(sex="F"), make_id_number(sex="M")]
    upload = _xlsx(
        ["序号", "姓名", "证件号码", "性别", "乡镇", heading],
        [
            [1, "张伟", ids[0], "男", "斗湖堤镇", "脱贫户"],
            [2, "李娜", ids[1], "女", "埠河镇", "边缘易致贫户"],
            [3, "刘强", ids[2], "男", "斗湖堤镇", "脱贫不稳定户、脱贫人口"],
        ],
    )
    job = _import(make_user("rural", "clerk"), upload)
    assert job.status == JobStatus.DONE, (job.error, job.row_errors)
    held = {
        (entry.person.name, entry.category.code)
        for entry in PersonCategory.objects.select_related("person", "category")
    }
    assert held == {
        ("张伟", "poverty_alleviated"),
        ("李娜", "monitored_household"),
        ("刘强", "monitored_household"),
        ("刘强", "poverty_alleviated"),
    }


def test_the_three_kinds_of_monitored_household_are_understood(make_user):
    ids = [make_id_number(sex="M") for _ in range(3)]
    upload = _xlsx(
        ["姓名", "身份证号码", "乡镇", "监测对象类型"],
        [
            ["甲一", ids[0], "斗湖堤镇", "脱贫不稳定户"],
            ["乙二", ids[1], "斗湖堤镇", "边缘易致贫户"],
            ["丙三", ids[2], "斗湖堤镇", "突发严重困难户"],
        ],
    )
    job = _import(make_user("rural", "clerk"), upload)
    assert job.status == JobStatus.DONE, job.row_errors
    codes = set(PersonCategory.objects.values_list("category__code", flat=True))
    assert codes == {"monitored_household"}


def test_a_county_adds_its_own_wording_and_the_next_import_understands_it(make_user):
    clerk = make_user("rural", "clerk")
    number = make_id_number(sex="M")

    def upload():
        return _xlsx(
            ["姓名", "身份证号码", "乡镇", "帮扶对象类别"],
            [["张伟", number, "斗湖堤镇", "易返贫致贫户"]],
        )

    refused = _import(clerk, upload())
    assert refused.status == JobStatus.FAILED
    assert "Category" in str(refused.row_errors)  # the column is not known yet

    admin = make_user("gongan", "admin")
    heading = vocabulary_term_add(
        actor=admin, kind="header", target="category", wording="帮扶对象类别", source="县局通知"
    )
    word = vocabulary_term_add(
        actor=admin, kind="category", target="monitored_household", wording="易返贫致贫户"
    )
    assert heading.region == word.region == "421022"  # the county's own, by default
    assert heading.history.count() == 1  # audited

    job = _import(clerk, upload())
    assert job.status == JobStatus.DONE, job.row_errors
    assert PersonCategory.objects.get(person__name="张伟").category.code == "monitored_household"


def test_a_county_wording_holds_in_that_county_only(make_user):
    admin = make_user("gongan", "admin")
    vocabulary_term_add(
        actor=admin, kind="category", target="monitored_household", wording="易返贫致贫户"
    )
    from upskill.registry.vocabulary import vocabulary

    assert vocabulary("421022102").category("易返贫致贫户") == "monitored_household"
    assert vocabulary("420102").category("易返贫致贫户") is None
    assert vocabulary("").category("边缘易致贫户") == "monitored_household"


def test_who_may_add_a_wording(make_user):
    with pytest.raises(PermissionDenied):  # a clerk has no permission
        vocabulary_term_add(
            actor=make_user("rural", "clerk"), kind="hukou", target="agricultural", wording="农"
        )
    with pytest.raises(PermissionDenied):  # a county bureau does not speak for every county
        vocabulary_term_add(
            actor=make_user("gongan", "admin"),
            kind="hukou",
            target="agricultural",
            wording="农",
            region="",
        )
    with pytest.raises(PermissionDenied):  # nor for another county
        vocabulary_term_add(
            actor=make_user("gongan", "admin"),
            kind="hukou",
            target="agricultural",
            wording="农",
            region="420102",
        )
    term = vocabulary_term_add(
        actor=make_user("province", "policy_admin"),
        kind="hukou",
        target="agricultural",
        wording="农",
    )
    assert term.region == ""
    with pytest.raises(ValidationError):  # one wording, two meanings: a roster read two ways
        vocabulary_term_add(
            actor=make_user("gongan", "admin"),
            kind="category",
            target="two_after_graduate",
            wording="脱贫户",
        )
    with pytest.raises(ValidationError):
        vocabulary_term_add(
            actor=make_user("gongan", "admin"), kind="header", target="nothing", wording="某列"
        )


def test_the_defaults_are_data(db):
    assert VocabularyTerm.objects.filter(
        kind="header", target="category", wording="脱贫属性", region=""
    ).exists()
    assert VocabularyTerm.objects.filter(
        kind="category", target="monitored_household", wording="突发严重困难户"
    ).exists()


def test_the_vocabulary_is_read_once_not_per_row(make_user, django_assert_max_num_queries):
    from upskill.registry.vocabulary import vocabulary

    vocabulary("421022")
    with django_assert_max_num_queries(0):
        for _ in range(100):
            vocabulary("421022").category("脱贫户")


def test_every_problem_of_a_row_is_reported(make_user):
    ids = [make_id_number(sex="M")]
    upload = _xlsx(
        ["姓名", "身份证号码", "性别", "乡镇", "脱贫属性", "银行卡号", "开户行"],
        [
            ["张伟", ids[0], "男", "斗湖堤镇", "脱贫户", None, None],
            # row 4: a bad ID number AND an unknown category AND an unknown township AND a card
            # that fails its check digit AND no bank
            ["李四", "421022197503080010", "男", "火星镇", "贫困户", "6228480402564890019", None],
        ],
    )
    job = _import(make_user("rural", "clerk"), upload)
    assert job.status == JobStatus.FAILED
    assert [(e["row"], e["field"]) for e in job.row_errors] == [
        (4, "Bank"),
        (4, "Bank account"),
        (4, "Category"),
        (4, "ID number"),
        (4, "Township"),
    ]
    assert "贫困户" in job.row_errors[2]["message"]
    assert not Person.objects.exists()


def test_the_admin_edits_a_county_wording_but_not_every_countys(make_user, client):
    from django.urls import reverse

    admin = make_user("gongan", "admin")
    own = vocabulary_term_add(
        actor=admin, kind="category", target="monitored_household", wording="易返贫致贫户"
    )
    general = VocabularyTerm.objects.get(wording="脱贫户", region="")
    client.force_login(admin)

    def change(term, **data):
        url = reverse("admin:registry_vocabularyterm_change", args=[term.pk])
        fields = {
            "kind": term.kind,
            "target": term.target,
            "wording": term.wording,
            "region": term.region,
            "source": term.source,
            "is_active": "on",
        }
        return client.post(url, {**fields, **data})

    assert change(own, is_active="").status_code == 302  # retired
    own.refresh_from_db()
    assert not own.is_active and own.history.count() == 2
    assert change(general, target="two_after_graduate").status_code == 403
    assert VocabularyTerm.objects.get(pk=general.pk).target == "poverty_alleviated"
    add = client.post(
        reverse("admin:registry_vocabularyterm_add"),
        {"kind": "hukou", "target": "agricultural", "wording": "农", "region": "420102"},
    )
    assert add.status_code == 200 and not VocabularyTerm.objects.filter(wording="农").exists()
