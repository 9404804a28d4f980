"""The work queue of the HR service centre (core/queues.py, employment/queues.py): the
counsellor counts the certified trainees new in its queue (GA23-EMP-1), as the queue lists
them; the bureau reads the queue but follows nobody up."""

from __future__ import annotations

import pytest

from upskill.assessment.tests.factories import examined_class
from upskill.core.queues import queue_for
from upskill.employment.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {item.key: item.count for item in queue_for(user)}


def test_the_counsellor_counts_new_referrals(world, make_person, make_user, client):
    examined_class(world, make_person, scores=((80, 80), (90, 85)))
    counsellor = make_user("hrsc", "counsellor")
    counts = _counts(counsellor)
    new = Referral.objects.filter(status=ReferralStatus.QUEUED).count()
    assert counts["employment.new_referrals"] == new == 2
    assert counts["employment.follow_ups"] == 0
    client.force_login(counsellor)
    listed = client.get("/employment/?status=queued").context["page"].paginator.count
    assert listed == new
    assert "employment.new_referrals" not in _counts(make_user("gongan", "reviewer"))
