"""The figures measured on the synthetic province (``upskill bench province``; issues 18.5, 19):
``upskill bench dashboards``, ``upskill bench upward``, ``upskill bench settle`` and
``upskill bench assemble``. Not tests: they run on the database ``DATABASE_URL`` names (the
province's, on PostgreSQL), read it, and leave it as they found it (what they write for the
measurement is rolled back or removed). Each prints its figure beside its target, the database's
size and the load average before the run (the build machine is shared).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import secrets
import statistics
import time
from datetime import date

from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, OrganisationKind, Role, User
from upskill.organisations.services import user_create
from upskill.registry.models import Person
from upskill.training.models import Enrolment, TrainingClass

from .common import bench_command

SYNTHETIC = "合成"


def _context() -> str:
    """The database, its size and the load average, printed before each figure."""
    size = "(SQLite)"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
    load = os.getloadavg()
    return (
        f"database {connection.settings_dict['NAME']} ({connection.vendor}, {size}; "
        f"{Person.objects.count():,} persons, {Enrolment.objects.count():,} records); "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {date.today():%Y-%m-%d}"
    )


def _verdict(seconds: float, target: float) -> str:
    return "within" if seconds < target else "OVER"


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of the times."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def bench_user(organisation: Organisation, perm: str):
    """A user of ``organisation`` in a role of its kind that holds ``perm`` (app.codename),
    made once and reused by later runs."""
    app_label, codename = perm.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    role = (
        Role.objects.filter(organisation_kind=organisation.kind, permissions=permission)
        .order_by("code")
        .first()
    )
    if role is None:
        raise SystemExit(f"no role of {organisation.kind} holds {perm}")
    username = f"bench_{organisation.kind}_{organisation.pk}_{role.code}"[:150]
    user = User.objects.filter(username=username).first()
    if user is None:
        with transaction.atomic():
            user = user_create(
                actor=SYSTEM,
                organisation=organisation,
                role=role,
                username=username,
                password=secrets.token_urlsafe(16),  # never logs in with it
                check_password=False,
            )
    return user


def _synthetic(kind: str) -> Organisation:
    """The first synthetic organisation of a kind (a city, county, township or institution of
    the made-up Hubei), or the province's bureau."""
    qs = Organisation.objects.filter(kind=kind).order_by("pk")
    if kind != OrganisationKind.PROVINCE_HR:
        qs = qs.filter(region__name__contains=SYNTHETIC) | qs.filter(name__contains=SYNTHETIC)
        if kind == OrganisationKind.CITY_HR:
            qs = Organisation.objects.filter(
                kind=kind, region__children__name__contains=SYNTHETIC
            ).order_by("pk")
    found = qs.first()
    if found is None:
        raise SystemExit(f"no synthetic {kind}: build the province first (upskill bench province)")
    return found


# -- dashboards --------------------------------------------------------------------------------


def dashboards(*, year: int, runs: int, only: tuple[str, ...] = ()) -> int:
    """Every dashboard of the reports app (/reports/) in each scope, in-process through Django's
    test client (middleware, templates and menu included): p95 of ``runs`` requests after one
    warm-up, the queries of one request; target p95 < 500 ms."""
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per log-in otherwise
    print(_context())
    scopes = [
        ("province", OrganisationKind.PROVINCE_HR),
        ("city", OrganisationKind.CITY_HR),
        ("county", OrganisationKind.COUNTY_HR),
        ("township", OrganisationKind.TOWNSHIP_CENTRE),
        ("institution", OrganisationKind.INSTITUTION),
    ]
    scopes = [(label, kind) for label, kind in scopes if not only or label in only]
    pages = [
        ("dashboard", "/reports/", {"year": year}),
        ("records behind a bar", "/reports/records/", {"year": year, "measure": "completed"}),
    ]
    print(f"dashboards of {year}, {runs} requests each after a warm-up (ms)")
    print(f"  {'scope':<12} {'page':<22} {'median':>8} {'p95':>8} {'queries':>8}  verdict")
    worst = 0.0
    for label, kind in scopes:
        organisation = _synthetic(kind)
        client = Client()
        client.force_login(bench_user(organisation, "reports.view_dashboard"))
        for page, url, params in pages:
            response = client.get(url, params)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {label}: HTTP {response.status_code}")
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, params)
            high = p95(times)
            worst = max(worst, high)
            print(
                f"  {label:<12} {page:<22} {statistics.median(times):8.0f} {high:8.0f} "
                f"{len(queries):8d}  {_verdict(high, 500)}"
            )
    print(f"slowest p95: {worst:.0f} ms ({_verdict(worst, 500)} the target of 500 ms)")
    return 0


# -- the province's half-year report --------------------------------------------------------------


def upward(*, year: int) -> int:
    """The province's half-year report upward (HB45-RPT-1) generated as its background job
    generates it: the figures counted, the Excel and the PDF written; target < 60 s. The report
    and its files are removed afterwards."""
    from upskill.reports.models import UpwardKind, UpwardReport
    from upskill.reports.selectors import upward_default_as_of
    from upskill.reports.services import upward_report_generate

    print(_context())
    province = _synthetic(OrganisationKind.PROVINCE_HR)
    actor = bench_user(province, "reports.add_upwardreport")
    report = UpwardReport.objects.create(
        kind=UpwardKind.HALF_YEAR,
        year=year,
        as_of=upward_default_as_of(UpwardKind.HALF_YEAR, year),
        region=province.region,
        organisation=province,
        requested_by=actor,
    )
    marks = []

    def progress(done: int, total: int, message: str = "") -> None:
        marks.append((time.perf_counter(), str(message)))

    try:
        started, cpu = time.perf_counter(), time.process_time()
        upward_report_generate(report=report, progress=progress)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        steps = [started] + [at for at, _message in marks[1:]] + [started + seconds]
        for name, a, b in zip(
            ["figures counted", "Excel written", "PDF written"], steps, steps[1:], strict=False
        ):
            print(f"  {name}: {b - a:.1f} s")
        print(
            f"province half-year report {year} (as of {report.as_of}): {seconds:.1f} s, "
            f"{cpu:.1f} s CPU of this process "
            f"({_verdict(seconds, 60)} the target of 60 s)"
        )
    finally:
        for stored in (report.xlsx, report.pdf):
            if stored:
                default_storage.delete(stored)
        report.delete()
    return 0


# -- settlement ------------------------------------------------------------------------------------


def settle(*, region: str, year: int) -> int:
    """``upskill settle`` of a region and year (the province 42 and a year: about 600,000
    records on the full build), database reads included; target < 60 s."""
    from upskill.subsidies.selectors import settle as settle_selector

    print(_context())
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = settle_selector(actor=SYSTEM, region=region, year=year)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"settle {region} {year}: {result['classes']:,} classes, {result['records']:,} records, "
        f"{result['accepted']:,} accepted, claimable {result['total']}; {len(queries)} queries"
    )
    rate = result["records"] / seconds if seconds else 0
    print(
        f"  {seconds:.1f} s, {cpu:.1f} s CPU of this process ({rate:,.0f} records/s; "
        f"{_verdict(seconds, 60)} the target of 60 s)"
    )
    return 0


# -- claim assembly --------------------------------------------------------------------------------


def assemble(*, size: int, seed: int) -> int:
    """The claim of a finished class of ``size`` trainees assembled (one line a trainee, priced
    by the engine, HB45-CAP-1's history read): the class made through the province's bulk path
    in a transaction that is rolled back afterwards; target < 2 s for 200 trainees."""
    import random

    from upskill.benchmarks import province
    from upskill.policy_admin.services import parameters_in_effect
    from upskill.subsidies.services import claim_assemble

    print(_context())
    rng = random.Random(seed)
    county_bureau = _synthetic(OrganisationKind.COUNTY_HR)
    county_region = county_bureau.region
    template = (
        TrainingClass.objects.filter(township__parent=county_region)
        .select_related("catalog_entry__occupation", "organisation")
        .order_by("pk")
        .first()
    )
    if template is None:
        raise SystemExit(f"{county_region.name} holds no class: build the province first")
    institution = template.organisation
    persons = list(
        Person.objects.filter(county=county_region).order_by("pk").values_list("pk", flat=True)
    )
    if len(persons) < size:
        raise SystemExit(f"{county_region.name} has {len(persons)} persons, fewer than {size}")
    year = template.start_date.year
    county = province.County(
        region=county_region,
        bureau=county_bureau,
        townships=list(county_region.children.order_by("code")),
        institutions=[institution],
        persons=persons,
    )
    with transaction.atomic():
        planned = province._classes(
            [county], {year: [template.catalog_entry]}, 1, size, rng, years=(year,)
        )
        province._training(planned, rng)
        training_class = planned[0].training_class
        params = parameters_in_effect()
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            claim = claim_assemble(actor=SYSTEM, training_class=training_class, params=params)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        lines = claim.lines.count()
        transaction.set_rollback(True)
    print(
        f"claim assembly of a class of {size} trainees: {lines} lines in {seconds:.2f} s "
        f"({cpu:.2f} s CPU of this process), {len(queries)} queries "
        f"({_verdict(seconds, 2 * size / 200)} the target of {2 * size / 200:.1f} s)"
    )
    return 0


def register(bench_parser: argparse.ArgumentParser) -> None:
    """``upskill bench dashboards|upward|settle|assemble`` on the province's database."""
    command = bench_command(
        bench_parser, "dashboards", "p95 of every reports dashboard in each scope (province DB)"
    )
    command.add_argument("--year", type=int, default=2019)
    command.add_argument("--runs", type=int, default=20)
    command.set_defaults(func=lambda args: dashboards(year=args.year, runs=args.runs))

    command = bench_command(
        bench_parser, "upward", "the province's half-year report upward generated (province DB)"
    )
    command.add_argument("--year", type=int, default=2019)
    command.set_defaults(func=lambda args: upward(year=args.year))

    command = bench_command(
        bench_parser, "settle", "upskill settle over a region's year (province DB)"
    )
    command.add_argument("--region", default="42")
    command.add_argument("--year", type=int, default=2019)
    command.set_defaults(func=lambda args: settle(region=args.region, year=args.year))

    command = bench_command(
        bench_parser, "assemble", "the claim of a class of N trainees assembled (province DB)"
    )
    command.add_argument("--size", type=int, default=200)
    command.add_argument("--seed", type=int, default=2019)
    command.set_defaults(func=lambda args: assemble(size=args.size, seed=args.seed))
