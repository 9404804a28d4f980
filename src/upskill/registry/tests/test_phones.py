"""Phone numbers: encrypted at rest (history rows too), found by a keyed hash, masked on every
screen, export, API answer and log line, and revealed with one logged click only by the roles
whose work is calling the person, for the persons they call."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest
from conftest import make_id_number
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from openpyxl import load_workbook

from upskill.core import crypto
from upskill.core.logging import MaskIdentityFilter, mask_text
from upskill.core.masking import mask_phone
from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import OrganisationKind, Region, Role
from upskill.organisations.roles import DEFAULT_ROLES, REVEAL_PHONE
from upskill.registry import selectors, services
from upskill.registry.models import AffiliationBasis, AffiliationKind, Person

PHONE = "13812341960"


def _raw(table: str, pk_column: str, pk: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phone, phone_hash, phone_masked FROM {table} WHERE {pk_column} = %s",
            [pk],
        )
        return cursor.fetchone()


def test_mask_keeps_the_first_three_and_last_four_and_always_hides_four():
    assert mask_phone("13812341960") == "138****1960"
    assert mask_phone("07165222000") == "071****2000"
    # a short number used to come back whole ("522" + "" + "2000")
    for number in ("5222000", "52220001", "522200012", "0716522200"):
        masked = mask_phone(number)
        assert masked != number and masked.count("*") >= 4 and len(masked) == len(number)
    assert mask_phone("") == ""


def test_the_phone_is_stored_encrypted_with_its_hash_and_mask(make_person):
    person = make_person(phone="138 1234 1960")
    stored, digest, masked = _raw("registry_person", "id", person.pk)
    assert stored.startswith("enc1$") and PHONE not in stored
    assert crypto.decrypt(stored, purpose="person.phone") == PHONE
    with pytest.raises(crypto.DecryptionError):  # bound to its column
        crypto.decrypt(stored, purpose="person.id_number")
    assert digest == crypto.lookup_hash(PHONE, purpose="person.phone")
    assert masked == "138****1960"
    person.refresh_from_db()
    assert (person.phone, person.phone_masked) == (PHONE, "138****1960")


def test_history_rows_hold_the_ciphertext_and_follow_a_change(make_person):
    person = make_person(phone=PHONE)
    services.person_update(actor=SYSTEM, person=person, phone="13971605678")
    services.person_update(actor=SYSTEM, person=person, phone="")
    rows = list(person.history.order_by("history_id").values_list("history_id", flat=True))
    raw = [_raw("registry_historicalperson", "history_id", pk) for pk in rows]
    assert [r[2] for r in raw] == ["138****1960", "139****5678", ""]
    assert raw[-1] == ("", "", "")
    for stored, _digest, _masked in raw[:2]:
        assert stored.startswith("enc1$") and "1960" not in stored and "5678" not in stored


def test_a_bad_phone_is_refused(make_person):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        make_person(phone="call me maybe")
    assert "phone" in excinfo.value.error_dict


def test_the_bulk_registration_of_a_roster_encrypts_phones_and_history(world):
    from upskill.registry.identity import parse_resident_id
    from upskill.registry.services import NewPerson, id_number_hash, persons_register_bulk

    township = Region.objects.get(code="421022101")
    numbers = [make_id_number() for _ in range(3)]
    created = persons_register_bulk(
        actor=SYSTEM,
        persons=[
            NewPerson(
                resident=parse_resident_id(number),
                digest=id_number_hash(number),
                name="张伟",
                hukou="agricultural",
                county=township.parent,
                township=township,
                phone=f"1381234196{index}",
            )
            for index, number in enumerate(numbers)
        ],
    )
    for index, person in enumerate(created):
        stored, digest, masked = _raw("registry_person", "id", person.pk)
        assert stored.startswith("enc1$") and masked == f"138****196{index}"
        assert digest == crypto.lookup_hash(f"1381234196{index}", purpose="person.phone")
        history = person.history.get()
        stored, digest, masked = _raw("registry_historicalperson", "history_id", history.pk)
        assert stored.startswith("enc1$") and masked == f"138****196{index}" and digest


def test_search_by_the_full_phone_uses_the_hash(make_person, make_user):
    person = make_person(phone=PHONE, name="欧阳锋")
    make_person(phone="13971605678")
    clerk = make_user("township:421022101", "clerk")
    assert list(selectors.person_list(actor=clerk, query="138-1234-1960")) == [person]
    assert not selectors.person_list(actor=clerk, query="1960").exists()
    # a query of separators only is no search for "persons without a phone"
    make_person(name="李娜")
    assert not selectors.person_list(actor=clerk, query="-").exists()


def test_log_lines_mask_mobile_numbers():
    assert mask_text(f"called {PHONE} twice") == "called 138****1960 twice"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", (PHONE,), None)
    MaskIdentityFilter().filter(record)
    assert record.getMessage() == "phone 138****1960"


# -- who reveals ------------------------------------------------------------------------------


def test_default_roles_that_call_people_have_the_permission_enterprises_never():
    granted = {
        (kind, code)
        for kind, roles in DEFAULT_ROLES.items()
        for code, (_name, _staff, perms) in roles.items()
        if REVEAL_PHONE in perms
    }
    assert granted == {
        (OrganisationKind.CITY_HR, "inspector"),
        (OrganisationKind.COUNTY_HR, "inspector"),
        (OrganisationKind.TRAINING_CENTRE, "inspector"),
        (OrganisationKind.TOWNSHIP_CENTRE, "clerk"),
        (OrganisationKind.INSTITUTION, "admin"),
        (OrganisationKind.INSTITUTION, "clerk"),
        (OrganisationKind.HR_SERVICE_CENTRE, "counsellor"),
    }


def test_the_township_centre_reveals_its_residents_phone_logged(make_person, make_user):
    mine = make_person(phone=PHONE, township_code="421022101")
    other = make_person(phone="13971605678", township_code="421022102")
    clerk = make_user("township:421022101", "clerk")
    assert services.person_reveal_phone(actor=clerk, person=mine, remote_addr="10.0.0.7") == PHONE
    log = AccessLog.objects.get(action="reveal")
    assert (log.user, log.field, log.object_id, log.remote_addr) == (
        clerk,
        "phone",
        str(mine.pk),
        "10.0.0.7",
    )
    assert "138****1960" in log.description and PHONE not in log.description
    with pytest.raises(Http404):  # not its resident: outside its scope
        services.person_reveal_phone(actor=clerk, person=other)


def test_the_inspector_reveals_the_persons_of_its_county(make_person, make_user):
    person = make_person(phone=PHONE)
    for org, role in (("gongan", "inspector"), ("training_centre", "inspector")):
        assert services.person_reveal_phone(actor=make_user(org, role), person=person) == PHONE
    with pytest.raises(Http404):
        services.person_reveal_phone(actor=make_user("wuhan", "inspector"), person=person)
    with pytest.raises(PermissionDenied):  # in scope, but a reviewer does not call people
        services.person_reveal_phone(actor=make_user("gongan", "reviewer"), person=person)
    assert AccessLog.objects.filter(action="reveal", field="phone").count() == 2


def test_the_inspector_does_not_reveal_a_person_of_another_county(world, make_person, make_user):
    """A Wuhan resident affiliated with a Gong'an institution is in the Gong'an bureau's scope,
    but not in its registry: its inspector does not call them."""
    wuhan_resident = make_person(phone=PHONE, township_code=None, county=_wuhan_district())
    services.affiliation_ensure(
        person=wuhan_resident,
        organisation=world["inst1"],
        kind=AffiliationKind.TRAINEE,
        basis=AffiliationBasis.ENROLMENT,
    )
    inspector = make_user("gongan", "inspector")
    with pytest.raises(PermissionDenied):
        services.person_reveal_phone(actor=inspector, person=wuhan_resident)


def _wuhan_district():
    return Region.objects.get(code="420112")


def test_an_enterprise_never_reveals_even_with_the_permission(world, make_person, make_user):
    hr_clerk = make_user("ent1", "hr_clerk")
    person = make_person(actor=hr_clerk, phone=PHONE)  # registered by it: its employee
    role = Role.objects.get(organisation_kind=OrganisationKind.ENTERPRISE, code="hr_clerk")
    from django.contrib.auth.models import Permission

    role.permissions.add(Permission.objects.get(codename="reveal_phone"))
    hr_clerk = type(hr_clerk).objects.get(pk=hr_clerk.pk)  # fresh permission cache
    assert hr_clerk.has_perm(REVEAL_PHONE)
    with pytest.raises(PermissionDenied):
        services.person_reveal_phone(actor=hr_clerk, person=person)
    assert not selectors.phone_revealable(actor=hr_clerk).exists()


def test_an_hr_service_centre_reveals_only_its_referrals(world, make_person, make_user):
    """Linked (affiliated) but without a referral: the counsellor sees the person, but does
    not call them (the referral case is in employment's tests)."""
    person = make_person(phone=PHONE)
    services.affiliation_ensure(
        person=person,
        organisation=world["hrsc"],
        kind=AffiliationKind.REFERRAL,
        basis=AffiliationBasis.REGISTRATION,
    )
    counsellor = make_user("hrsc", "counsellor")
    assert selectors.person_list(actor=counsellor).filter(pk=person.pk).exists()
    with pytest.raises(PermissionDenied):
        services.person_reveal_phone(actor=counsellor, person=person)


def test_existing_roles_get_the_permission_from_the_data_migration(world):
    """The grant migration adds reveal_phone to the roles of _PHONE_GRANTS and to no other."""
    from importlib import import_module

    from django.db.migrations.executor import MigrationExecutor

    from upskill.organisations.services import roles_ensure_defaults

    migration = import_module("upskill.registry.migrations.0008_grant_reveal_phone")
    roles_ensure_defaults()
    for role in Role.objects.all():
        role.permissions.remove(*role.permissions.filter(codename="reveal_phone"))
    state = MigrationExecutor(connection).loader.project_state(
        ("registry", "0008_grant_reveal_phone")
    )
    migration.grant(state.apps, None)
    holders = set(
        Role.objects.filter(permissions__codename="reveal_phone").values_list(
            "organisation_kind", "code"
        )
    )
    assert holders == {
        ("city_hr", "inspector"),
        ("county_hr", "inspector"),
        ("training_centre", "inspector"),
        ("township_centre", "clerk"),
        ("institution", "admin"),
        ("institution", "clerk"),
        ("hr_service_centre", "counsellor"),
    }


# -- pages and API ----------------------------------------------------------------------------


def test_the_person_page_shows_the_mask_and_reveals_with_one_click(client, make_person, make_user):
    person = make_person(phone=PHONE)
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get(f"/registry/persons/{person.pk}/").content.decode()
    assert "138****1960" in page and PHONE not in page
    assert 'data-testid="reveal-phone"' not in page
    assert client.post(f"/registry/persons/{person.pk}/reveal-phone/").status_code == 403
    client.force_login(make_user("township:421022101", "clerk"))
    page = client.get(f"/registry/persons/{person.pk}/").content.decode()
    assert 'data-testid="reveal-phone"' in page and PHONE not in page
    response = client.post(f"/registry/persons/{person.pk}/reveal-phone/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert AccessLog.objects.filter(action="reveal", field="phone").count() == 1
    other = make_person(phone="13971605678", township_code="421022102")
    assert client.post(f"/registry/persons/{other.pk}/reveal-phone/").status_code == 404
    assert client.get(f"/registry/persons/{person.pk}/reveal-phone/").status_code == 405
    assert AccessLog.objects.filter(action="reveal", field="phone").count() == 1


def test_the_edit_form_shows_the_mask_and_keeps_the_phone(client, make_person, make_user):
    person = make_person(phone=PHONE)
    client.force_login(make_user("township:421022101", "clerk"))
    form = client.get(f"/registry/persons/{person.pk}/edit/").content.decode()
    assert "138****1960" in form and PHONE not in form
    data = {
        "name": person.name,
        "phone": "138****1960",
        "township": person.township_id,
        "address": "油江路1号",
        "hukou": person.hukou,
        "insured_months": "0",
    }
    assert client.post(f"/registry/persons/{person.pk}/edit/", data).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address) == (PHONE, "油江路1号")
    data["phone"] = "13971605678"
    client.post(f"/registry/persons/{person.pk}/edit/", data)
    person.refresh_from_db()
    assert person.phone == "13971605678"


def test_the_export_and_the_admin_show_the_mask(client, make_person, make_user):
    person = make_person(phone=PHONE)
    client.force_login(make_user("township:421022101", "clerk"))
    job = client.post("/lists/registry.persons/export/")  # a background job (core.lists)
    download = client.get(job["Location"] + "download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "138****1960" in values and PHONE not in values
    client.force_login(make_user("gongan", "admin"))
    admin = client.get(f"/admin/registry/person/{person.pk}/change/").content.decode()
    assert "138****1960" in admin and PHONE not in admin


def test_the_api_answers_the_mask_and_reveals_with_the_permission(client, make_person, make_user):
    person = make_person(phone=PHONE)
    client.force_login(make_user("gongan", "reviewer"))
    detail = client.get(f"/api/persons/{person.pk}").json()
    assert detail["phone_masked"] == "138****1960" and PHONE not in str(detail)
    listing = client.get("/api/persons").content.decode()
    assert "138****1960" in listing and PHONE not in listing
    assert client.post(f"/api/persons/{person.pk}/reveal-phone").status_code == 403
    client.force_login(make_user("gongan", "inspector"))
    response = client.post(f"/api/persons/{person.pk}/reveal-phone")
    assert response.status_code == 200 and response.json() == {"phone": PHONE}
    assert AccessLog.objects.filter(action="reveal", field="phone").count() == 1


def test_the_api_still_takes_a_phone_and_answers_its_mask(client, make_user):
    client.force_login(make_user("township:421022103", "clerk"))
    created = client.post(
        "/api/persons",
        {
            "id_number": make_id_number(),
            "name": "黄秀英",
            "hukou": "agricultural",
            "phone": "139 7160 5678",
            "township_code": "421022103",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["phone_masked"] == "139****5678" and "phone" not in created.json()
    person = Person.objects.get(pk=created.json()["id"])
    assert person.phone == "13971605678"
    patched = client.patch(
        f"/api/persons/{person.pk}", {"phone": "13812341960"}, content_type="application/json"
    )
    assert patched.json()["phone_masked"] == "138****1960"


def test_the_migrations_encrypt_existing_plaintext_and_reverse(world):
    """The data steps of the two encryption migrations on a populated database, history rows
    included: the reverse step decrypts to plaintext, the forward step encrypts it again and
    fills hash and mask, and a second forward run leaves ciphertext alone. The steps run on the
    tables as they are (the schema changes around them are Django's own operations), so this
    holds on SQLite and PostgreSQL without migrating the project back and forth."""
    from importlib import import_module

    from upskill.core.migration_ops import encrypt_column
    from upskill.training.models import Teacher

    person_steps = import_module("upskill.registry.migrations.0007_person_phone_encrypted")
    teacher_steps = import_module("upskill.training.migrations.0002_teacher_phone_encrypted")
    person = services.person_register(
        actor=SYSTEM,
        id_number=make_id_number(),
        name="张伟",
        hukou="agricultural",
        phone=PHONE,
        township=Region.objects.get(code="421022101"),
    )
    services.person_update(actor=SYSTEM, person=person, phone="13971605678")
    teacher = Teacher.objects.create(
        organisation=world["inst1"],
        name="周老师",
        phone="13871601234",
        certificate_kind="证书",
        certificate_number="T1",
    )
    # the steps use only the schema editor's connection (a real editor cannot open inside the
    # test's transaction on SQLite)
    editor = SimpleNamespace(connection=connection)
    person_steps.decrypt(None, editor)
    teacher_steps.decrypt(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM registry_person WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0] == "13971605678"
        cursor.execute(
            "SELECT phone FROM registry_historicalperson WHERE id = %s ORDER BY history_id",
            [person.pk],
        )
        assert [row[0] for row in cursor.fetchall()] == [PHONE, "13971605678"]
        cursor.execute("SELECT phone FROM training_teacher WHERE id = %s", [teacher.pk])
        assert cursor.fetchone()[0] == "13871601234"
        # what the columns held before the migration: plaintext, no hash, no mask
        cursor.execute("UPDATE registry_person SET phone_hash = '', phone_masked = ''")
        cursor.execute("UPDATE registry_historicalperson SET phone_hash = '', phone_masked = ''")
        cursor.execute("UPDATE training_teacher SET phone_masked = ''")
    person_steps.encrypt(None, editor)
    teacher_steps.encrypt(None, editor)
    stored, digest, masked = _raw("registry_person", "id", person.pk)
    assert stored.startswith("enc1$") and masked == "139****5678"
    assert digest == crypto.lookup_hash("13971605678", purpose="person.phone")
    history = [
        _raw("registry_historicalperson", "history_id", pk)
        for pk in person.history.order_by("history_id").values_list("history_id", flat=True)
    ]
    assert [row[2] for row in history] == ["138****1960", "139****5678"]
    assert all(row[0].startswith("enc1$") for row in history)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, phone_masked FROM training_teacher WHERE id = %s", [teacher.pk]
        )
        stored, masked = cursor.fetchone()
    assert stored.startswith("enc1$") and masked == "138****1234"
    assert Teacher.objects.get(pk=teacher.pk).phone == "13871601234"
    assert Person.objects.get(pk=person.pk).phone == "13971605678"
    assert Person.objects.get(phone_hash=digest) == person
    # a second run changes nothing
    assert encrypt_column(editor, table="registry_person", column="phone", purpose="x") == 0
