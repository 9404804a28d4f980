"""Fixtures of the scoping tests."""

from __future__ import annotations

import itertools

import pytest

from upskill.core.scoping import SYSTEM


@pytest.fixture
def make_learner(make_person):
    """A learner's account (no organisation: the online path), linked to ``person`` (a new
    person when none is given)."""
    from upskill.registry.services import person_account_create

    counter = itertools.count(1)

    def make(person=None):
        return person_account_create(
            actor=SYSTEM,
            person=person or make_person(),
            username=f"scope_learner_{next(counter)}",
            password="Test#Pass2023",
            check_password=False,
        )

    return make
