"""Fixtures of the training tests: catalogue entries and classes, made through the services."""

from __future__ import annotations

import pytest

from . import factories


@pytest.fixture
def catalog_entries(world):
    return factories.catalog_entries()


@pytest.fixture
def make_class(world, catalog_entries):
    def make(**kwargs):
        return factories.make_class(world, **kwargs)

    return make


@pytest.fixture
def enrol(make_person):
    def enrol(training_class, n: int = 1, **person_fields):
        return factories.enrol(training_class, make_person, n, **person_fields)

    return enrol


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source wording."""
    from django.utils import translation

    with translation.override("en"):
        yield
