"""Dashboards and evaluations (issue 18): the county bureau, a township centre and the province
each open the progress dashboard and see their own scope; a click on a bar of an ECharts chart
opens the list of the records behind it; the township evaluation flags the bottom three
(GA23-EVAL-1) on data shaped like the demo's (every township has done something); the
institution evaluation (GA23 六(三)) ranks the designated institutions."""

from __future__ import annotations

import re
from datetime import date

import pytest

from upskill.catalog.models import CatalogEntry
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.policy_admin.services import parameter_version_add
from upskill.reports import services
from upskill.reports.tests.factories import gongan_targets, records
from upskill.training.tests.factories import catalog_entries

from .conftest import log_in

YEAR = "year=2023&as_of=2023-12-31"


@pytest.fixture
def gongan_year(world, make_person):
    """Gong'an's 2023 like the demo: the plan, the poverty and specialty targets split across
    the 14 townships, equal evaluation weights, and finished poverty classes in every
    township (1 to 4 trainees), a specialty class in every third."""
    entries = catalog_entries()
    CatalogEntry.objects.filter(pk=entries["electrician"].pk).update(is_specialty=True)
    county = Region.objects.get(code="421022")
    townships = list(Region.objects.filter(parent=county, level="township").order_by("code"))
    gongan_targets(world)
    for line in ("poverty", "specialty"):
        target = services.target_set(
            actor=SYSTEM, region=county, line=line, year_from=2023, quantity=10 * len(townships)
        )
        services.target_split_save(
            actor=SYSTEM, target=target, shares={t: 10 for t in townships}, confirm=True
        )
    for name in ("evaluation.township_poverty_weight", "evaluation.township_specialty_weight"):
        parameter_version_add(
            actor=SYSTEM,
            parameter=name,
            region_code="421022",
            valid_from=date(2023, 1, 1),
            valid_until=date(2023, 12, 31),
            value="0.5",
            document="公安县乡镇培训工作考评办法",
            rule="GA23-EVAL-1",
        )
    done = {}
    for index, township in enumerate(townships):
        n = 1 + index % 4
        records(world, make_person, entry="domestic", township=township.code, n=n)
        if index % 3 == 0:
            records(world, make_person, entry="electrician", township=township.code, n=1)
            n += 1
        done[township.code] = n
    return done


def _bar_centre(page, dimension: str, measure: str, key: str) -> tuple[float, float]:
    """The page coordinates of the centre of one bar of an ECharts chart (canvas: found from
    the chart's own layout)."""
    chart = page.locator(f"[data-chart={dimension}]")
    chart.locator("canvas").wait_for()
    chart.scroll_into_view_if_needed()  # a click lands only inside the viewport
    offset = page.evaluate(
        """([dimension, measure, key]) => {
          const node = document.querySelector(`[data-chart=${dimension}]`);
          const chart = window.echarts.getInstanceByDom(node);
          const read = (id) => JSON.parse(document.getElementById(id).textContent);
          const label = read("dashboard-measures")[measure];
          const data = read("dashboard-data")[dimension];
          const series = chart.getOption().series.findIndex((s) => s.name === label);
          const layout = chart.getModel().getSeriesByIndex(series).getData()
            .getItemLayout(data.keys.indexOf(key));
          return [layout.x + layout.width / 2, layout.y + layout.height / 2];
        }""",
        [dimension, measure, key],
    )
    box = chart.bounding_box()
    return box["x"] + offset[0], box["y"] + offset[1]


def test_the_county_clicks_a_bar_and_lands_on_its_records(page, make_user, gongan_year):
    user = make_user("gongan", "reviewer")
    log_in(page, user.username)
    page.goto(f"/reports/?{YEAR}")
    assert page.locator("[data-testid=total-completed]").inner_text() == str(
        sum(gongan_year.values())
    )
    # the county sees its 14 townships
    assert page.locator("[data-testid^=row-region-]").count() == 14
    key = "421022104"
    x, y = _bar_centre(page, "region", "completed", key)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/reports/records/\?.*dimension=region.*key=421022104"))
    assert "measure=completed" in page.url
    assert page.locator("[data-testid=records] tbody tr").count() == gongan_year[key]
    assert "闸口镇" in page.locator("[data-testid=records-filter]").inner_text()  # not its code
    assert key not in page.locator("[data-testid=records-filter]").inner_text()


def test_a_township_sees_itself_and_its_rank(page, make_user, gongan_year):
    user = make_user("township:421022103", "clerk")
    log_in(page, user.username)
    page.goto(f"/reports/?{YEAR}")
    rows = page.locator("[data-testid^=row-region-]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-testid") == "row-region-421022103"
    assert page.locator("[data-testid=total-completed]").inner_text() == str(
        gongan_year["421022103"]
    )
    assert "14" in page.locator("[data-testid=own-rank]").inner_text()
    # its bar opens its own records
    x, y = _bar_centre(page, "region", "completed", "421022103")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/reports/records/\?.*key=421022103"))
    assert page.locator("[data-testid=records] tbody tr").count() == gongan_year["421022103"]


def test_the_province_sees_its_cities(page, make_user, gongan_year):
    user = make_user("province", "policy_admin")
    log_in(page, user.username)
    page.goto(f"/reports/?{YEAR}")
    rows = page.locator("[data-testid^=row-region-]")
    assert rows.count() == 1  # only 荆州市 has records
    assert rows.first.get_attribute("data-testid") == "row-region-4210"
    assert "荆州市" in rows.first.inner_text()
    assert page.locator("[data-testid=total-completed]").inner_text() == str(
        sum(gongan_year.values())
    )
    x, y = _bar_centre(page, "region", "completed", "4210")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/reports/records/\?.*key=4210"))
    assert "荆州市" in page.locator("[data-testid=records-filter]").inner_text()


def test_the_bottom_three_townships_are_flagged(page, make_user, gongan_year):
    user = make_user("gongan", "reviewer")
    log_in(page, user.username)
    page.goto(f"/reports/?{YEAR}")
    page.get_by_role("link", name="乡镇年终考评").click()
    page.wait_for_url("**/reports/evaluation/**")
    table = page.locator("[data-testid=evaluation]")
    assert table.locator("tbody tr").count() == 14
    flagged = table.locator("tr.table-danger")
    assert flagged.count() == 3
    assert page.locator("[data-testid=flagged]").count() == 3
    ranks = [int(flagged.nth(i).locator("td").first.inner_text()) for i in range(3)]
    assert ranks == [12, 13, 14]
    # not a tie at zero: every township has done something
    scores = [float(flagged.nth(i).locator("td").nth(6).inner_text()) for i in range(3)]
    assert all(score > 0 for score in scores)
    assert "GA23-EVAL-1" in page.content()
