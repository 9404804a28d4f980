"""The demo publishes Gong'an's 2023 designated training institution catalogue through the
services (HB45-CAT-1), so the demo's classes are filed by designated institutions."""

from __future__ import annotations

from datetime import date

import pytest

from upskill.organisations.models import Region

pytestmark = pytest.mark.django_db

DOUHUDI = "421022101"


def test_hb45_cat_1_the_demo_publishes_gongans_designated_institution_catalogue(world):
    from upskill.catalog.models import CatalogKind
    from upskill.catalog.selectors import catalog_in_force, designation_problems
    from upskill.demo.seed.catalogs import catalogs

    catalogs(world)
    gongan = Region.objects.get(code="421022")
    catalog = catalog_in_force(kind=CatalogKind.INSTITUTIONS, region=gongan, year=2023)
    assert catalog is not None and catalog.is_published
    assert set(catalog.institutions.values_list("organisation__name", flat=True)) == {
        world[key].name for key in ("inst1", "inst2", "inst3")
    }
    douhudi = Region.objects.get(code=DOUHUDI)
    ok = {"organisation": world["inst1"], "township": douhudi, "on": date(2023, 6, 5)}
    assert designation_problems(occupation_name="农作物植保员", **ok) == []
    refused = designation_problems(occupation_name="美容师", **ok)
    assert refused and "HB45-CAT-1" in refused[0]
