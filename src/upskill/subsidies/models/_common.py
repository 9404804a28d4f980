"""What the models of the subsidies app share: the money field's size, zero, a bureau's
jurisdiction."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from upskill.organisations.models import Organisation

MONEY = {"max_digits": 14, "decimal_places": 2}


ZERO = Decimal("0.00")


def _bureau_q(organisation: Organisation, path: str) -> Q | None:
    prefix = organisation.jurisdiction_prefix
    if prefix:
        return Q(**{f"{path}__code__startswith": prefix})
    return None


def claimant_or_bureau_q(organisation: Organisation) -> Q:
    """Rows a ``claimant`` files for a ``county``: the claimant's own, and every row of the
    counties under a bureau's jurisdiction (a claim, an advance)."""
    q = Q(claimant=organisation)
    bureau = _bureau_q(organisation, "county")
    if bureau is not None:
        q |= bureau
    return q
