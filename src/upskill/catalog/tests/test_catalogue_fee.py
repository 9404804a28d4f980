"""WH20-FEE-1 as far as it is built: the training and examination fee per person and certificate
is the occupation's price in the published occupation catalogue, by occupation and level, read
by anyone; a new catalogue version changes it from then on and leaves the published one as it
was. (Who pays the fee, per enrolment with receipts, is issue 16.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from upskill.core.scoping import SYSTEM

from .. import services
from . import factories


def test_wh20_fee_1_the_published_catalogue_gives_the_fee_per_occupation_and_level(world, client):
    published = factories.occupation_catalog()
    page = client.get(reverse("catalog:catalog_detail", args=[published.pk]))  # no log-in
    assert page.status_code == 200
    body = page.content.decode()
    assert "中式烹调师" in body and "1500" in body and "1200" in body
    draft = services.catalog_new_version(actor=SYSTEM, catalog=published)
    services.occupation_set(
        actor=SYSTEM,
        catalog=draft,
        name="中式烹调师",
        level=4,
        price=Decimal("1600"),
        exam_fee=Decimal("320"),
    )
    # the fee in force stays the published one until the new version is published
    assert published.occupations.get(name="中式烹调师", level=4).price == Decimal("1500")
    cook = draft.occupations.get(name="中式烹调师", level=4)
    assert (cook.price, cook.exam_fee) == (Decimal("1600"), Decimal("320"))
    with pytest.raises(ValidationError):  # a published catalogue's fees are not edited
        services.occupation_set(
            actor=SYSTEM, catalog=published, name="中式烹调师", level=4, price=Decimal("1")
        )
