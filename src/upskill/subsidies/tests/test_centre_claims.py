"""GA23 三(五): the county employment training centre claims for the poverty-alleviation
classes it organises; its own reviewer does not review those claims (the bureau does)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from upskill.organisations.models import Region

pytestmark = pytest.mark.django_db


def test_ga23_training_centre_reviewer_does_not_review_the_centres_claim(world, make_user):
    """The centre's organiser may claim for its classes; its own reviewer never reviews them."""
    from upskill.subsidies.models import Claim, ClaimKind, ClaimStatus
    from upskill.subsidies.services import claim_take

    organiser = make_user("training_centre", "organiser")
    claim = Claim.objects.create(
        kind=ClaimKind.INSTITUTION,
        claimant=organiser.organisation,
        county=Region.objects.get(code="421022"),
        period_year=2023,
        status=ClaimStatus.SUBMITTED,
        submitted_by=organiser,
    )
    with pytest.raises(PermissionDenied):
        claim_take(actor=make_user("training_centre", "reviewer"), claim=claim)
    taken = claim_take(actor=make_user("gongan", "reviewer"), claim=claim)
    assert taken.status == ClaimStatus.UNDER_REVIEW
