"""Issue 15's done-when: on the seeded demo, every demo role logs in through the log-in form
in one Chromium session, and its home page shows each entry of its work queue with the count
the data gives (the queue's own selectors, and for the main queues a count made here straight
from the scoped rows), with the menu's badges adding them up."""

from __future__ import annotations

import pytest

from upskill.core.queues import badges, queue_for
from upskill.core.scoping import visible

from .conftest import log_in


@pytest.fixture(autouse=True)
def _regions(transactional_db):
    """A transactional test's flush removes the divisions the data migration made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions

    ensure_regions(Region)


def _counted_from_the_rows(user) -> dict[str, int]:
    """The main queues counted from the rows the user may see, not through the queue code
    (compared where the user's queue has the entry)."""
    from upskill.subsidies.models import Claim, ClaimStatus
    from upskill.supervision.models import Signal, SignalStatus
    from upskill.training.models import ClassStatus, TrainingClass

    return {
        "training.plans_to_approve": (
            visible(TrainingClass, user).filter(status=ClassStatus.SUBMITTED).count()
        ),
        "subsidies.claims_to_review": (
            visible(Claim, user)
            .filter(status__in=(ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW))
            .count()
        ),
        "supervision.signals_to_review": (
            visible(Signal, user).filter(status=SignalStatus.OPEN).count()
        ),
    }


def test_every_demo_role_sees_its_queue_counts_on_its_home_page(
    browser, live_server, settings, tmp_path
):
    from upskill.demo.seed import DEMO_PASSWORD, seed
    from upskill.organisations.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    logins = seed()
    checked = {}
    for login in logins:
        user = User.objects.get(username=login.username)
        context = browser.new_context(
            locale="zh-CN", base_url=live_server.url, viewport={"width": 1366, "height": 768}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, login.username, DEMO_PASSWORD)
        waiting = queue_for(user)
        shown = {
            item.key: int(page.inner_text(f"[data-testid='count-{item.key}']")) for item in waiting
        }
        assert shown == {item.key: item.count for item in waiting}, login.username
        for key, count in _counted_from_the_rows(user).items():
            if key in shown:
                assert shown[key] == count, (login.username, key)
        for slug, count in badges(waiting).items():
            badge = page.inner_text(f"[data-testid='badge-{slug.replace(':', '-')}']")
            assert int(badge) == count, (login.username, slug)
        checked[login.username] = sum(shown.values())
        context.close()
    assert len(checked) == len(logins)
    # the demo leaves work waiting for the roles whose queues it exercises
    assert checked["ga_reviewer"] and checked["ga_payment"] and checked["ga_inspector"]
    assert checked["ga_hrsc"] and checked["inst3_clerk"]
