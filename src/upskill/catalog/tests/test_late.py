"""HB45-CAT-1: a region that publishes its own catalogues is flagged on the catalogue page when
it has not published them by the end of February (2019: September); a county that uses its
province's catalogues is never flagged (the region setting ``own_catalogues``)."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from upskill.catalog import selectors, services
from upskill.catalog.models import Catalog, CatalogKind
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _gongan(kinds=("projects", "institutions")) -> Region:
    return services.region_own_catalogues_set(
        actor=SYSTEM, region=Region.objects.get(code="421022"), kinds=list(kinds)
    )


def _publish(kind: str, region: Region, year: int, on: date) -> Catalog:
    catalog = services.catalog_create(actor=SYSTEM, kind=kind, region=region, year=year)
    moment = timezone.make_aware(datetime(on.year, on.month, on.day, 10, 0))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return services.catalog_publish(actor=SYSTEM, catalog=catalog)


def test_hb45_cat_1_unpublished_after_february_is_flagged(world):
    gongan = _gongan()
    late = selectors.catalogs_late(region=gongan, year=2024, today=date(2024, 3, 1))
    assert [(item.kind, item.due, item.published) for item in late] == [
        ("projects", date(2024, 2, 29), None),
        ("institutions", date(2024, 2, 29), None),
    ]
    assert "HB45-CAT-1" in late[0].reference and "五(二)" in late[0].reference


def test_hb45_cat_1_nothing_is_flagged_before_the_deadline(world):
    gongan = _gongan()
    assert selectors.catalogs_late(region=gongan, year=2024, today=date(2024, 2, 29)) == []


def test_hb45_cat_1_published_in_time_is_not_flagged_published_late_is(world):
    gongan = _gongan()
    _publish(CatalogKind.PROJECTS, gongan, 2024, date(2024, 2, 20))
    _publish(CatalogKind.INSTITUTIONS, gongan, 2024, date(2024, 3, 15))
    late = selectors.catalogs_late(region=gongan, year=2024, today=date(2024, 4, 1))
    assert [(item.kind, item.published) for item in late] == [("institutions", date(2024, 3, 15))]


def test_hb45_cat_1_2019_catalogues_were_due_by_the_end_of_september(world):
    gongan = _gongan()
    assert selectors.catalogs_late(region=gongan, year=2019, today=date(2019, 9, 30)) == []
    late = selectors.catalogs_late(region=gongan, year=2019, today=date(2019, 10, 1))
    assert {item.due for item in late} == {date(2019, 9, 30)}


def test_hb45_cat_1_a_county_using_its_provinces_catalogues_is_not_flagged(world):
    county = Region.objects.get(code="421022")
    assert county.own_catalogues == []
    assert selectors.catalogs_late(region=county, year=2024, today=date(2024, 12, 1)) == []


def test_hb45_cat_1_the_region_setting_is_checked(world, make_user):
    with pytest.raises(ValidationError):
        _gongan(kinds=["projects", "recipes"])
    with pytest.raises(ValidationError):
        services.region_own_catalogues_set(
            actor=SYSTEM, region=Region.objects.get(code="421022101"), kinds=["projects"]
        )
    # a bureau records only the regions of its jurisdiction
    wuhan_admin = make_user("wuhan", "admin")
    with pytest.raises(ValidationError):
        services.region_own_catalogues_set(
            actor=wuhan_admin, region=Region.objects.get(code="421022"), kinds=["projects"]
        )
    gongan_admin = make_user("gongan", "admin")
    region = services.region_own_catalogues_set(
        actor=gongan_admin, region=Region.objects.get(code="421022"), kinds=["institutions"]
    )
    assert region.own_catalogues == ["institutions"]


def test_hb45_cat_1_the_catalogue_page_shows_the_late_catalogues(client, world):
    _gongan(kinds=["institutions"])
    year = timezone.localdate().year
    with mock.patch("upskill.catalog.views.timezone.localdate", return_value=date(year, 3, 10)):
        page = client.get(reverse("catalog:catalog_list"), {"region": "421022", "year": year})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="catalogs-late"' in text and "HB45-CAT-1" in text
    with translation.override("zh-hans"):
        label = str(CatalogKind.INSTITUTIONS.label)
    assert label in text and f"{year}-02-" in text
    # the province's page (it records no catalogue of its own here) is not flagged
    province = client.get(reverse("catalog:catalog_list"), {"region": "420000", "year": year})
    assert 'data-testid="catalogs-late"' not in province.content.decode()
