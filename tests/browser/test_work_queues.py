"""Work first (issue 15, items 1, 2 and 8): each role logs in to its work queue, whose counts
equal the data made through the services, with the same counts as badges of a side menu that
fits a 1366×768 screen; the public portal reads well on a 390 px phone."""

from __future__ import annotations

import pytest

from upskill.catalog.models import Catalog
from upskill.core.queues import badges, queue_for
from upskill.core.scoping import SYSTEM
from upskill.training import services
from upskill.training.models import ClassStatus, TrainingClass
from upskill.training.tests import factories

from .conftest import log_in


@pytest.fixture(autouse=True)
def _regions(transactional_db):
    """A transactional test's flush removes the divisions the data migration made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions

    ensure_regions(Region)


@pytest.fixture
def classes(world):
    """Gong'an: inst1 has a plan submitted and a class approved; inst2 a plan returned and a
    class running."""
    factories.catalog_entries()
    factories.make_class(world, status="submitted")
    factories.make_class(world, status="approved")
    factories.make_class(world, status="running", organisation="inst2")
    returned = factories.make_class(world, status="submitted", organisation="inst2")
    services.class_transition(
        actor=SYSTEM, training_class=returned, action="return", reason="课时不足"
    )


def _in_county(status: str, organisation: str | None = None) -> int:
    classes = TrainingClass.objects.filter(status=status, township__code__startswith="421022")
    if organisation:
        classes = classes.filter(organisation__name=organisation)
    return classes.count()


def _check_home(page, user, expected: dict[str, int]) -> None:
    """The home page shows every entry of the user's queue with its count, the counts asked for
    equal the data, and the menu's badges add them up per list."""
    waiting = queue_for(user)
    shown = {
        item.key: int(page.inner_text(f"[data-testid='count-{item.key}']")) for item in waiting
    }
    assert shown == {item.key: item.count for item in waiting}
    for key, count in expected.items():
        assert shown[key] == count, key
    for slug, count in badges(waiting).items():
        badge = page.inner_text(f"[data-testid='badge-{slug.replace(':', '-')}']")
        assert int(badge) == count, slug
    assert page.locator("[data-testid=main-nav] a[aria-current=page]").inner_text() == "首页"


def _menu_fits(page) -> None:
    """On a 1366×768 screen the side menu shows every entry without scrolling."""
    assert page.viewport_size == {"width": 1366, "height": 768}
    assert page.eval_on_selector(
        "[data-testid=main-nav]", "el => el.scrollHeight <= el.clientHeight"
    )


def _log_in_as(page, make_user, org: str, role: str):
    user = make_user(org, role, username=f"{org}_{role}_q")
    log_in(page, user.username)
    return user


def test_reviewer_home_counts_the_plans_to_approve(page, make_user, classes):
    page.set_viewport_size({"width": 1366, "height": 768})
    user = _log_in_as(page, make_user, "gongan", "reviewer")
    _check_home(page, user, {"training.plans_to_approve": _in_county(ClassStatus.SUBMITTED)})
    assert page.inner_text("[data-testid='count-training.plans_to_approve']") == "1"
    _menu_fits(page)
    areas = page.locator("[data-testid^=menu-area-]").all_inner_texts()
    assert areas[:2] == ["培训", "监督"] and "系统" in areas
    # the queue's link opens the list it counts, the current page marked, with breadcrumbs
    page.click("[data-testid='queue-training.plans_to_approve']")
    assert (
        page.locator("[data-testid=main-nav] a[aria-current=page]")
        .inner_text()
        .startswith("培训班")
    )
    assert page.locator("table tbody tr").count() == 1
    assert "培训" in page.inner_text("[data-testid=breadcrumbs]")


def test_institution_clerk_home_counts_its_classes(page, make_user, classes):
    user = _log_in_as(page, make_user, "inst2", "clerk")
    _check_home(
        page,
        user,
        {
            "training.plans_returned": _in_county(ClassStatus.RETURNED),
            "training.classes_to_finish": _in_county(ClassStatus.RUNNING),
            "training.classes_to_start": 0,  # inst1's approved class is not inst2's work
        },
    )


def test_teacher_home_counts_the_classes_to_mark(page, make_user, classes):
    user = _log_in_as(page, make_user, "inst2", "teacher")
    _check_home(page, user, {"training.attendance_to_mark": 1})


def test_inspector_home_counts_the_inspections_due(page, make_user, classes):
    user = _log_in_as(page, make_user, "gongan", "inspector")
    _check_home(page, user, {"supervision.inspections_due": _in_county(ClassStatus.RUNNING)})


def test_administrator_home_counts_the_unpublished_catalogues(page, make_user, classes):
    page.set_viewport_size({"width": 1366, "height": 768})
    user = _log_in_as(page, make_user, "gongan", "admin")
    _menu_fits(page)  # the longest menu of the county's roles
    drafts = Catalog.objects.filter(published_at__isnull=True).count()
    _check_home(page, user, {"catalog.unpublished": drafts})


def test_payment_clerk_home_says_nothing_waits(page, make_user, classes):
    user = _log_in_as(page, make_user, "gongan", "payment_clerk")
    _check_home(page, user, {"subsidies.payments_to_batch": 0, "subsidies.results_to_import": 0})
    assert page.locator("[data-testid=queue-empty]").is_visible()
    # elsewhere the badges come after the page: none here, nothing waits
    page.goto("/subsidies/batches/")
    page.wait_for_selector("[data-badges-loaded=true]", state="attached")
    assert page.locator(".menu-badge:not(.d-none)").count() == 0


def test_counsellor_home_counts_the_referrals(page, make_user, classes):
    user = _log_in_as(page, make_user, "hrsc", "counsellor")
    _check_home(page, user, {"employment.new_referrals": 0, "employment.follow_ups": 0})


def test_auditor_home_counts_the_reveals(page, make_user, classes):
    user = _log_in_as(page, make_user, "gongan", "auditor")
    _check_home(page, user, {"core.access_log_recent": 0})


def test_public_portal_on_a_phone(page, world, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    cards = page.locator("[data-testid^=service-]")
    assert cards.count() == 6
    # one column, nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)
    assert len({round(box["x"]) for box in boxes}) == 1
    page.screenshot(path=str(tmp_path / "portal-390.png"), full_page=True)
    assert (tmp_path / "portal-390.png").stat().st_size > 0
    page.click("[data-testid=service-enrolment]")
    assert page.url.endswith("/training/notices/")
