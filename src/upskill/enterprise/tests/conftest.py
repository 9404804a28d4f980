"""Fixtures of the enterprise tests: a township of Wuhan's 东西湖区 (the divisions shipped stop
at the district there) for the venue of a Wuhan enterprise's class."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source wording."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def wuhan_township(world):
    from upskill.organisations.models import Region

    township, _created = Region.objects.get_or_create(
        code="420112001",
        defaults={
            "name": "吴家山街道",
            "level": "township",
            "parent": Region.objects.get(code="420112"),
        },
    )
    return township


@pytest.fixture
def hr(make_user):
    return make_user("wh_ent1", "hr_clerk")


@pytest.fixture
def employee(hr, make_person):
    return make_person(actor=hr, township_code=None)
