"""The work queues of subsidies (core/queues.py, subsidies/queues.py): the reviewer counts the
claims to review and the objections open (HB45-PUB-1), the payment clerk the approved amounts
not yet in a batch and the batches sent without results; each equals the data, in scope."""

from __future__ import annotations

import re
from datetime import date

import pytest

from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM
from upskill.subsidies import services
from upskill.subsidies.models import (
    BatchStatus,
    Claim,
    ClaimItem,
    ClaimStatus,
    Objection,
    PaymentBatch,
)

from . import factories

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {item.key: item.count for item in queue_for(user)}


def _home_count(client, key: str) -> int:
    found = re.search(
        rf'data-testid="count-{re.escape(key)}">(\d+)<', client.get("/").content.decode()
    )
    assert found, key
    return int(found.group(1))


def test_reviewer_and_payment_clerk_count_what_waits(world, make_person, make_user, client):
    submitted = factories.submitted_claim(world, make_person)
    noticed = factories.noticed_claim(world, make_person)
    services.objection_lodge(
        actor=SYSTEM, claim=noticed, lodged_by="群众", text="该学员未参训", today=date(2023, 6, 3)
    )
    batch = factories.organiser_batch(world, make_person)
    services.batch_export(actor=SYSTEM, batch=batch, fmt="csv")

    reviewer = make_user("gongan", "reviewer")
    counts = _counts(reviewer)
    assert (
        counts["subsidies.claims_to_review"]
        == Claim.objects.filter(
            status__in=(ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW)
        ).count()
        == 1
    )
    assert submitted.status == ClaimStatus.SUBMITTED
    assert counts["subsidies.objections_open"] == Objection.objects.filter(status="open").count()
    assert counts["subsidies.objections_open"] == 1
    assert "subsidies.payments_to_batch" not in counts  # the reviewer pays nothing

    clerk = make_user("gongan", "payment_clerk")
    counts = _counts(clerk)
    assert (
        counts["subsidies.results_to_import"]
        == PaymentBatch.objects.filter(status=BatchStatus.EXPORTED).count()
        == 1
    )
    unbatched = (
        ClaimItem.objects.filter(line__claim__status=ClaimStatus.PAYABLE, line__decision="approved")
        .exclude(payee="township")
        .filter(payment__isnull=True)
        .count()
    )
    assert counts["subsidies.payments_to_batch"] == unbatched
    assert "subsidies.claims_to_review" not in counts
    client.force_login(clerk)
    assert _home_count(client, "subsidies.results_to_import") == 1

    # the organiser: a finished class not claimed yet (the claims page offers it)
    factories.finished_class(world, [make_person()], days=1)
    organiser = make_user("inst1", "clerk")
    counts = _counts(organiser)
    assert counts["subsidies.claims_to_assemble"] == 1
    assert "subsidies.claims_to_review" not in counts

    # another county's bureau sees none of it
    assert _counts(make_user("wuhan", "reviewer"))["subsidies.claims_to_review"] == 0
