"""Stage 7: funds, claims approved and paid in a batch."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region, User
from upskill.subsidies import services as subsidy_services
from upskill.subsidies.models import Claim
from upskill.training.models import TrainingClass

from ._common import _claim_approved


def subsidies(o: dict[str, Organisation]) -> int:
    """Funds, the working-day calendar and the claim of the finished 中式烹调师 class
    (HB45-PUB-1, HB61-DOC-1): the 2023 budgets of the three fund sources, the official holidays
    of 2023–2025, inst1's claim assembled by the system and, when the class's compliance
    checklist is green, submitted, approved by the reviewer and past its public notice, with
    the trainees' living allowances gathered into a payment batch for the payment clerk to
    export. Made by the demo users through the services."""
    subsidy_services.calendar_seed(actor=SYSTEM, years=[2023, 2024, 2025])
    if Claim.objects.exists():
        return 0
    admin = User.objects.get(username="ga_admin")
    gongan = Region.objects.get(code="421022")
    funds = {
        source: subsidy_services.fund_set(
            actor=admin, source=source, region=gongan, year=2023, budget=Decimal(budget)
        )
        for source, budget in (
            ("employment_fund", "3000000.00"),
            ("skills_account", "5000000.00"),
            ("unemployment_insurance", "1200000.00"),
        )
    }
    cook = TrainingClass.objects.filter(
        organisation=o["inst1"], status="finished", catalog_entry__occupation__name="中式烹调师"
    ).first()
    if cook is None:
        return 0
    claim = _claim_approved(
        cook,
        clerk=User.objects.get(username="inst1_clerk"),
        reviewer=User.objects.get(username="ga_reviewer"),
        fund=funds["employment_fund"],
    )
    if claim.status != "payable":
        return 1  # the checklist is red (no video without ffmpeg): the draft shows why
    payer = User.objects.get(username="ga_payment")
    # nothing may be payable to trainees (no living allowance in this class)
    with contextlib.suppress(ValidationError):
        subsidy_services.batch_create(
            actor=payer,
            fund=funds["employment_fund"],
            payee="trainee",
            today=claim.notice_until + timedelta(days=1),
        )
    return 1
