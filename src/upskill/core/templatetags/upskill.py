from __future__ import annotations

from django import template
from django.urls import reverse

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
