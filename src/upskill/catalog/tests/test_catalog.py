"""Catalogues (HB45-CAT-1): the WH20 occupation list, versions, public pages, platform permits."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from upskill.catalog import selectors, services
from upskill.catalog.models import Catalog, CatalogEntry, CatalogKind, Occupation
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region

from . import factories

REPEATED = ("水泥生产工", "石膏制品生产工", "水泥混凝土制品工", "机动车检测工")


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in the source language; pages keep the request's language."""
    with translation.override("en"):
        yield


def _draft_occupations(year: int = 2023) -> Catalog:
    return services.catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.OCCUPATIONS,
        region=Region.objects.get(code="420000"),
        year=year,
    )


# --- the WH20 attachment 2 data file -----------------------------------------------------


def test_the_data_file_repeats_rows_as_the_source_does():
    with open(services.WH20_OCCUPATIONS, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = Counter((row["occupation"], row["level"]) for row in rows)
    assert len(rows) == 135
    assert {name for (name, _level), n in counts.items() if n > 1} == set(REPEATED)


def test_import_deduplicates_the_repeated_rows(world):
    catalog = _draft_occupations()
    result = services.occupation_import(actor=SYSTEM, catalog=catalog)
    assert result.created == 131
    assert result.updated == 0
    assert sorted(result.duplicates) == sorted(f"{name} 3" for name in REPEATED)
    occupations = Occupation.objects.filter(catalog=catalog)
    assert occupations.count() == 131
    assert occupations.values("name").distinct().count() == 122
    for name in REPEATED:
        levels = list(occupations.filter(name=name).values_list("level", flat=True))
        assert levels == [3], name
    cook = occupations.get(name="中式烹调师", level=4)
    assert cook.price == Decimal("1500") and cook.category == "地方工种(人社部)"
    assert occupations.get(name="人力资源管理师", level=3).price == Decimal("2000")
    assert occupations.get(name="无人机驾驶员", level=3).price == Decimal("9000")
    # a second import changes nothing and does not fail
    again = services.occupation_import(actor=SYSTEM, catalog=catalog)
    assert (again.created, again.updated) == (0, 131)
    assert Occupation.objects.filter(catalog=catalog).count() == 131


def test_import_reads_level_words_and_reports_the_line_of_a_bad_row(world, tmp_path):
    catalog = _draft_occupations()
    good = tmp_path / "good.csv"
    good.write_text(
        "category,occupation,level,price\n建材,水泥生产工,三级,1500\n建材,水泥生产工,三级,1500\n",
        encoding="utf-8",
    )
    result = services.occupation_import(actor=SYSTEM, catalog=catalog, path=good)
    assert (result.created, result.duplicates) == (1, ["水泥生产工 3"])
    bad = tmp_path / "bad.csv"
    bad.write_text("category,occupation,level,price\n建材,瓦工,三级,一千五\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="Line 2"):
        services.occupation_import(actor=SYSTEM, catalog=catalog, path=bad)


# --- versions ----------------------------------------------------------------------------


def test_new_version_copies_the_entries_and_leaves_the_old_one_unchanged(world, make_user):
    admin = make_user("gongan", "admin")
    v1 = factories.project_catalog()
    before = list(v1.entries.values_list("program", "occupation_id", "standard_hours"))
    v2 = services.catalog_new_version(actor=admin, catalog=v1, note="年中调整")
    assert (v2.version, v2.previous, v2.is_published) == (2, v1, False)
    assert list(v2.entries.values_list("program", "occupation_id", "standard_hours")) == before
    copied = v2.entries.get(program="employment")
    services.entry_change(actor=admin, entry=copied, standard_hours=Decimal("100"))
    services.entry_deactivate(actor=admin, entry=v2.entries.get(program="poverty"))
    v1.refresh_from_db()
    assert list(v1.entries.values_list("program", "occupation_id", "standard_hours")) == before
    assert v1.entries.filter(is_active=True).count() == 2
    # a published version is not edited, and only one draft at a time
    with pytest.raises(ValidationError):
        services.entry_change(actor=admin, entry=v1.entries.first(), standard_hours=Decimal("10"))
    with pytest.raises(ValidationError):
        services.catalog_new_version(actor=admin, catalog=v1)
    gongan = Region.objects.get(code="421022")
    # the draft is not in force yet; once published it is
    assert selectors.catalog_in_force(kind=CatalogKind.PROJECTS, region=gongan, year=2023) == v1
    services.catalog_publish(actor=admin, catalog=v2)
    assert selectors.catalog_in_force(kind=CatalogKind.PROJECTS, region=gongan, year=2023) == v2


def test_new_version_of_an_occupation_catalogue_copies_its_occupations(world):
    v1 = factories.occupation_catalog()
    v2 = services.catalog_new_version(actor=SYSTEM, catalog=v1)
    services.occupation_set(
        actor=SYSTEM, catalog=v2, name="中式烹调师", level=4, price=Decimal("1600")
    )
    assert v2.occupations.count() == v1.occupations.count() == 2
    assert v1.occupations.get(name="中式烹调师").price == Decimal("1500")
    assert v2.occupations.get(name="中式烹调师").price == Decimal("1600")


def test_a_county_without_its_own_catalogue_uses_the_province_one(world):
    province = factories.occupation_catalog()
    for code in ("421022", "421000", "420100", "421022101"):
        region = Region.objects.get(code=code)
        found = selectors.catalog_in_force(kind=CatalogKind.OCCUPATIONS, region=region, year=2023)
        assert found == province, code
    assert (
        selectors.catalog_in_force(
            kind=CatalogKind.OCCUPATIONS, region=Region.objects.get(code="421022"), year=2024
        )
        is None
    )
    own = factories.occupation_catalog(region="421022")
    assert (
        selectors.catalog_in_force(
            kind=CatalogKind.OCCUPATIONS, region=Region.objects.get(code="421022"), year=2023
        )
        == own
    )


def test_entry_rules(world):
    occupations = factories.occupation_catalog()
    catalog = services.catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.PROJECTS,
        region=Region.objects.get(code="421022"),
        year=2023,
    )
    cook = occupations.occupations.get(name="中式烹调师")
    entry = services.entry_add(
        actor=SYSTEM,
        catalog=catalog,
        program="employment",
        occupation=cook,
        standard_hours=Decimal("120"),
    )
    # the practical share comes from the policy parameter when the entry sets none (GA23-HRS-1)
    assert selectors.entry_min_practical_share(entry, date(2023, 6, 30)) == Decimal("0.6")
    with pytest.raises(ValidationError, match="already"):
        services.entry_add(
            actor=SYSTEM,
            catalog=catalog,
            program="employment",
            occupation=cook,
            standard_hours=Decimal("120"),
        )
    with pytest.raises(ValidationError) as raised:
        services.entry_add(
            actor=SYSTEM,
            catalog=catalog,
            program="knitting",
            occupation=cook,
            standard_hours=Decimal("0"),
            min_practical_share=Decimal("1.5"),
        )
    assert set(raised.value.message_dict) == {"program", "standard_hours", "min_practical_share"}
    draft_occupation = factories.occupation_catalog(year=2022, publish=False).occupations.first()
    with pytest.raises(ValidationError, match="published occupation catalogue"):
        services.entry_add(
            actor=SYSTEM,
            catalog=catalog,
            program="poverty",
            occupation=draft_occupation,
            standard_hours=Decimal("60"),
        )


def test_writes_need_the_permission_and_the_jurisdiction(world, make_user):
    hubei = Region.objects.get(code="420000")
    with pytest.raises(PermissionDenied):
        services.catalog_create(
            actor=make_user("gongan", "reviewer"),
            kind=CatalogKind.PROJECTS,
            region=hubei,
            year=2023,
        )
    with pytest.raises(ValidationError, match="jurisdiction"):
        services.catalog_create(
            actor=make_user("wuhan", "admin"),
            kind=CatalogKind.PROJECTS,
            region=Region.objects.get(code="421022"),
            year=2023,
        )
    catalog = services.catalog_create(
        actor=make_user("province", "policy_admin"),
        kind=CatalogKind.OCCUPATIONS,
        region=hubei,
        year=2023,
    )
    assert catalog.organisation == world["province"]
    with pytest.raises(ValidationError, match="jurisdiction"):
        services.catalog_publish(actor=make_user("gongan", "admin"), catalog=catalog)


# --- online platforms (WH20-PLT-1) -------------------------------------------------------


def test_a_platform_with_all_three_permits_is_eligible(world):
    platform = factories.platform(**factories.ALL_PERMITS)
    assert platform.eligible_on(date(2020, 6, 1))
    assert platform.missing_permits(date(2020, 6, 1)) == []
    # after the permits expire it is no longer eligible, and each permit is named
    reasons = platform.missing_permits(date(2021, 1, 1))
    assert not platform.eligible_on(date(2021, 1, 1))
    assert len(reasons) == 3 and all("WH20-PLT-1" in reason for reason in reasons)


def test_a_platform_missing_one_permit_is_not_eligible(world):
    permits = dict(factories.ALL_PERMITS, assessment_permit="")
    platform = factories.platform(**permits)
    assert not platform.eligible_on(date(2020, 6, 1))
    [reason] = platform.missing_permits(date(2020, 6, 1))
    assert "WH20-PLT-1" in reason and "skill-level assessment" in reason
    with translation.override("zh-hans"):
        [reason] = platform.missing_permits(date(2020, 6, 1))
    assert reason.startswith("WH20-PLT-1：") and "许可" in reason


def test_platform_permits_are_recorded_on_a_draft(world, make_user):
    catalog = factories.platform_catalog(publish=False)
    platform = catalog.platforms.get()
    assert not platform.eligible_on(date(2020, 6, 1))
    platform = services.platform_permits_set(
        actor=make_user("wuhan", "admin"), platform=platform, **factories.ALL_PERMITS
    )
    assert platform.eligible_on(date(2020, 6, 1))


# --- pages -------------------------------------------------------------------------------


def test_published_catalogues_are_readable_without_logging_in(world, client):
    catalog = factories.project_catalog()
    draft = factories.occupation_catalog(year=2022, publish=False)
    response = client.get("/catalog/")
    assert response.status_code == 200
    assert str(catalog) in response.content.decode()
    assert str(draft) not in response.content.decode()
    response = client.get(f"/catalog/{catalog.pk}/")
    assert response.status_code == 200
    assert "中式烹调师" in response.content.decode()
    assert client.get(f"/catalog/{draft.pk}/").status_code == 404
    assert client.get(f"/catalog/{draft.pk}/export.xlsx").status_code == 404
    assert client.get(f"/catalog/{draft.pk}/", HTTP_HX_REQUEST="true").status_code == 404


def test_drafts_are_shown_to_editors_only(world, make_user, client):
    draft = factories.occupation_catalog(year=2022, publish=False)
    client.force_login(make_user("wh_ent1", "hr_clerk"))
    assert client.get(f"/catalog/{draft.pk}/").status_code == 404
    client.force_login(make_user("province", "policy_admin"))
    response = client.get(f"/catalog/{draft.pk}/")
    assert response.status_code == 200
    assert 'data-testid="publish"' in response.content.decode()


def test_search_and_level_filter_as_htmx_fragment(world, client):
    catalog = factories.occupation_catalog()
    response = client.get(f"/catalog/{catalog.pk}/?q=烹调", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "中式烹调师" in body and "家政服务员" not in body and "<html" not in body
    response = client.get(f"/catalog/{catalog.pk}/?level=5", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "家政服务员" in body and "中式烹调师" not in body


def test_excel_download(world, client):
    catalog = factories.project_catalog()
    response = client.get(f"/catalog/{catalog.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert any(row[1] == "中式烹调师" and row[3] == 120 for row in rows[1:])


def test_edit_and_publish_through_the_pages(world, make_user, client):
    factories.occupation_catalog()
    client.force_login(make_user("gongan", "admin"))
    response = client.post(
        "/catalog/new/", {"kind": "projects", "region": world["gongan"].region_id, "year": 2023}
    )
    catalog = Catalog.objects.get(kind="projects", region__code="421022", year=2023)
    assert response.status_code == 302
    cook = Occupation.objects.get(name="中式烹调师", level=4)
    response = client.post(
        f"/catalog/{catalog.pk}/entries/new/",
        {
            "program": "employment",
            "occupation": cook.pk,
            "standard_hours": "120",
            "subsidy_parameter": "training_subsidy.standard",
        },
    )
    assert response.status_code == 302
    entry = CatalogEntry.objects.get(catalog=catalog)
    client.post(f"/catalog/entries/{entry.pk}/toggle/")
    entry.refresh_from_db()
    assert not entry.is_active
    client.post(f"/catalog/{catalog.pk}/publish/")
    catalog.refresh_from_db()
    assert catalog.is_published
    response = client.post(f"/catalog/{catalog.pk}/new-version/")
    assert (
        Catalog.objects.get(kind="projects", region__code="421022", version=2).previous == catalog
    )


def test_the_wh20_occupations_import_from_the_page(world, make_user, client):
    catalog = _draft_occupations()
    client.force_login(make_user("province", "policy_admin"))
    response = client.post(f"/catalog/{catalog.pk}/occupations/import/", follow=True)
    assert "131" in response.content.decode()
    assert catalog.occupations.count() == 131


# --- API ---------------------------------------------------------------------------------


def test_api_public_reads_need_no_credentials(world, client):
    catalog = factories.project_catalog()
    draft = factories.occupation_catalog(year=2022, publish=False)
    listed = client.get("/api/catalogs").json()
    assert {c["id"] for c in listed} == set(
        Catalog.objects.filter(published_at__isnull=False).values_list("pk", flat=True)
    )
    assert client.get(f"/api/catalogs/{draft.pk}").status_code == 404
    entries = client.get(f"/api/catalogs/{catalog.pk}/entries?level=4").json()
    assert [e["occupation"]["name"] for e in entries] == ["中式烹调师"]
    entry = catalog.entries.first()
    assert client.get(f"/api/entries/{entry.pk}").status_code == 200
    draft_occupation = draft.occupations.first()
    assert client.get(f"/api/occupations/{draft_occupation.pk}").status_code == 404
    in_force = client.get("/api/catalogs/in-force?kind=occupations&region=421022&year=2023")
    assert in_force.json()["region_code"] == "420000"
    assert client.post(f"/api/catalogs/{draft.pk}/publish").status_code == 401


def test_api_platforms_and_permits(world, make_user, client):
    catalog = factories.platform_catalog(publish=False)
    platform = catalog.platforms.get()
    client.force_login(make_user("wuhan", "reviewer"))
    payload = {k: str(v) for k, v in factories.ALL_PERMITS.items()}
    response = client.put(
        f"/api/platforms/{platform.pk}/permits", payload, content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(make_user("wuhan", "admin"))
    response = client.put(
        f"/api/platforms/{platform.pk}/permits", payload, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["training_permit"] == "T-2020-003"
    assert client.post(f"/api/catalogs/{catalog.pk}/publish").status_code == 200
    client.logout()
    listed = client.get(f"/api/catalogs/{catalog.pk}/platforms").json()
    assert listed[0]["operator"] == "湖北明蛙教育科技有限公司"
    assert listed[0]["eligible_today"] is False  # the 2020 permits have expired
    assert all("WH20-PLT-1" in reason for reason in listed[0]["missing_permits"])


def test_demo_seeds_the_catalogues(world):
    from upskill.demo.seed import catalogs

    catalogs(world)
    catalogs(world)  # idempotent
    hubei = Catalog.objects.get(kind="occupations", region__code="420000", year=2023)
    assert hubei.is_published and hubei.occupations.count() == 135  # 131 + 4 demo occupations
    gongan = Region.objects.get(code="421022")
    in_force = selectors.catalog_in_force(kind="projects", region=gongan, year=2023)
    assert in_force.version == 2
    assert in_force.entries.filter(occupation__name="电子商务师").exists()
    assert not in_force.previous.entries.filter(occupation__name="电子商务师").exists()
    platform = Catalog.objects.get(kind="platforms", region__code="420100").platforms.get()
    assert platform.operator == "湖北明蛙教育科技有限公司"
    assert platform.eligible_on(date(2020, 9, 1))


def test_every_kind_of_catalogue_renders_and_exports(world, client):
    from .scope_cases import _designation, _evaluation

    catalogs = [
        _designation(world=world).catalog,
        _evaluation(world=world).catalog,
        factories.platform_catalog(**factories.ALL_PERMITS),
    ]
    expected = ["公安县", "湖北省职业技能鉴定指导中心", "湖北明蛙教育科技有限公司"]
    for catalog, text in zip(catalogs, expected, strict=True):
        if not catalog.is_published:
            services.catalog_publish(actor=SYSTEM, catalog=catalog)
        response = client.get(f"/catalog/{catalog.pk}/")
        assert response.status_code == 200
        assert text in response.content.decode()
        export = client.get(f"/catalog/{catalog.pk}/export.xlsx")
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        assert any(text in str(cell) for row in rows[1:] for cell in row)
    platform_page = client.get(f"/catalog/{catalogs[2].pk}/").content.decode()
    assert "WH20-PLT-1" in platform_page  # the 2020 permits have expired: the reason is shown
