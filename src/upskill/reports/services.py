"""Writes of the reports app: targets and their split (GA23-TGT-1, HB45-TGT-1). Every function
takes the acting user or token first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.scoping import SYSTEM, Actor, require_perm
from upskill.organisations.models import Organisation, OrganisationKind, Region, RegionLevel

from .models import SplitStatus, Target, TargetLine, TargetShare
from .permissions import ADD_TARGET, SPLIT_TARGET, VIEW_DASHBOARD, VIEW_TARGET
from .selectors import split_holders, target_may_change

__all__ = ["ADD_TARGET", "SPLIT_TARGET", "VIEW_DASHBOARD", "VIEW_TARGET"]


def _setter(actor: Actor, region: Region) -> Organisation:
    """The bureau setting a target for ``region``: the actor's own, which must be the bureau
    of that region (a county sets the county's targets, the province the province's)."""
    organisation = getattr(actor, "organisation", None)
    if actor is SYSTEM or organisation is None:
        bureau = (
            Organisation.objects.filter(
                region=region,
                kind__in=[
                    OrganisationKind.PROVINCE_HR,
                    OrganisationKind.CITY_HR,
                    OrganisationKind.COUNTY_HR,
                ],
            )
            .order_by("pk")
            .first()
        )
        if bureau is None:
            raise ValidationError(_("No bureau holds this region."))
        return bureau
    if organisation.region_id != region.pk or not organisation.jurisdiction_prefix:
        raise PermissionDenied(_("A bureau sets the targets of its own region only."))
    return organisation


@transaction.atomic
def target_set(
    *,
    actor: Actor,
    region: Region,
    line: str,
    year_from: int,
    year_to: int | None = None,
    quantity: int,
    parent: Target | None = None,
    document: str = "",
    note: str = "",
) -> Target:
    """Set (or change) a region's target for a line of training over a span of years
    (GA23-TGT-1, HB45-TGT-1). A changed quantity puts a confirmed split back to draft: its
    shares no longer add up to it."""
    require_perm(actor, ADD_TARGET)
    if region.level == RegionLevel.TOWNSHIP:
        raise ValidationError(_("Targets are set for a county, a city or the province."))
    if line not in TargetLine.values:
        raise ValidationError(_("Unknown line of training."))
    year_to = year_to or year_from
    if year_to < year_from:
        raise ValidationError(_("The last year comes before the first."))
    if quantity <= 0:
        raise ValidationError(_("A target is a positive number of person-times."))
    if parent is not None and (
        parent.region_id != region.pk
        or parent.year_from > year_from
        or parent.year_to < year_to
        or quantity > parent.quantity
    ):
        raise ValidationError(
            _("A part of a target is of the same region and years, and not larger than it.")
        )
    setter = _setter(actor, region)
    target, created = Target.objects.get_or_create(
        region=region,
        line=line,
        year_from=year_from,
        year_to=year_to,
        defaults={
            "quantity": quantity,
            "parent": parent,
            "document": document,
            "note": note,
            "set_by": setter,
        },
    )
    if not created:
        changed = target.quantity != quantity
        target.quantity = quantity
        target.parent = parent
        target.document = document
        target.note = note
        if changed and target.split_status == SplitStatus.CONFIRMED:
            target.split_status = SplitStatus.DRAFT
        target.save()
    return target


def _no_share(holder) -> str:
    return _("%(holder)s has no share of this target.") % {"holder": holder}


@transaction.atomic
def target_split_save(
    *, actor: Actor, target: Target, shares: dict[object, int], confirm: bool = False
) -> Target:
    """Save a target's split (GA23-TGT-1): ``shares`` maps a township or city (``Region``) or
    an institution (``Organisation``) to its share. The split is kept as a draft whatever it
    adds up to (the page shows the difference); with ``confirm`` it is confirmed, which only a
    split adding up to the target may be. A zero share is removed."""
    require_perm(actor, SPLIT_TARGET)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if not target_may_change(actor=actor, target=target):
        raise PermissionDenied(_("Only the bureau that set the target splits it."))
    holders = split_holders(target=target)
    allowed_regions = {region.pk for region in holders.regions}
    allowed_organisations = {organisation.pk for organisation in holders.organisations}
    rows: list[TargetShare] = []
    for holder, quantity in shares.items():
        quantity = int(quantity or 0)
        if quantity < 0:
            raise ValidationError(_("A share cannot be negative."))
        if not quantity:
            continue
        if isinstance(holder, Region):
            if holder.pk not in allowed_regions:
                raise ValidationError(
                    _("%(holder)s has no share of this target.") % {"holder": holder}
                )
            rows.append(TargetShare(target=target, region=holder, quantity=quantity))
        elif isinstance(holder, Organisation):
            if holder.pk not in allowed_organisations:
                raise ValidationError(
                    _("%(holder)s has no share of this target.") % {"holder": holder}
                )
            rows.append(TargetShare(target=target, organisation=holder, quantity=quantity))
        else:
            raise ValidationError(_("A share goes to a township, a city or an institution."))
    total = sum(row.quantity for row in rows)
    if confirm and total != target.quantity:
        raise ValidationError(
            _(
                "The shares add up to %(total)s, the target is %(target)s (difference "
                "%(difference)s): the split stays a draft until they agree (GA23-TGT-1)."
            )
            % {"total": total, "target": target.quantity, "difference": total - target.quantity}
        )
    target.shares.all().delete()
    for row in rows:
        row.save()
    target.split_status = SplitStatus.CONFIRMED if confirm else SplitStatus.DRAFT
    target.save(update_fields=["split_status"])
    return target
