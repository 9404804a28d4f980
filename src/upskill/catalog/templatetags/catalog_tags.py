from __future__ import annotations

from datetime import date

from django import template

register = template.Library()


@register.filter
def missing_permits_on(platform, day: date) -> list[str]:
    """The WH20-PLT-1 explanations of a platform's missing or expired permits on a day."""
    return platform.missing_permits(day)
