"""organisations.selectors: the region and township choices the forms offer an organisation."""

from __future__ import annotations

from types import SimpleNamespace

from upskill.organisations.models import Region, RegionLevel
from upskill.organisations.selectors import regions_for_catalogues, townships_for


def test_a_county_bureau_chooses_among_its_own_regions_and_townships(world):
    county = SimpleNamespace(organisation=world["gongan"], is_superuser=False)
    regions = regions_for_catalogues(actor=county)
    assert regions.exists()
    assert all(r.code.startswith("421022") and r.level != RegionLevel.TOWNSHIP for r in regions)
    townships = townships_for(actor=county)
    assert townships.exists()
    assert all(t.code.startswith("421022") and t.level == RegionLevel.TOWNSHIP for t in townships)


def test_without_an_organisation_every_region_and_township_is_offered(world):
    nobody = SimpleNamespace(organisation=None, is_superuser=False)
    assert (
        regions_for_catalogues(actor=nobody).count()
        > regions_for_catalogues(
            actor=SimpleNamespace(organisation=world["gongan"], is_superuser=False)
        ).count()
    )
    every_township = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    assert townships_for(actor=nobody).count() == every_township.count() > 0
