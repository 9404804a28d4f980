"""The batch settlement of a region (the policy engine's batch path), started as a background
job by a bureau for a region of its jurisdiction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from upskill.core.jobs import job_start
from upskill.core.models import Job
from upskill.core.scoping import Actor, require_perm

from ..selectors.settlement import settlement_region_allowed
from ..tasks import settle_job

VIEW_FUND = "subsidies.view_fund"


def settlement_start(*, actor: Actor, region: str, year: int) -> Job:
    """Start the settlement of ``region`` for ``year`` as a job: refused (on ``region``) when
    the region lies outside the actor's jurisdiction; the job reads the classes through the
    actor's scope as well (``selectors.settle``)."""
    require_perm(actor, VIEW_FUND)
    if not settlement_region_allowed(actor=actor, region=region):
        raise ValidationError({"region": _("Choose a region of your jurisdiction.")})
    return job_start(
        actor=actor,
        kind="subsidies.settle",
        task=settle_job,
        title=_("Batch settlement %(region)s %(year)s") % {"region": region, "year": year},
        region=region,
        year=year,
    )
