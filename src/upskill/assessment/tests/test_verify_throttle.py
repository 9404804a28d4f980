"""The public certificate verification throttle counts anonymous look-ups per address; staff
who are logged in (a county office behind one NAT address) are not throttled there."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from upskill.assessment.throttle import VERIFY_LIMIT

PAGE = "/assessment/verify/?serial=1&code=2"
API = "/api/certificates/verify?serial=1&code=2"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_look_ups_are_limited_per_address(world, client):
    for _n in range(VERIFY_LIMIT):
        assert client.get(PAGE).status_code == 404
    assert client.get(PAGE).status_code == 429
    assert client.get(API).status_code == 429
    # another address is counted on its own
    assert client.get(PAGE, REMOTE_ADDR="10.0.0.2").status_code == 404


def test_logged_in_staff_behind_the_same_address_are_not_throttled(world, make_user, client):
    anonymous = type(client)()
    for _n in range(VERIFY_LIMIT + 1):
        anonymous.get(PAGE)
    assert anonymous.get(PAGE).status_code == 429  # the office's address is exhausted
    client.force_login(make_user("gongan", "reviewer"))
    for _n in range(VERIFY_LIMIT + 10):
        assert client.get(PAGE).status_code == 404
        assert client.get(API).status_code == 404
    assert anonymous.get(PAGE).status_code == 429  # still limited: staff did not reset it


def test_staff_look_ups_do_not_use_up_the_address(world, make_user, client):
    client.force_login(make_user("inst1", "clerk"))
    for _n in range(VERIFY_LIMIT + 5):
        client.get(PAGE)
    client.logout()
    assert client.get(PAGE).status_code == 404


def test_a_user_without_an_organisation_is_counted_like_the_public(
    world, django_user_model, client
):
    client.force_login(django_user_model.objects.create_user("nobody", password="Test#Pass2023"))
    for _n in range(VERIFY_LIMIT):
        client.get(PAGE)
    assert client.get(PAGE).status_code == 429
