"""Fixtures of the subsidies tests: finished classes and funds, made through the services."""

from __future__ import annotations

import pytest
from django.utils import translation

from . import factories


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source wording."""
    with translation.override("en"):
        yield


@pytest.fixture
def finished_class(world):
    def make(persons, **kwargs):
        return factories.finished_class(world, persons, **kwargs)

    return make


@pytest.fixture
def fund(world):
    return factories.fund(world)
