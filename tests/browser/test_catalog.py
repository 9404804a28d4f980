"""Catalogue journeys (HB45-CAT-1): the public searches a published catalogue without logging
in; an administrator publishes a draft version."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from upskill.catalog.models import Catalog
from upskill.catalog.tests import factories


def _log_in(page, username: str, password: str = "Test#Pass2023") -> None:
    # The header's language switch is a submit button too: press the form's own.
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=who]")


@pytest.fixture(autouse=True)
def _regions(transactional_db):
    """A transactional test's flush removes the divisions the data migration made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions

    ensure_regions(Region)


def test_the_public_searches_a_published_catalogue(page, world):
    catalog = factories.occupation_catalog()
    page.goto("/catalog/")
    page.click(f"text={catalog}")
    rows = page.locator("[data-testid=rows] tbody tr")
    assert rows.count() == 2
    page.fill("input[name=q]", "烹调")
    # locator assertions, not wait_for_function: the page's policy refuses eval
    expect(rows).to_have_count(1)
    assert "中式烹调师" in page.inner_text("[data-testid=rows]")
    page.fill("input[name=q]", "")
    page.select_option("select[name=level]", "5")
    expect(page.locator("[data-testid=rows]")).to_contain_text("家政服务员")
    expect(page.locator("[data-testid=rows]")).not_to_contain_text("中式烹调师")


def test_an_administrator_publishes_a_draft(page, world, make_user):
    draft = factories.occupation_catalog(year=2022, publish=False)
    make_user("province", "policy_admin", username="hb_admin_b")
    _log_in(page, "hb_admin_b")
    page.goto(f"/catalog/{draft.pk}/")
    assert page.locator("[data-testid=draft]").count() == 1
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=new-version]")
    assert Catalog.objects.get(pk=draft.pk).is_published
