import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM
from upskill.registry.services import bank_account_set, person_update


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_register_form_names_the_bad_field(client, make_user):
    client.force_login(make_user("township:421022101", "clerk"))
    response = client.post(
        "/registry/persons/new/",
        {
            "id_number": "421022197503080019",
            "name": "王芳",
            "township": "",
            "hukou": "agricultural",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "check character" in " ".join(form.errors["id_number"])


def test_register_form_creates_and_redirects(client, make_user, id_number):
    from upskill.organisations.models import Region

    client.force_login(make_user("township:421022101", "clerk"))
    township = Region.objects.get(code="421022101")
    response = client.post(
        "/registry/persons/new/",
        {
            "id_number": id_number().lower(),
            "name": "王芳",
            "township": township.pk,
            "hukou": "agricultural",
            "insured_months": "0",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "王芳" in detail.content.decode()


def test_export_is_scoped_masked_and_logged(client, make_user, make_person):
    mine = make_person(township_code="421022101")
    other = make_person(township_code="421022102")
    clerk = make_user("township:421022101", "clerk")
    client.force_login(clerk)
    # a background job (core.lists): the request queues it, its page links to the file
    job_page = client.post("/lists/registry.persons/export/")
    assert job_page.status_code == 302
    response = client.get(job_page["Location"] + "download/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert mine.id_number_masked in values
    assert other.id_number_masked not in values
    assert mine.id_number not in values
    log = AccessLog.objects.get(action="export")
    assert log.user == clerk and log.row_count == 1


def test_history_page_masks_sensitive_values(client, make_user, make_person):
    person = make_person(name="赵六")
    bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="card",
        account_name="赵六",
        account_number="6228480402564890018",
        bank_name="农行",
    )
    person_update(actor=SYSTEM, person=person, phone="13912345678", address="东港村3组")
    client.force_login(make_user("gongan", "auditor"))
    page = client.get(f"/history/registry.person/{person.pk}/").content.decode()
    assert "东港村3组" in page  # before/after of ordinary fields
    assert person.id_number not in page
    # the phone's change shows masked, once (not again as its hash or masked copy)
    assert "13912345678" not in page
    assert page.count("139****5678") == 1
    account = person.bank_accounts.get()
    page = client.get(f"/history/registry.bankaccount/{account.pk}/").content.decode()
    assert "6228480402564890018" not in page


def test_history_page_is_a_permission(client, make_user, make_person):
    person = make_person()
    client.force_login(make_user("gongan", "inspector"))
    assert client.get(f"/history/registry.person/{person.pk}/").status_code == 403
    client.force_login(make_user("wuhan", "admin"))
    assert client.get(f"/history/registry.person/{person.pk}/").status_code == 404


def test_person_list_htmx_fragment(client, make_user, make_person):
    person = make_person(name="欧阳峰")
    client.force_login(make_user("gongan", "reviewer"))
    response = client.get("/registry/persons/?q=欧阳", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "欧阳峰" in text and "<html" not in text
    assert person.id_number not in text


def test_person_list_stays_cheap(client, make_user, make_person, django_assert_max_num_queries):
    for _ in range(30):
        make_person()
    client.force_login(make_user("gongan", "reviewer"))
    with django_assert_max_num_queries(15):
        assert client.get("/registry/persons/").status_code == 200
