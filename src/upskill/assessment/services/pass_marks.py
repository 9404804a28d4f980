"""Pass marks, the bureau's setting per occupation and level (GA23-CRT-1); the marks in force
for a class are read with :func:`upskill.assessment.selectors.pass_marks_for`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, require_perm
from upskill.organisations.models import Region, RegionLevel

from ..models import DEFAULT_FULL_MARKS, PassMark
from ._common import SET_PASS_MARK


@transaction.atomic
def pass_mark_set(
    *,
    actor: Actor,
    region: Region,
    occupation_name: str,
    level: int,
    theory_pass_mark: Decimal,
    practical_pass_mark: Decimal,
    full_marks: Decimal = DEFAULT_FULL_MARKS,
    online_theory_exempts: bool = True,
    document: str = "",
) -> PassMark:
    """A bureau sets the pass marks of an occupation and level in its jurisdiction
    (GA23-CRT-1). Sessions already scheduled keep the marks they were given."""
    require_perm(actor, SET_PASS_MARK)
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser:
        prefix = organisation.jurisdiction_prefix if organisation is not None else None
        if not prefix or not region.code.startswith(prefix):
            raise PermissionDenied(SET_PASS_MARK)
    if region.level == RegionLevel.TOWNSHIP:
        raise ValidationError({"region": _("Pass marks are set for a county, city or province.")})
    occupation_name = " ".join(str(occupation_name).split())
    if not occupation_name:
        raise ValidationError({"occupation_name": _("Name the occupation.")})
    full_marks, theory, practical = (
        Decimal(full_marks),
        Decimal(theory_pass_mark),
        Decimal(practical_pass_mark),
    )
    for key, value in (("theory_pass_mark", theory), ("practical_pass_mark", practical)):
        if not (Decimal(0) < value <= full_marks):
            raise ValidationError(
                {
                    key: _("A pass mark lies between 0 and the full marks (%(f)s).")
                    % {"f": full_marks}
                }
            )
    mark, _created = PassMark.objects.update_or_create(
        region=region,
        occupation_name=occupation_name,
        level=level,
        defaults={
            "full_marks": full_marks,
            "theory_pass_mark": theory,
            "practical_pass_mark": practical,
            "online_theory_exempts": online_theory_exempts,
            "document": document,
            "set_by": organisation,
        },
    )
    return mark
