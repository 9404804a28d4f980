"""Fixtures of the assessment tests: training's catalogue and class fixtures, in English."""

from __future__ import annotations

import pytest

from upskill.training.tests.conftest import catalog_entries, enrol, make_class  # noqa: F401


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source wording."""
    from django.utils import translation

    with translation.override("en"):
        yield
