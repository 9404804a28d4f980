"""Fixtures of the supervision tests: classes made through the training services, evidence
files in a temporary media directory."""

from __future__ import annotations

import pytest

from upskill.training.tests import factories as training


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_class(world):
    training.catalog_entries()

    def make(**kwargs):
        kwargs.setdefault("status", "running")
        return training.make_class(world, **kwargs)

    return make


@pytest.fixture
def enrol(make_person):
    def enrol(training_class, n: int = 1, **person_fields):
        return training.enrol(training_class, make_person, n, **person_fields)

    return enrol


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the source language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """Pages answer in English (the source language) so messages can be asserted."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
