"""Phones in training (item 3 of the security wave): an institution reveals the phone of the
trainees enrolled in its classes, logged, and no one else's; teachers' phones are encrypted and
shown masked; the class roster export masks them."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from openpyxl import load_workbook

from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM
from upskill.registry import services as registry
from upskill.registry.models import AffiliationBasis, AffiliationKind
from upskill.training import services

PHONE = "13812341960"


def test_the_institution_reveals_its_enrolled_trainees_phone(
    world, make_class, enrol, make_person, make_user
):
    training_class = make_class(status="approved")
    (enrolment,) = enrol(training_class, phone=PHONE)
    clerk = make_user("inst1", "clerk")
    assert registry.person_reveal_phone(actor=clerk, person=enrolment.person) == PHONE
    assert registry.person_reveal_phone(actor=make_user("inst1", "admin"), person=enrolment.person)
    with pytest.raises(PermissionDenied):  # a teacher does not call trainees
        registry.person_reveal_phone(actor=make_user("inst1", "teacher"), person=enrolment.person)
    # registered by the institution, but not enrolled in one of its classes
    linked = make_person(phone="13971605678")
    registry.affiliation_ensure(
        person=linked,
        organisation=world["inst1"],
        kind=AffiliationKind.TRAINEE,
        basis=AffiliationBasis.REGISTRATION,
    )
    with pytest.raises(PermissionDenied):
        registry.person_reveal_phone(actor=clerk, person=linked)
    # withdrawn: no longer its trainee
    services.enrolment_withdraw(actor=SYSTEM, enrolment=enrolment, reason="外出务工")
    with pytest.raises(PermissionDenied):
        registry.person_reveal_phone(actor=clerk, person=enrolment.person)
    assert AccessLog.objects.filter(action="reveal", field="phone").count() == 2


def test_the_person_page_offers_the_reveal_to_the_institution(client, make_class, enrol, make_user):
    (enrolment,) = enrol(make_class(status="approved"), phone=PHONE)
    client.force_login(make_user("inst1", "clerk"))
    page = client.get(f"/registry/persons/{enrolment.person_id}/").content.decode()
    assert "138****1960" in page and PHONE not in page and 'data-testid="reveal-phone"' in page
    revealed = client.post(f"/registry/persons/{enrolment.person_id}/reveal-phone/")
    assert PHONE in revealed.content.decode()


def test_teacher_phones_are_encrypted_and_masked(world, client, make_user, catalog_entries):
    teacher = services.teacher_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        name="周老师",
        certificate_kind="职业技能等级证书",
        certificate_number="T2023001",
        phone="138-7160-1234",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, phone_masked FROM training_teacher WHERE id = %s", [teacher.pk]
        )
        stored, masked = cursor.fetchone()
        cursor.execute("SELECT phone FROM training_historicalteacher WHERE id = %s", [teacher.pk])
        (history,) = cursor.fetchone()
    assert stored.startswith("enc1$") and history.startswith("enc1$")
    assert "13871601234" not in stored + history and masked == "138****1234"
    teacher.refresh_from_db()
    assert teacher.phone == "13871601234"
    client.force_login(make_user("inst1", "clerk"))
    page = client.get("/training/teachers/").content.decode()
    assert "138****1234" in page and "13871601234" not in page


def test_the_roster_export_masks_phones(client, make_class, enrol, make_user):
    training_class = make_class(status="approved")
    enrol(training_class, phone=PHONE)
    client.force_login(make_user("inst1", "clerk"))
    response = client.get(f"/training/classes/{training_class.pk}/roster.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "138****1960" in values and PHONE not in values
