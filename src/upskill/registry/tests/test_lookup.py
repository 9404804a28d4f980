"""Looking a person up by ID number (security wave, item 1) and what may put a person in an
organisation's scope (item 2): the answer is "registered: 刘*" or "not registered", for every
caller, rate-limited and written to the access log; nothing is taken on by a number alone."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM, visible
from upskill.organisations.roles import DEFAULT_ROLES, REVEAL
from upskill.organisations.services import api_token_create, role_for
from upskill.registry import services
from upskill.registry.models import Affiliation, Person

LOOKUP = "/api/persons/lookup"


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"  # pages too (no Accept-Language in the test client)
    with translation.override("en"):
        yield


def _token(organisation, kind: str, role: str, name: str = "partner") -> str:
    _token, secret = api_token_create(
        actor=SYSTEM, organisation=organisation, role=role_for(kind, role), name=name
    )
    return secret


def _lookup(client, secret: str, number: str):
    return client.post(
        LOOKUP,
        {"id_number": number},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_api_lookup_answers_registered_and_the_masked_name_only(
    client, world, make_person, id_number
):
    person = make_person(name="刘强", phone="13812345678")
    other_city = _token(world["wh_ent1"], "enterprise", "hr_clerk")
    response = _lookup(client, other_city, person.id_number)
    assert response.status_code == 200
    assert response.json() == {"registered": True, "name_masked": "刘*"}
    for leak in ("刘强", "13812345678", person.township.code, str(person.birth_date)):
        assert leak not in response.content.decode()
    # a bureau gets the same answer, no more
    bureau = _token(world["gongan"], "county_hr", "reviewer", name="bureau")
    assert _lookup(client, bureau, person.id_number).json() == {
        "registered": True,
        "name_masked": "刘*",
    }
    # not registered: 200 and "no", not a 404
    response = _lookup(client, other_city, id_number())
    assert (response.status_code, response.json()) == (
        200,
        {"registered": False, "name_masked": None},
    )
    # a number that is no ID number is a 400 naming the field
    response = _lookup(client, other_city, "12345")
    assert response.status_code == 400 and "id_number" in response.json()["detail"]


def test_api_lookup_is_limited_per_token(client, world, make_person, settings):
    settings.UPSKILL_LOOKUP_RATE = "3/minute"
    person = make_person()
    first = _token(world["wh_ent1"], "enterprise", "hr_clerk", name="one")
    second = _token(world["wh_ent1"], "enterprise", "hr_clerk", name="two")
    for _n in range(3):
        assert _lookup(client, first, person.id_number).status_code == 200
    refused = _lookup(client, first, person.id_number)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many look-ups" in refused.json()["detail"]
    assert "registered" not in refused.json()
    # the limit is the token's, not the organisation's
    assert _lookup(client, second, person.id_number).status_code == 200


def test_a_session_is_limited_per_user_on_page_and_api_alike(
    client, make_user, make_person, settings
):
    settings.UPSKILL_LOOKUP_RATE = "2/minute"
    person = make_person()
    clerk = make_user("inst2", "clerk")
    client.force_login(clerk)
    assert (
        client.post("/registry/persons/find/", {"id_number": person.id_number}).status_code == 200
    )
    assert (
        client.post(LOOKUP, {"id_number": person.id_number}, content_type="application/json")
    ).status_code == 200
    page = client.post("/registry/persons/find/", {"id_number": person.id_number})
    assert page.status_code == 429 and int(page["Retry-After"]) >= 1
    assert "Too many look-ups" in page.content.decode()
    client.force_login(make_user("inst2", "clerk"))  # another user of the same institution
    assert (
        client.post("/registry/persons/find/", {"id_number": person.id_number}).status_code == 200
    )


def test_every_lookup_is_in_the_access_log_with_the_number_masked(
    client, world, make_person, id_number
):
    person = make_person()
    secret = _token(world["wh_ent1"], "enterprise", "hr_clerk", name="武汉某系统")
    unknown = id_number()
    _lookup(client, secret, person.id_number)
    _lookup(client, secret, unknown)
    entries = list(AccessLog.objects.filter(action="lookup").order_by("pk"))
    assert [(e.token_name, e.organisation_id) for e in entries] == [
        ("武汉某系统", world["wh_ent1"].pk)
    ] * 2
    assert entries[0].object_id == str(person.pk)
    assert person.id_number_masked in entries[0].description
    assert "not registered" in entries[1].description
    for entry in entries:
        assert person.id_number not in entry.description and unknown not in entry.description


def test_the_lookup_response_is_typed_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"][LOOKUP]["post"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(schema["properties"]) == {"registered", "name_masked"}
    assert schema["properties"]["registered"]["type"] == "boolean"
    assert "429" in operation["responses"]


def test_the_find_page_shows_registered_and_the_masked_name_and_links_nobody(
    client, make_user, make_person
):
    person = make_person(name="刘强", phone="13812345678")
    clerk = make_user("inst2", "clerk")
    client.force_login(clerk)
    page = client.post("/registry/persons/find/", {"id_number": person.id_number})
    text = page.content.decode()
    assert "Registered: 刘*." in text
    assert "刘强" not in text and "13812345678" not in text
    assert person.id_number_masked not in text
    assert 'name="link"' not in text
    # the former "add to my organisation" button takes nobody on any more
    client.post("/registry/persons/find/", {"id_number": person.id_number, "link": ""})
    assert not Affiliation.objects.filter(organisation=clerk.organisation).exists()
    assert not visible(Person, clerk).filter(pk=person.pk).exists()
    assert client.get(f"/registry/persons/{person.pk}/").status_code == 404
    assert not hasattr(services, "person_link_to_organisation")


def test_an_affiliation_needs_a_basis(world, make_person):
    person = make_person()
    with pytest.raises(ValueError):
        services.affiliation_ensure(
            person=person, organisation=world["inst1"], kind="trainee", basis="link"
        )
    with pytest.raises(ValueError):
        services.affiliations_ensure_bulk(
            actor=SYSTEM,
            person_ids=[person.pk],
            organisation=world["inst1"],
            kind="trainee",
            basis="",
        )
    assert not Affiliation.objects.exists()


def test_a_former_bare_link_no_longer_widens_any_scope(world, make_user, make_person):
    person = make_person()  # a Gong'an person
    Affiliation.objects.create(
        person=person,
        organisation=world["wh_ent1"],
        kind="employee",
        basis="link",  # made by the former "add to my organisation"
        since=date(2023, 1, 1),
    )
    assert not visible(Person, make_user("wh_ent1", "hr_clerk")).filter(pk=person.pk).exists()
    assert not visible(Person, make_user("wuhan", "reviewer")).filter(pk=person.pk).exists()
    # an affiliation that rests on something real gives the basis and counts again
    affiliation = services.affiliation_ensure(
        person=person, organisation=world["wh_ent1"], kind="employee", basis="contract"
    )
    assert affiliation.basis == "contract"
    assert visible(Person, make_user("wh_ent1", "hr_clerk")).filter(pk=person.pk).exists()
    assert AccessLog.objects.filter(action="link", object_id=str(affiliation.pk)).exists()


def test_enterprises_never_reveal_full_numbers(world, make_user, make_person):
    assert all(REVEAL not in perms for _n, _a, perms in DEFAULT_ROLES["enterprise"].values())
    hr = make_user("wh_ent1", "hr_clerk")
    person = make_person(actor=hr, township_code=None)
    account = services.bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="card",
        account_name=person.name,
        account_number="6228480402564890018",
        bank_name="中国农业银行",
    ).account
    # even a role an administrator gave the reveal permission is refused (defence in depth)
    from django.contrib.auth.models import Permission

    hr.role.permissions.add(
        Permission.objects.get(content_type__app_label="registry", codename="reveal_identity")
    )
    hr = type(hr).objects.get(pk=hr.pk)
    assert hr.has_perm(REVEAL)
    with pytest.raises(PermissionDenied):
        services.person_reveal_id_number(actor=hr, person=person)
    with pytest.raises(PermissionDenied):
        services.bank_account_reveal(actor=hr, account=account)
    assert not AccessLog.objects.filter(action="reveal").exists()
