"""Cross-organisation access, for every model of every app (docs/roles.md): outside the scope 404
on pages, htmx fragments, the API and the admin; inside it without the permission, 403. And the
learner (a user with no organisation, a registry person's own account): their own records, no
one else's, through the same layer."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from upskill.core.scoping import SYSTEM, ScopedQuerySet, scoped_models, visible
from upskill.core.testing import ADMIN_OUTSIDER, ScopeCase


def _all_cases() -> list[ScopeCase]:
    cases = []
    for config in apps.get_app_configs():
        if not config.name.startswith("upskill."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.scope_cases")
        except ModuleNotFoundError:
            continue
        cases.extend(module.SCOPE_CASES)
    return cases


CASES = _all_cases()
# Visible by design (tested below): divisions, categories, roles, and parameter versions, which
# are published law.
REFERENCE_DATA = {
    "Region",
    "Category",
    "Role",
    "ParameterVersion",
}  # visible by design; tested below
# Catalogues are published reference data (HB45-CAT-1); catalog/tests/scope_cases.py still runs
# each of them for its owner and for the 403 of a write without the permission.
REFERENCE_DATA |= {
    "Catalog",
    "Occupation",
    "CatalogEntry",
    "DesignatedInstitution",
    "EvaluationInstitution",
    "OnlinePlatform",
}


# What a learner sees of each model: the person a record is about (their own records). Every
# other model is nothing to a learner, reference data aside (REFERENCE_DATA, tested below).
LEARNER_SEES = {
    "Person": lambda person: person,
    "PersonCategory": lambda category: category.person,
    "BankAccount": lambda account: account.person,
    "BankAccountChangeRequest": lambda change: change.person,
    "Affiliation": lambda affiliation: affiliation.person,
    "User": lambda user: getattr(user, "person", None),  # their own account; staff are no one's
    "Enrolment": lambda enrolment: enrolment.person,
    "Attendance": lambda attendance: attendance.enrolment.person,
    "LeaveRequest": lambda leave: leave.enrolment.person,
    "SurveyResponse": lambda response: response.enrolment.person,
    "Attempt": lambda attempt: attempt.enrolment.person,
    "Certificate": lambda certificate: certificate.person,
    "Referral": lambda referral: referral.person,
    "Recommendation": lambda recommendation: recommendation.referral.person,
    "FollowUp": lambda follow_up: follow_up.referral.person,
    "EmploymentContract": lambda contract: contract.person,
    "EnterpriseRecord": lambda record: record.person,
    "ClaimLine": lambda line: line.person,
    "ClaimItem": lambda item: item.line.person,
    "PaymentItem": lambda payment: payment.item.line.person,
    "LearnerInvitation": lambda invitation: invitation.person,
    "Nomination": lambda nomination: nomination.person,
    "FeeReceipt": lambda receipt: receipt.nomination.person,
    # online learning: a draft course (the scope cases' own) is no learner's; their progress,
    # heartbeats and playback are theirs
    "Course": lambda course: None,
    "Section": lambda section: None,
    "Lesson": lambda lesson: None,
    "LessonProgress": lambda progress: progress.person,
    "Heartbeat": lambda heartbeat: heartbeat.person,
    "Playback": lambda playback: playback.person,
    # the online exam: the scope cases' blueprint is closed (no learner's); attempts are theirs
    "QuestionBank": lambda bank: None,
    "Question": lambda question: None,
    "Blueprint": lambda blueprint: None,
    "BlueprintPart": lambda part: None,
    "ExamAttempt": lambda attempt: attempt.person,
    "PaperQuestion": lambda question: question.attempt.person,
    "WeeklyProgress": lambda row: row.person,
}
# Published data a learner reads as everyone does: the reference data and the official calendar.
LEARNER_READS = REFERENCE_DATA | {"CalendarDay"}


def test_every_model_has_a_scope(world):
    for model in scoped_models():
        qs = model._default_manager.all()
        assert isinstance(qs, ScopedQuerySet), f"{model.__name__} has no scope"
        qs.scope_for(world["inst1"])  # must not raise: the rule is written


def test_a_learner_sees_a_model_only_where_the_table_says(world, make_learner):
    """The table above is the whole of what a learner sees: any other model gives them nothing
    (ScopedQuerySet.scope_for_person's default), reference data all (or what is published)."""
    learner = make_learner()
    for model in scoped_models():
        name = model.__name__
        if name in LEARNER_SEES or name in LEARNER_READS:
            continue
        assert model._default_manager.scope_for_person(learner.person).query.is_empty(), name


def test_every_model_has_a_cross_organisation_case():
    covered = {case.name for case in CASES}
    missing = {
        model.__name__ for model in scoped_models() if model.__name__ not in REFERENCE_DATA
    } - covered
    assert not missing, f"add a ScopeCase for: {sorted(missing)}"


@pytest.fixture
def made(world, make_user, make_person):
    def build(case: ScopeCase):
        return case.make(world=world, make_user=make_user, make_person=make_person)

    return build


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_owner_sees_it(case, made, make_user):
    obj = made(case)
    owner = make_user(*case.owner)
    assert visible(type(obj), owner).filter(pk=obj.pk).exists()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_outsiders_get_404(case, made, make_user, client):
    obj = made(case)
    for org_key, role in case.outsiders:
        outsider = make_user(org_key, role)
        assert not visible(type(obj), outsider).filter(pk=obj.pk).exists()
        client.force_login(outsider)
        if case.page_url:
            response = getattr(client, case.perm_method)(case.page_url(obj))
            assert response.status_code == 404, (org_key, case.page_url(obj))
            # the same request as an htmx fragment
            response = getattr(client, case.perm_method)(case.page_url(obj), HTTP_HX_REQUEST="true")
            assert response.status_code == 404
        if case.api_url:
            response = client.get(case.api_url(obj))
            assert response.status_code == 404, (org_key, case.api_url(obj))
        client.logout()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_learner_sees_their_own_records_and_no_one_elses(case, made, make_learner, client):
    """A learner (no organisation, their person's account) sees the record when it is about
    them and the model is theirs to see (LEARNER_SEES); another learner never does, on the
    pages and the API as in the layer (404)."""
    obj = made(case)
    model = type(obj)
    name = model.__name__
    person = LEARNER_SEES[name](obj) if name in LEARNER_SEES else None
    if person is not None:
        own = person.account if person.account_id else make_learner(person)
        assert visible(model, own).filter(pk=obj.pk).exists(), "their own record"
    stranger = make_learner()
    if name not in LEARNER_READS:
        assert not visible(model, stranger).filter(pk=obj.pk).exists()
    if name not in LEARNER_SEES and name not in LEARNER_READS:
        assert not visible(model, stranger).exists()
    client.force_login(stranger)
    if case.page_url:
        response = getattr(client, case.perm_method)(case.page_url(obj))
        assert response.status_code == 404, case.page_url(obj)
    if case.api_url:
        assert client.get(case.api_url(obj)).status_code == 404, case.api_url(obj)


@pytest.mark.parametrize("case", [c for c in CASES if c.admin], ids=lambda case: case.name)
def test_admin_outsider_gets_404(case, made, make_user, client):
    obj = made(case)
    outsider = make_user(*ADMIN_OUTSIDER)
    assert outsider.is_staff
    client.force_login(outsider)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("case", [c for c in CASES if c.without_perm], ids=lambda case: case.name)
def test_inside_scope_without_permission_gets_403(case, made, make_user, client):
    obj = made(case)
    user = make_user(*case.without_perm)
    assert visible(type(obj), user).filter(pk=obj.pk).exists(), "must be inside the scope"
    client.force_login(user)
    response = getattr(client, case.perm_method)(case.perm_url(obj))
    assert response.status_code == 403


def test_reference_data_is_visible_to_everyone(world, make_user):
    from upskill.organisations.models import Region
    from upskill.registry.models import Category

    user = make_user("wh_ent1", "hr_clerk")
    assert visible(Region, user).filter(code="421022").exists()
    assert visible(Category, user).filter(code="poverty_alleviated").exists()


def test_catalogues_are_public_but_written_only_with_the_permission(world, make_user, client):
    """HB45-CAT-1: every organisation (and, once published, the public) reads the catalogues;
    a role without the catalogue permissions gets 403 on a write."""
    from django.contrib.auth.models import AnonymousUser

    from upskill.catalog.models import (
        Catalog,
        CatalogEntry,
        DesignatedInstitution,
        EvaluationInstitution,
        Occupation,
        OnlinePlatform,
    )
    from upskill.catalog.tests import scope_cases

    made = {case.name: case.make(world=world) for case in scope_cases.SCOPE_CASES}
    enterprise = make_user("wh_ent1", "hr_clerk")
    for model in (
        Catalog,
        Occupation,
        CatalogEntry,
        DesignatedInstitution,
        EvaluationInstitution,
        OnlinePlatform,
    ):
        assert visible(model, enterprise).filter(pk=made[model.__name__].pk).exists()
    # Drafts are not public; a published version is.
    draft = made["Catalog"]
    assert not visible(Catalog, AnonymousUser()).filter(pk=draft.pk).exists()
    published = made["DesignatedInstitution"].occupations.first().catalog
    assert visible(Catalog, AnonymousUser()).filter(pk=published.pk).exists()
    client.force_login(make_user("inst1", "admin"))
    assert client.post(f"/catalog/{draft.pk}/publish/").status_code == 403
    response = client.post(
        "/api/catalogs",
        {"kind": "projects", "region_code": "421022", "year": 2024},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_parameter_versions_are_public_but_written_only_in_jurisdiction(world, make_user):
    from datetime import date

    from django.core.exceptions import ValidationError

    from upskill.policy_admin.models import ParameterVersion
    from upskill.policy_admin.services import parameter_version_add, parameter_version_withdraw

    version = parameter_version_add(
        actor=make_user("gongan", "admin"),
        parameter="living_allowance.daily_poverty_alleviated",
        region_code="421022",
        valid_from=date(2024, 1, 1),
        valid_until=date(2024, 12, 31),
        value=45,
        document="公人社发〔2024〕1号",
        clause="三(六)",
        rule="GA23-LIV-2",
    )
    assert (
        visible(ParameterVersion, make_user("wh_ent1", "hr_clerk")).filter(pk=version.pk).exists()
    )
    with pytest.raises(ValidationError):
        parameter_version_withdraw(actor=make_user("wuhan", "admin"), version=version, reason="x")


def test_anonymous_and_orphan_users_see_nothing(world, make_person, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from upskill.registry.models import Person

    make_person()
    orphan = django_user_model.objects.create_user("orphan", password="x")
    assert not visible(Person, AnonymousUser()).exists()
    assert not visible(Person, orphan).exists()
    assert not visible(Person, None).exists()


def test_a_learner_reads_reference_data_and_published_catalogues(world, make_learner):
    """Reference data is everyone's; of the catalogues a learner reads what the public reads:
    the published versions, not the drafts (HB45-CAT-1)."""
    from upskill.catalog.models import Catalog
    from upskill.catalog.tests import scope_cases
    from upskill.organisations.models import Region
    from upskill.registry.models import Category

    made = {case.name: case.make(world=world) for case in scope_cases.SCOPE_CASES}
    learner = make_learner()
    assert visible(Region, learner).filter(code="421022").exists()
    assert visible(Category, learner).filter(code="poverty_alleviated").exists()
    assert not visible(Catalog, learner).filter(pk=made["Catalog"].pk).exists()  # a draft
    published = made["DesignatedInstitution"].occupations.first().catalog
    assert visible(Catalog, learner).filter(pk=published.pk).exists()


def test_a_learner_account_is_one_per_person_and_staff_keep_their_organisation_scope(
    world, make_person, make_user, make_learner
):
    """The link is the person's (Person.account); a second account for the same person is
    refused; a partner token and a staff user keep their organisation's scope whatever the
    learner accounts."""
    from django.core.exceptions import ValidationError

    from upskill.organisations.services import api_token_create, role_for
    from upskill.registry.models import Person
    from upskill.registry.services import person_account_create

    person, other = make_person(), make_person()
    learner = make_learner(person)
    assert learner.organisation is None and learner.role is None and not learner.is_staff
    assert list(visible(Person, learner)) == [person]
    assert list(visible(type(learner), learner)) == [learner]  # their own account, no one else's
    with pytest.raises(ValidationError):
        person_account_create(actor=SYSTEM, person=person, username="again", password="x")
    bureau = make_user("gongan", "admin")
    assert set(visible(Person, bureau)) >= {person, other}
    token, _secret = api_token_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        role=role_for(world["inst1"].kind, "clerk"),
        name="partner",
    )
    assert not visible(Person, token).filter(pk__in=[person.pk, other.pk]).exists()
