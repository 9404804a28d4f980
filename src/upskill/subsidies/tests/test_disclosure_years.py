"""A disclosure asked for a year that cannot be one (0, 1, 10000) answered 500 on the public
page, its Excel download and the API: it answers 400 with a message now."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


MESSAGE = "There is no disclosure for the year {}: choose a year from 2000 to 2100."


@pytest.mark.parametrize("year", [0, 1, 1999, 2101, 10000])
def test_the_api_refuses_a_year_out_of_range(client, db, year):
    response = client.get(f"/api/disclosure/{year}")
    assert response.status_code == 400
    assert response.json() == {"detail": {"__all__": [MESSAGE.format(year)]}}


@pytest.mark.parametrize("year", [0, 1, 10000])
def test_the_page_and_the_download_refuse_a_year_out_of_range(client, db, year):
    page = client.get(reverse("subsidies:disclosure"), {"year": year})
    assert page.status_code == 400
    assert MESSAGE.format(year) in page.content.decode()
    download = client.get(reverse("subsidies:disclosure_xlsx"), {"year": year})
    assert download.status_code == 400
    assert download.content.decode() == MESSAGE.format(year)


def test_a_year_in_range_is_still_disclosed(client, fund):
    assert client.get("/api/disclosure/2023").json()["year"] == 2023
    assert client.get(reverse("subsidies:disclosure"), {"year": 2023}).status_code == 200
