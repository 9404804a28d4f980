"""The work queue of the catalogues (core/queues.py, catalog/queues.py): the administrator
counts the catalogue versions not yet published (HB45-CAT-1), as its list shows them."""

from __future__ import annotations

import pytest

from upskill.catalog import services
from upskill.catalog.models import Catalog, CatalogKind
from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {item.key: item.count for item in queue_for(user)}


def test_the_administrator_counts_the_drafts(world, make_user, client):
    province = Region.objects.get(code="420000")
    for year in (2023, 2024):
        services.catalog_create(
            actor=SYSTEM, kind=CatalogKind.OCCUPATIONS, region=province, year=year
        )
    published = services.catalog_create(
        actor=SYSTEM, kind=CatalogKind.PROJECTS, region=province, year=2023
    )
    services.catalog_publish(actor=SYSTEM, catalog=published)

    admin = make_user("gongan", "admin")
    drafts = Catalog.objects.filter(published_at__isnull=True).count()
    assert _counts(admin)["catalog.unpublished"] == drafts == 2
    client.force_login(admin)
    assert 'data-testid="count-catalog.unpublished">2<' in client.get("/").content.decode()
    # a reader who publishes nothing has no such work
    assert "catalog.unpublished" not in _counts(make_user("gongan", "reviewer"))
