"""One number format everywhere (issue 15.9): the ``num`` filter groups thousands with a comma
in both languages and keeps an amount's decimal places."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from upskill.core.templatetags.upskill import num


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("1234567.50"), None, "1,234,567.50"),
        (Decimal("450.00"), None, "450.00"),
        (Decimal("-12000.5"), None, "-12,000.5"),
        (1200, None, "1,200"),
        (0, None, "0"),
        (0.6, 1, "0.6"),
        (Decimal("2500"), 2, "2,500.00"),
        ("98765.4", None, "98,765.4"),
        (None, None, ""),
        ("—", None, "—"),
    ],
)
def test_num_groups_thousands_and_keeps_decimals(value, places, shown):
    assert num(value, places) == shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_same_format_in_both_languages(language):
    template = Template("{% load upskill %}{{ amount|num }} / {{ people|num }}")
    with translation.override(language):
        shown = template.render(Context({"amount": Decimal("1234567.89"), "people": 12345}))
    assert shown == "1,234,567.89 / 12,345"
