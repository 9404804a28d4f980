"""``upskill bench lists --n 100000 [--postgres URL]``: the persons list of a county and of a
township on a registry of N persons, before and after the list component (core.lists), and the
export of the whole county as the background job writes it. A benchmark, not a test.

The registry is filled through the bulk path of ``upskill bench import`` (the roster import
of the rural revitalisation bureau, N rows over Gong'an's townships). *Before* is what the
persons page did until now, measured in the same run: Django's paginator (``COUNT(*)`` of the
whole scope) over the model's ordering (county, name, pk). *After* is the page itself
(``GET /registry/persons/``), in-process with Django's test client: a count that stops at
10,000 rows (the planner's estimate above it), a sort on an index. With ``--postgres`` the run
creates a database of its own on that server (and drops it afterwards); without, a fresh
SQLite file.
"""

from __future__ import annotations

import argparse
import io
import secrets
import statistics
import time
from datetime import date

from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from upskill.core import lists
from upskill.core.jobs import JobContext
from upskill.core.models import Job
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.organisations.services import role_for, user_create
from upskill.registry import selectors
from upskill.registry.models import Person
from upskill.registry.services import roster_import_run

from .common import bench_command, fresh_world
from .database import drop_fresh_database
from .roster_import import _roster

REPEAT = 7


def _timed(function, repeat: int = REPEAT) -> float:
    """The median wall time of ``function()`` in milliseconds (the first call warms up)."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _before(actor, page: int = 1):
    """The persons page's work until now: the whole scope counted, the model's ordering."""

    def run():
        paginator = Paginator(selectors.person_list(actor=actor), 25)
        current = paginator.get_page(page)
        list(current.object_list)
        return paginator.count

    return run


def _state(user, params: dict | None = None):
    return lists.get("registry.persons").state(params or {}, user)


def _after(actor, params: dict):
    """The same work through the list component: the capped count and the page's rows."""
    definition = lists.get("registry.persons")

    def run():
        paginator = lists.CappedPaginator(
            definition.queryset(actor, _state(actor, params)), definition.per_page
        )
        current = paginator.get_page(params.get("page"))
        list(current.object_list)
        return paginator.count

    return run


def _page(client: Client, params: dict):
    def run():
        response = client.get("/registry/persons/", params)
        assert response.status_code == 200, response.status_code
        return response

    return run


def _user(organisation: Organisation, role: str, name: str):
    return user_create(
        actor=SYSTEM,
        organisation=organisation,
        role=role_for(organisation.kind, role),
        username=name,
        password=secrets.token_urlsafe(16),  # never logs in with it
        check_password=False,
    )


def main(*, n: int, seed: int) -> int:
    world, clerk, townships = fresh_world("rural")
    print(f"database engine: {connection.vendor}")
    data = _roster(n, seed, townships)
    started = time.perf_counter()
    roster_import_run(
        actor=clerk,
        upload=io.BytesIO(data),
        source="公安县2023年脱贫人口名册（基准）",
        valid_from=date(2023, 1, 1),
        progress=lambda done, total: None,
    )
    print(
        f"registry: {Person.objects.count():,} persons "
        f"(bulk import {time.perf_counter() - started:.1f} s)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    county = _user(world["gongan"], "reviewer", "bench_county")
    township_org = (
        Organisation.objects.filter(
            kind=OrganisationKind.TOWNSHIP_CENTRE, region__parent__code="421022"
        )
        .order_by("region__code")
        .first()
    )
    township = _user(township_org, "clerk", "bench_township")
    in_township = Person.objects.filter(township=township_org.region).count()

    print(
        f"\npersons list, median of {REPEAT} runs (ms): the list's work (count + page), before "
        "and after, and the whole page after (GET, in-process, menu and template included)"
    )
    print(f"  {'':<36} {'before':>8} {'after':>8} {'ratio':>7} {'page':>8}")
    for label, user, scope in (
        (f"county ({n:,} persons)", county, n),
        (f"township ({in_township:,} persons)", township, in_township),
    ):
        client = Client()
        client.force_login(user)
        before = _timed(_before(user))
        after = _timed(_after(user, {}))
        page = _timed(_page(client, {}))
        print(f"  {label:<36} {before:8.1f} {after:8.1f} {after / before:7.2f} {page:8.1f}")
        for params, text in (
            ({"page": 2}, "page 2"),
            ({"page": 400}, "page 400 (the last reachable)"),
            ({"sort": "-birth_date"}, "sorted by birth date, descending"),
            ({"q": "王"}, "search “王”"),
        ):
            print(
                f"    {text:<34} {'':8} {_timed(_after(user, params)):8.1f} {'':7} "
                f"{_timed(_page(client, params)):8.1f}"
            )
        with CaptureQueriesContext(connection) as queries:
            _page(client, {"page": 2})()
        count, exact = lists.capped_count(
            lists.get("registry.persons").queryset(user, _state(user))
        )
        print(
            f"    queries of a page: {len(queries)}; count shown: {count:,} "
            f"({'exact' if exact else 'estimate'}; scope {scope:,})"
        )

    # the export of the whole county, as the job's worker runs it; the request only queues it
    definition = lists.get("registry.persons")
    job = Job.objects.create(
        kind="list_export", created_by=county, organisation=county.organisation
    )
    started = time.perf_counter()
    result = lists.list_export_run(JobContext(job=job), name=definition.name, params={})
    export_seconds = time.perf_counter() - started
    print(
        f"\nexport of the county's {n:,} persons (background job): {export_seconds:.1f} s "
        f"({result['summary']})"
    )
    connection.close()
    drop_fresh_database()
    return 0


def register(bench_parser: argparse.ArgumentParser) -> None:
    """Add ``lists`` beside ``upskill bench policy``."""
    command = bench_command(
        bench_parser,
        "lists",
        "the persons list of a county and a township, before and after, on N persons",
    )
    command.add_argument("--n", type=int, default=100_000)
    command.add_argument("--seed", type=int, default=2023)
    command.add_argument(
        "--postgres",
        default="",
        help="a PostgreSQL server URL (postgres://user@host:port/); a database is made on it",
    )
    command.set_defaults(func=lambda args: main(n=args.n, seed=args.seed))
