from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils import numberformat

from upskill.core.masking import mask_name

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    return reverse("core:history", args=[obj._meta.label_lower, obj.pk])


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter(name="mask_name")
def mask_name_filter(value: str) -> str:
    return mask_name(value)


@register.filter(name="num")
def num(value, places=None) -> str:
    """Every number and amount of money shown one way, in either language (issue 15.9): digits
    grouped by thousands with a comma, a point before the decimals (``1,234,567.50``). An amount
    keeps its own decimal places unless ``places`` is given (``{{ share|num:1 }}``); a value that
    is no number (None, "", text) is shown as it is."""
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        number = value if isinstance(value, (int, float, Decimal)) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return numberformat.format(
        number,
        decimal_sep=".",
        decimal_pos=None if places in (None, "") else int(places),
        grouping=3,
        thousand_sep=",",
        force_grouping=True,
    )
