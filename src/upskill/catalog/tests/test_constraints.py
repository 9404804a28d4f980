"""The catalogue's invariants hold in the database too, not only in the services: one draft per
catalogue at a time (HB45-CAT-1: a new version starts from the published one), and a
designation's period runs forwards."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from upskill.catalog.models import Catalog, CatalogKind, DesignatedInstitution
from upskill.catalog.services import catalog_create
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region


def test_a_second_draft_of_the_same_catalogue_is_refused_by_the_database(world):
    county = Region.objects.get(code="421022")
    draft = catalog_create(actor=SYSTEM, kind=CatalogKind.PROJECTS, region=county, year=2031)
    with pytest.raises(IntegrityError), transaction.atomic():
        Catalog.objects.create(
            kind=draft.kind, region=county, year=2031, version=2, title="second draft"
        )
    # once the first is published, the next version is a draft of its own
    Catalog.objects.filter(pk=draft.pk).update(published_at=timezone.now())
    assert Catalog.objects.create(kind=draft.kind, region=county, year=2031, version=2).pk


def test_a_designation_cannot_end_before_it_starts(world):
    county = Region.objects.get(code="421022")
    catalog = catalog_create(actor=SYSTEM, kind=CatalogKind.INSTITUTIONS, region=county, year=2031)
    with pytest.raises(IntegrityError), transaction.atomic():
        DesignatedInstitution.objects.create(
            catalog=catalog,
            organisation=world["inst1"],
            valid_from=date(2031, 6, 1),
            valid_until=date(2031, 5, 31),
        )
