"""Writes of policy parameters: versions added and withdrawn in the web UI."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill import policy
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.selectors import in_jurisdiction

from .models import ParameterVersion
from .selectors import parameter_rows, parameters_for_cli, parameters_in_effect

# Read by many apps as ``services.parameters_in_effect``; the reads live in selectors.
__all__ = [
    "parameter_rows",
    "parameter_version_add",
    "parameter_version_withdraw",
    "parameters_for_cli",
    "parameters_in_effect",
]


def _check_region(actor: Actor, region_code: str) -> None:
    if not in_jurisdiction(actor=actor, region_code=region_code):
        raise ValidationError(
            {"region_code": _("You may set parameters only for regions in your jurisdiction.")}
        )


@transaction.atomic
def parameter_version_add(
    *,
    actor: Actor,
    parameter: str,
    region_code: str,
    valid_from: date,
    valid_until: date | None,
    value,
    document: str,
    clause: str = "",
    rule: str,
    note: str = "",
) -> ParameterVersion:
    """Add a dated value of a parameter for a region, with its legal reference. Refused when
    it overlaps a period already in force for the same parameter and region."""
    require_perm(actor, "policy_admin.add_parameterversion")
    _check_region(actor, region_code)
    version = ParameterVersion(
        parameter=parameter,
        region_code=region_code,
        valid_from=valid_from,
        valid_until=valid_until,
        value=value,
        document=document.strip(),
        clause=clause.strip(),
        rule=rule.strip(),
        note=note,
        organisation=getattr(actor, "organisation", None),
        created_by=actor
        if getattr(actor, "is_authenticated", False) and not getattr(actor, "is_api_token", False)
        else None,
    )
    version.full_clean(exclude=["organisation", "created_by"])
    # Serialise additions so two administrators cannot both add overlapping periods.
    list(ParameterVersion.objects.select_for_update().filter(parameter=parameter))
    try:
        policy.validate_version(parameters_in_effect(), version.as_engine_version())
    except policy.ParameterError as exc:
        raise ValidationError(str(exc)) from None
    version.save()
    return version


@transaction.atomic
def parameter_version_withdraw(
    *, actor: Actor, version: ParameterVersion, reason: str
) -> ParameterVersion:
    """Take back a version entered by mistake; it stays in the history, no longer in force."""
    version = get_visible_or_404(
        ParameterVersion, actor, perm="policy_admin.change_parameterversion", pk=version.pk
    )
    _check_region(actor, version.region_code)
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": _("Say why the version is withdrawn.")})
    version.withdrawn_at = timezone.now()
    version.withdrawn_reason = reason.strip()
    version.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return version
