"""Fixtures shared by every app's tests. Test data is made through services, as the product
makes it, never through the UI."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest
from stdnum.cn import ric

from upskill.core.scoping import SYSTEM


def pytest_configure(config):
    """Under pytest-xdist (``make test`` runs ``-n auto``) each worker has its own test
    database (pytest-django) and, when the cache is Redis, its own Redis database: a test's
    ``cache.clear()`` must not empty the other worker's rate-limit counters."""
    import os
    import re

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if worker.startswith("gw") and "redis" in cache["BACKEND"].lower():
        number = int(worker.removeprefix("gw")) + 1
        cache["LOCATION"] = re.sub(r"(/\d+)?/?$", f"/{number}", cache["LOCATION"], count=1)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` (a worker process shares the test database) run in the
    PostgreSQL pass and are left out of the SQLite one (deselected, not skipped)."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _ledger_keys(settings, tmp_path_factory):
    """The fund ledger's HMAC and signing keys are fixed in tests, and each test's signed
    checkpoints go to a directory of their own (subsidies/anchor.py)."""
    settings.LEDGER_MAC_KEYS = {"t1": "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE="}
    settings.LEDGER_MAC_KEY_ID = "t1"
    settings.LEDGER_SIGNING_KEY = "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI="
    settings.LEDGER_TRUSTED_PUBLIC_KEYS = []
    settings.STORAGES = {
        **settings.STORAGES,
        "ledger_checkpoints": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("ledger-checkpoints"))},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    """Rate-limit counters (core/throttle.py) live in the cache: each test starts at zero, and
    its windows' clock stands still 30 s into a window, so a slow run never crosses a boundary."""
    from django.core.cache import cache

    from upskill.core import throttle

    cache.clear()
    monkeypatch.setattr(throttle, "clock", lambda: 1_800_000_030.0)


@pytest.fixture(autouse=True)
def _clock_runs():
    """Every test starts with the real time (core/clock.py); a test that sets the clock leaves
    it running again."""
    from upskill.core import clock

    clock.set_to(None)
    yield
    clock.set_to(None)


@pytest.fixture
def clock():
    """The controllable clock (core/clock.py): ``clock.set_to(datetime or date)``,
    ``clock.advance(timedelta)``, ``clock.frozen(...)``; reset after the test."""
    from upskill.core import clock as the_clock

    return the_clock


@pytest.fixture(autouse=True, scope="session")
def _huey_immediate():
    """Background jobs (core/jobs.py) run at once, in the test's thread and transaction."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


_sequence = itertools.count(1)


def make_id_number(address: str = "421022", born: date = date(1975, 3, 8), sex: str = "M") -> str:
    """A valid GB 11643 number, different at every call."""
    serial = next(_sequence) % 500
    sequence = serial * 2 + (1 if sex == "M" else 0)
    body = f"{address}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def id_number():
    return make_id_number


@pytest.fixture
def world(db):
    """The demo's organisations (Gong'an, its townships, institutions, enterprises; Wuhan and
    its enterprise federation), without users or persons."""
    from upskill.demo.seed import organisations

    return organisations()


@pytest.fixture
def make_user(world):
    from upskill.organisations.services import role_for, user_create

    counter = itertools.count(1)

    def make(org_key: str, role_code: str, username: str | None = None):
        organisation = world[org_key]
        return user_create(
            actor=SYSTEM,
            organisation=organisation,
            role=role_for(organisation.kind, role_code),
            username=username or f"{org_key.replace(':', '_')}_{role_code}_{next(counter)}",
            password="Test#Pass2023",
            check_password=False,
        )

    return make


@pytest.fixture
def make_person(world):
    from upskill.organisations.models import Region
    from upskill.registry.services import person_register

    rng = random.Random(7)

    def make(actor=SYSTEM, township_code: str = "421022101", **fields):
        fields.setdefault("id_number", make_id_number())
        fields.setdefault("name", rng.choice(["张伟", "李娜", "王芳", "刘强", "陈静"]))
        fields.setdefault("hukou", "agricultural")
        township = Region.objects.get(code=township_code) if township_code else None
        return person_register(actor=actor, township=township, **fields)

    return make
