"""Fixtures of the exam tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source wording."""
    from django.utils import translation

    with translation.override("en"):
        yield
