"""Spot checks and sanctions (GA23-SPT-1, HB45-BLK-1): a reproducible random sample checked
by telephone or on site, the rectification order or public criticism it brings, and the
blacklist after a confirmed fraud signal.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.core.stored_text import render_stored_text, stored_text
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import ClassStatus, Enrolment, TrainingClass

from ..models import (
    Sanction,
    SanctionKind,
    Signal,
    SignalStatus,
    SpotCheck,
    SpotCheckItem,
    SpotMethod,
    SpotResult,
    SpotSubject,
)
from ._common import ISSUE_SANCTION, RECORD_SPOTCHECK, REVIEW_SIGNAL, _bureau_of, _check_choice


def _institution(actor, organisation: Organisation, perm: str) -> Organisation:
    organisation = get_visible_or_404(Organisation, actor, perm=perm, pk=organisation.pk)
    bureau = _bureau_of(actor)
    if organisation.kind not in (OrganisationKind.INSTITUTION, OrganisationKind.ENTERPRISE):
        raise ValidationError(_("Spot checks and sanctions concern institutions and enterprises."))
    if bureau is not None and not organisation.region.code.startswith(bureau.jurisdiction_prefix):
        raise PermissionDenied(perm)
    return organisation


@transaction.atomic
def spot_check_draw(
    *,
    actor: Actor,
    organisation: Organisation,
    subject: str,
    method: str,
    size: int,
    seed: str = "",
    on: date | None = None,
) -> SpotCheck:
    """Draw a random sample of an institution's trainees (enrolments) or classes for
    verification by telephone or on site (GA23-SPT-1). The seed is kept, so the draw can be
    repeated and shown to be random."""
    require_perm(actor, RECORD_SPOTCHECK)
    organisation = _institution(actor, organisation, RECORD_SPOTCHECK)
    _check_choice(subject, SpotSubject, "subject", _("Choose trainees or classes."))
    _check_choice(method, SpotMethod, "method", _("Choose telephone or on site."))
    if size < 1:
        raise ValidationError({"size": _("Draw at least one.")})
    classes = TrainingClass.objects.filter(organisation=organisation).exclude(
        status__in=(ClassStatus.DRAFT, ClassStatus.CANCELLED)
    )
    if subject == SpotSubject.TRAINEES:
        population = list(
            Enrolment.objects.filter(training_class__in=classes)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        population = list(classes.order_by("pk").values_list("pk", flat=True))
    if not population:
        raise ValidationError(_("The institution has nothing to draw from yet."))
    seed = seed or secrets.token_hex(8)
    sample = random.Random(seed).sample(population, min(size, len(population)))
    spot_check = SpotCheck.objects.create(
        organisation=organisation,
        subject=subject,
        method=method,
        population=len(population),
        seed=seed,
        drawn_on=on or timezone.localdate(),
        drawn_by=user_of(actor),
    )
    field = "enrolment_id" if subject == SpotSubject.TRAINEES else "training_class_id"
    for pk in sorted(sample):
        SpotCheckItem.objects.create(spot_check=spot_check, **{field: pk})
    return spot_check


@transaction.atomic
def spot_check_item_record(
    *, actor: Actor, item: SpotCheckItem, result: str, note: str = ""
) -> SpotCheckItem:
    """What the call or visit found for one sampled trainee or class."""
    item = get_visible_or_404(
        SpotCheckItem.objects.select_related("spot_check"),
        actor,
        perm=RECORD_SPOTCHECK,
        pk=item.pk,
    )
    if item.spot_check.closed_at is not None:
        raise ValidationError(_("This spot check is closed."))
    if result not in (SpotResult.VERIFIED, SpotResult.FAILED):
        raise ValidationError({"result": _("Choose verified or failed.")})
    if result == SpotResult.FAILED and not note.strip():
        raise ValidationError({"note": _("Say what did not check out.")})
    item.result = result
    item.note = note.strip()[:255]
    item.checked_by = user_of(actor)
    item.checked_at = timezone.now()
    item.save()
    return item


def _checked_period_end(spot_check: SpotCheck, items: list[SpotCheckItem]) -> date:
    """The date whose rule applies: the last end date of the classes checked (the trainings
    are judged by the rules they ran under), or the day of the draw if it is earlier."""
    class_ids = {item.training_class_id for item in items if item.training_class_id}
    class_ids |= set(
        Enrolment.objects.filter(
            pk__in=[item.enrolment_id for item in items if item.enrolment_id]
        ).values_list("training_class_id", flat=True)
    )
    ends = TrainingClass.objects.filter(pk__in=class_ids).values_list("end_date", flat=True)
    return min(max(ends, default=spot_check.drawn_on), spot_check.drawn_on)


@dataclass(frozen=True)
class SpotCheckOutcome:
    spot_check: SpotCheck
    sanction: Sanction | None


@transaction.atomic
def spot_check_close(*, actor: Actor, spot_check: SpotCheck) -> SpotCheckOutcome:
    """Close a spot check once every item is recorded: its failure rate against the highest
    acceptable rate (``spot_check.max_failure_share``, GA23-SPT-1) in force when the checked
    classes ended. Above it, the first
    violation of the institution brings an order to rectify at once, a second one a public
    criticism (通报批评)."""
    spot_check = get_visible_or_404(
        SpotCheck.objects.select_for_update().select_related("organisation__region"),
        actor,
        perm=RECORD_SPOTCHECK,
        pk=spot_check.pk,
    )
    bureau = _bureau_of(actor)
    if spot_check.closed_at is not None:
        raise ValidationError(_("This spot check is closed."))
    items = list(spot_check.items.all())
    pending = sum(item.result == SpotResult.PENDING for item in items)
    if pending:
        raise ValidationError(_("%(n)d sampled items are not checked yet.") % {"n": pending})
    failures = sum(item.result == SpotResult.FAILED for item in items)
    rate = (Decimal(failures) / Decimal(len(items))).quantize(Decimal("0.0001"))
    version = parameters_in_effect().lookup(
        "spot_check.max_failure_share",
        spot_check.organisation.region.code[:6],
        _checked_period_end(spot_check, items),
    )
    spot_check.failures = failures
    spot_check.failure_rate = rate
    spot_check.threshold = Decimal(version.value) if version else None
    spot_check.violation = version is not None and rate > Decimal(version.value)
    spot_check.closed_at = timezone.now()
    spot_check.save()
    sanction = None
    if spot_check.violation:
        earlier = (
            SpotCheck.objects.filter(organisation=spot_check.organisation, violation=True)
            .exclude(pk=spot_check.pk)
            .count()
        )
        kind = SanctionKind.RECTIFICATION if earlier == 0 else SanctionKind.PUBLIC_CRITICISM
        # the sentence's message and figures, shown in the reader's language (issue 15.9)
        reason = stored_text(
            gettext_lazy(
                "GA23-SPT-1: %(failures)d of %(n)d sampled failed verification (%(rate)s%%), "
                "above the acceptable %(max)s%% (%(ref)s); violation number %(count)d."
            ),
            failures=failures,
            n=len(items),
            # ":f" so that 20 reads 20, not 2E+1
            rate=f"{(rate * 100).normalize():f}",
            max=f"{(Decimal(version.value) * 100).normalize():f}",
            ref=version.reference.text(),
            count=earlier + 1,
        )
        sanction = Sanction.objects.create(
            organisation=spot_check.organisation,
            kind=kind,
            rule="GA23-SPT-1",
            reason=render_stored_text(reason),  # as written, for search
            reason_text=reason,
            spot_check=spot_check,
            valid_from=timezone.localdate(),
            issued_by=user_of(actor),
            bureau=bureau,
        )
    return SpotCheckOutcome(spot_check, sanction)


@transaction.atomic
def sanction_blacklist(
    *,
    actor: Actor,
    organisation: Organisation,
    reason: str,
    signal: Signal | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Sanction:
    """Blacklist an institution for fraud (虚假培训, 套取; HB45-BLK-1): while in force it may
    not file new classes or submit claims. A person's decision, after a signal was confirmed
    or on other findings, never an automatic consequence of a signal."""
    require_perm(actor, ISSUE_SANCTION)
    organisation = _institution(actor, organisation, ISSUE_SANCTION)
    if signal is not None:
        signal = get_visible_or_404(Signal, actor, perm=REVIEW_SIGNAL, pk=signal.pk)
        if signal.status != SignalStatus.CONFIRMED:
            raise ValidationError(_("Confirm the signal before blacklisting on its strength."))
        if signal.training_class.organisation_id != organisation.pk:
            raise ValidationError(_("The signal concerns another organisation."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end is before the start.")})
    return Sanction.objects.create(
        organisation=organisation,
        kind=SanctionKind.BLACKLIST,
        rule="HB45-BLK-1",
        reason=reason.strip(),
        signal=signal,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=user_of(actor),
        bureau=_bureau_of(actor),
    )
