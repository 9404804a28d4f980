"""The JSON API against its own OpenAPI document, with schemathesis: every operation, called
with a county bureau's token and a training institution's token on a seeded database (writes
included, rolled back with the test; the Wuhan enrolment path's operations with its own
partners' tokens, a member enterprise's and the association's), must answer no 5xx and only
what the document declares: the status codes and the bodies (schemas, formats). Plus the two
properties of the document a generated test cannot see: every documented route is reachable,
and no schema name is shared by two different schemas."""

from __future__ import annotations

import itertools
import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from upskill.core.scoping import SYSTEM

# Examples an operation in the fuzzing phase (the ceiling is 10; the examples phase adds the
# document's own few). 6 keeps a database pass near one minute on a loaded 2-core machine
# (each case is called twice, once per token). The coverage phase (every boundary of every
# parameter) is left out: hundreds of cases an operation, past two minutes a pass.
MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _document() -> dict:
    from upskill.api import api

    return api.get_openapi_schema(path_prefix="/api/")


def _load_schema():
    import django

    django.setup()
    config = SchemathesisConfig.from_dict(
        {
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": False},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            # the same cases every run (a CI gate must not flake), no example database on disk
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        }
    )
    loaded = schemathesis.openapi.from_dict(_document(), config=config)
    loaded.app = get_wsgi_application()  # called in-process: same thread, same transaction
    return loaded


schema = _load_schema()


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """Seeded once for the module (each operation is its own test item): made inside a
    transaction that is rolled back after the module; each item's ``db`` runs in a savepoint of
    it, so one operation's writes do not reach the next."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_module, db):
    """Also keeps the connection open across requests, as Django's test client does: the WSGI
    handler closes it when a request ends (``close_old_connections``), which on PostgreSQL
    would close the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _seeded_module
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _seed() -> dict:
    """A finished, claimed, approved and batched class of inst1 (lessons, enrolments,
    attendance, inspections, evidence, exam, certificates, ledger entries), and the two tokens.
    Returns the tokens and, per path parameter, an id that exists."""
    from conftest import make_id_number

    from upskill.assessment.models import Attempt, Certificate, ExamSession
    from upskill.catalog.models import Catalog, CatalogEntry, OnlinePlatform
    from upskill.demo.seed import organisations
    from upskill.organisations.models import Region
    from upskill.organisations.services import api_token_create, role_for
    from upskill.registry.services import person_register
    from upskill.subsidies.models import Claim, ClaimLine, LedgerEntry
    from upskill.subsidies.tests import factories
    from upskill.supervision.models import Evidence, Inspection
    from upskill.training.models import Attendance, Enrolment, Lesson

    world = organisations()
    names = itertools.cycle(["张伟", "李娜", "王芳"])

    def make_person(actor=SYSTEM, township_code="421022101", **fields):
        fields.setdefault("id_number", make_id_number())
        fields.setdefault("name", next(names))
        fields.setdefault("hukou", "agricultural")
        township = Region.objects.get(code=township_code)
        return person_register(actor=actor, township=township, **fields)

    batch = factories.organiser_batch(world, make_person)
    claim = Claim.objects.latest("pk")
    training_class = claim.training_class
    ids = {
        "organisation_id": world["inst1"].pk,
        "class_id": training_class.pk,
        "lesson_id": Lesson.objects.filter(training_class=training_class).first().pk,
        "enrolment_id": Enrolment.objects.filter(training_class=training_class).first().pk,
        "attendance_id": Attendance.objects.first().pk,
        "claim_id": claim.pk,
        "line_id": ClaimLine.objects.filter(claim=claim).first().pk,
        "person_id": ClaimLine.objects.filter(claim=claim).first().person_id,
        "batch_id": batch.pk,
        "seq": LedgerEntry.objects.order_by("seq").first().seq,
        "catalog_id": Catalog.objects.filter(kind="projects").first().pk,
        "entry_id": CatalogEntry.objects.first().pk,
        "occupation_id": CatalogEntry.objects.first().occupation_id,
        "inspection_id": Inspection.objects.first().pk,
        "evidence_id": Evidence.objects.first().pk,
        "session_id": ExamSession.objects.first().pk,
        "attempt_id": Attempt.objects.first().pk,
        "certificate_id": Certificate.objects.first().pk,
        "year": 2023,
    }
    ids |= _seed_nominations(world, make_person)
    platform = OnlinePlatform.objects.first()
    if platform is not None:
        ids["platform_id"] = platform.pk
    tokens = {
        "bureau": api_token_create(
            actor=SYSTEM,
            organisation=world["gongan"],
            role=role_for("county_hr", "reviewer"),
            name="县局审核系统",
        )[1],
        "institution": api_token_create(
            actor=SYSTEM,
            organisation=world["inst1"],
            role=role_for("institution", "clerk"),
            name="培训学校教务系统",
        )[1],
    }
    # the Wuhan enrolment path is called by its own partners, who see its objects: the member
    # enterprise's HR system and the association's
    wuhan_tokens = {
        "enterprise": api_token_create(
            actor=SYSTEM,
            organisation=world["wh_ent1"],
            role=role_for("enterprise", "hr_clerk"),
            name="江城精密人事系统",
        )[1],
        "association": api_token_create(
            actor=SYSTEM,
            organisation=world["federation"],
            role=role_for("association", "clerk"),
            name="企联报名系统",
        )[1],
    }
    return {"tokens": tokens, "wuhan_tokens": wuhan_tokens, "ids": ids}


def _seed_nominations(world, make_person) -> dict:
    """The Wuhan enrolment path: a member, a call, a scheduled application, an employee put
    forward with a receipt, and a statement of use (nominations/tests/factories.py)."""
    from datetime import date
    from decimal import Decimal

    from upskill.enterprise.services import contract_record
    from upskill.nominations import services
    from upskill.nominations.tests import factories
    from upskill.organisations.services import role_for, user_create

    wh = factories.build(world, None)

    def user(organisation, role):
        return user_create(
            actor=SYSTEM,
            organisation=organisation,
            role=role_for(organisation.kind, role),
            username=f"contract_{organisation.pk}_{role}",
            password="Test#Pass2023",
            check_password=False,
        )

    association = user(world["federation"], "clerk")
    hr = user(world["wh_ent1"], "hr_clerk")
    membership = services.membership_add(
        actor=association, enterprise=world["wh_ent1"], joined_on=date(2019, 1, 1)
    )
    call = services.call_create(
        actor=association,
        title="2020线上职业技能等级培训",
        year=2020,
        deadline=date(2020, 7, 20),
        advanced_exam_fee=Decimal("320"),
    )
    application = services.application_submit(
        actor=hr,
        call=call,
        industry="机械制造",
        hr_lead="王经理",
        hr_lead_phone="13800138000",
        occupations_wanted="安全评价师、钳工",
        eligible_employees=5,
        received_on=date(2020, 7, 10),
    )
    batch = services.batch_create(
        actor=association,
        call=call,
        name="第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=factories.START,
        end_date=factories.END,
    )
    services.application_schedule(actor=association, application=application, batch=batch)
    contract = contract_record(
        actor=hr,
        person=make_person(),
        signed=date(2019, 1, 1),
        years=Decimal(3),
        consecutive_insured_months=24,
        insured_as_of=date(2020, 7, 1),
        unemployment_insured_months=24,
    )
    nomination = services.nomination_put_forward(
        actor=hr,
        application=application,
        contract=contract,
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 4)],
    )
    services.receipt_record(
        actor=hr,
        nomination=nomination,
        amount=Decimal("1500"),
        paid_on=date(2020, 7, 25),
        number="MW-0001",
    )
    services.subsidy_use_record(
        actor=user(wh.institution, "clerk"), batch=batch, category="teaching", amount=Decimal(500)
    )
    return {
        "membership_id": membership.pk,
        "call_id": call.pk,
        "application_id": application.pk,
        "nomination_id": nomination.pk,
    }


_alternate = itertools.cycle([True, False])


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, seeded):
    # Generated ids rarely name a seeded object: every other case names real ones, so that
    # the bodies of real objects are validated too (formats included), not only the 404s.
    if case.path_parameters and next(_alternate):
        case.path_parameters = {
            name: seeded["ids"].get(name, value) for name, value in case.path_parameters.items()
        }
    tokens = seeded["wuhan_tokens"] if "/nominations/" in case.path else seeded["tokens"]
    for secret in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)


# -- the document itself ------------------------------------------------------------------------


def test_every_documented_operation_is_reachable(client, db):
    """A route that captures another one's path answers 405 to the other's method (it did:
    GET /supervision/inspections/{inspection_id} took POST .../schedule and .../video). Without
    credentials every reachable operation answers something else: 401, or the public answer."""
    unreachable = []
    for path, operations in _document()["paths"].items():
        url = re.sub(r"{\w+}", "1", path)
        for method in operations:
            response = getattr(client, method)(url, content_type="application/json")
            if response.status_code == 405:
                unreachable.append(f"{method.upper()} {path}")
    assert unreachable == []


def _named_schemas():
    """Every schema class of every router's operations, by the name the document gives it."""
    from ninja import Schema

    from upskill.api import api

    def walk(annotation, found):
        is_schema = isinstance(annotation, type) and issubclass(annotation, Schema)
        if is_schema and annotation not in found.setdefault(annotation.__name__, []):
            found[annotation.__name__].append(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation, found)
        for arg in getattr(annotation, "__args__", ()) or ():
            walk(arg, found)

    found: dict[str, list] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    for field in getattr(model, "model_fields", {}).values():
                        walk(field.annotation, found)
                for field in operation.models:
                    for sub in field.model_fields.values():
                        walk(sub.annotation, found)
    return found


def test_no_schema_name_is_shared_by_two_schemas():
    """ninja names a component by its class name and keeps one of two namesakes: the catalogue's
    entry and the ledger's entry were both ``EntryOut``, and one of them was documented wrong."""
    found = _named_schemas()
    assert "CatalogEntryOut" in found and "LedgerEntryOut" in found
    shared = {name: classes for name, classes in found.items() if len(classes) > 1}
    assert shared == {}
