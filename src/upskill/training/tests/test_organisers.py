"""Who organises a class and who recruits for it: designated institutions (HB45-CAT-1), the
county employment training centre's poverty-alleviation classes and the township centres'
recruiting (组织招生, GA23 三(五)), through the services and the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from upskill.catalog.models import Occupation
from upskill.catalog.tests.factories import designate
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.training import services
from upskill.training.models import ClassStatus, EnrolmentStatus
from upskill.training.tests.factories import lesson_slots, poverty_category

pytestmark = pytest.mark.django_db

DOUHUDI = "421022101"


def _file(actor, entry, *, organisation=None, start=date(2023, 6, 5), township=DOUHUDI):
    return services.class_create(
        actor=actor,
        organisation=organisation,
        name=f"{entry.occupation.name}培训班",
        catalog_entry=entry,
        township=Region.objects.get(code=township),
        venue="斗湖堤镇油江路12号",
        start_date=start,
        end_date=start.replace(day=start.day + 4),
        planned_places=30,
        assessment_method="理论笔试加实操考核",
    )


def _new_institution(name="公安县新开职业培训学校"):
    return Organisation.objects.create(
        kind=OrganisationKind.INSTITUTION, name=name, region=Region.objects.get(code="421022")
    )


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# --- HB45-CAT-1: designated institutions -------------------------------------------------


def test_hb45_cat_1_an_institution_outside_the_catalogue_files_no_subsidised_class(
    catalog_entries,
):
    outsider = _new_institution()
    with pytest.raises(ValidationError) as exc:
        _file(SYSTEM, catalog_entries["cook"], organisation=outsider)
    message = _messages(exc)
    assert "HB45-CAT-1" in message and outsider.name in message and "公安县" in message


def test_hb45_cat_1_no_catalogue_in_force_for_the_year_refuses_and_says_so(catalog_entries, world):
    with pytest.raises(ValidationError) as exc:
        _file(SYSTEM, catalog_entries["cook"], organisation=world["inst1"], start=date(2025, 3, 3))
    message = _messages(exc)
    assert "HB45-CAT-1" in message and "2025" in message and "no designated-institution" in message


def test_hb45_cat_1_an_entry_with_occupations_covers_only_those(catalog_entries):
    school = _new_institution("公安县家政专修学校")
    domestic = catalog_entries["domestic"].occupation
    designate(school, occupations=[domestic])
    with pytest.raises(ValidationError) as exc:
        _file(SYSTEM, catalog_entries["cook"], organisation=school)
    message = _messages(exc)
    assert "HB45-CAT-1" in message and "中式烹调师" in message and "家政服务员" in message
    # the occupation it is designated for is filed
    assert _file(SYSTEM, catalog_entries["domestic"], organisation=school).pk


def test_hb45_cat_1_occupations_match_by_name_across_catalogue_versions(catalog_entries):
    """A designation lists occupations of an occupation catalogue; the class's project may
    point at the same occupation of another catalogue (a new version copies them)."""
    school = _new_institution("公安县烹饪学校")
    cook = catalog_entries["cook"].occupation
    other = Occupation.objects.filter(name=cook.name).exclude(pk=cook.pk).first()
    designate(school, occupations=[other or cook])
    assert _file(SYSTEM, catalog_entries["cook"], organisation=school).pk


def test_hb45_cat_1_a_designation_outside_its_validity_refuses(catalog_entries):
    from upskill.catalog import services as catalog_services
    from upskill.catalog.models import Catalog, CatalogKind

    school = _new_institution("公安县短期培训学校")
    designate(school)
    current = (
        Catalog.objects.filter(kind=CatalogKind.INSTITUTIONS, region__code="421022", year=2023)
        .order_by("-version")
        .first()
    )
    draft = catalog_services.catalog_new_version(actor=SYSTEM, catalog=current)
    catalog_services.institution_designate(
        actor=SYSTEM,
        catalog=draft,
        organisation=school,
        occupations=[],
        valid_from=date(2023, 1, 1),
        valid_until=date(2023, 3, 31),
    )
    catalog_services.catalog_publish(actor=SYSTEM, catalog=draft)
    with pytest.raises(ValidationError) as exc:
        _file(SYSTEM, catalog_entries["cook"], organisation=school)
    assert "HB45-CAT-1" in _messages(exc) and "2023-03-31" in _messages(exc)
    assert _file(SYSTEM, catalog_entries["cook"], organisation=school, start=date(2023, 3, 6)).pk


def test_hb45_cat_1_is_asked_again_at_submission(make_class, make_user):
    """A plan moved to a year without a catalogue is not submitted (the designation is for the
    county and the year of the class)."""
    clerk = make_user("inst1", "clerk")
    training_class = make_class(lessons=(("theory", 8), ("practice", 12)))
    services.class_update(
        actor=clerk,
        training_class=training_class,
        start_date=date(2025, 5, 8),
        end_date=date(2025, 5, 19),
    )
    with pytest.raises(ValidationError) as exc:
        services.class_transition(actor=clerk, training_class=training_class, action="submit")
    assert "HB45-CAT-1" in _messages(exc)


def test_hb45_cat_1_enterprises_filing_their_own_classes_are_not_concerned(
    catalog_entries, make_user
):
    hr = make_user("ent1", "hr_clerk")
    # no institution catalogue exists for 2025: the enterprise's pre-job class is still filed
    training_class = _file(hr, catalog_entries["electrician"], start=date(2025, 3, 3))
    assert training_class.organisation.kind == OrganisationKind.ENTERPRISE


# --- GA23 三(五): the county employment training centre ----------------------------------


def test_ga23_training_centre_organises_poverty_classes_only(catalog_entries, make_user):
    organiser = make_user("training_centre", "organiser")
    poverty = _file(organiser, catalog_entries["domestic"])
    assert poverty.organisation == organiser.organisation
    with pytest.raises(ValidationError) as exc:
        _file(organiser, catalog_entries["cook"])
    assert "GA23" in _messages(exc)


def test_ga23_training_centre_reviewer_does_not_approve_its_own_class(catalog_entries, make_user):
    organiser = make_user("training_centre", "organiser")
    centre_reviewer = make_user("training_centre", "reviewer")
    bureau_reviewer = make_user("gongan", "reviewer")
    teacher = services.teacher_create(
        actor=organiser, name="郑老师", certificate_kind="职业技能等级证书", certificate_number="C1"
    )
    training_class = _file(organiser, catalog_entries["domestic"])
    services.class_update(actor=organiser, training_class=training_class, teachers=[teacher])
    # 24 theory and 36 practice hours, in lessons of 12 that fit their slots (issue 15.6)
    slots = lesson_slots(
        (("theory", 12), ("theory", 12), *(("practice", 12),) * 3), training_class.start_date
    )
    for index, (day, start_time, end_time, kind, hours) in enumerate(slots):
        services.lesson_create(
            actor=organiser,
            training_class=training_class,
            date=day,
            start_time=start_time,
            end_time=end_time,
            hours=hours,
            kind=kind,
            content=f"第{index + 1}课",
        )
    services.class_transition(actor=organiser, training_class=training_class, action="submit")
    with pytest.raises(PermissionDenied):
        services.class_transition(
            actor=centre_reviewer, training_class=training_class, action="approve"
        )
    services.class_transition(
        actor=bureau_reviewer, training_class=training_class, action="approve"
    )
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED


def test_ga23_other_organisations_file_no_class(catalog_entries, make_user):
    for org, role in (("township:421022101", "clerk"), ("gongan", "reviewer")):
        with pytest.raises((PermissionDenied, ValidationError)):
            _file(make_user(org, role), catalog_entries["domestic"])


# --- GA23 三(五): township centres recruit for classes held in their township --------------


def test_ga23_township_centre_enrols_into_a_class_held_in_its_township(
    make_class, make_user, make_person
):
    training_class = make_class(entry="domestic", status="approved")
    clerk = make_user("township:421022101", "clerk")
    person = make_person(name="李娜")
    poverty_category(person)  # GA23-OBJ-2: on the bureau's roster
    enrolment = services.enrolment_create(
        actor=clerk, training_class=training_class, id_number=person.id_number, name="李娜"
    )
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.training_class.organisation.kind == OrganisationKind.INSTITUTION
    # the organiser decides a trainee's leaving, not the township centre
    with pytest.raises(PermissionDenied):
        services.enrolment_withdraw(actor=clerk, enrolment=enrolment, reason="外出务工")


def test_ga23_another_township_centre_does_not_see_or_enrol(make_class, make_user, make_person):
    training_class = make_class(entry="domestic", status="approved")
    other = make_user("township:421022102", "clerk")
    person = make_person(name="王芳")
    with pytest.raises(Http404):
        services.enrolment_create(
            actor=other, training_class=training_class, id_number=person.id_number, name="王芳"
        )


def test_ga23_township_centre_waits_for_approval_like_the_organiser(make_class, make_user):
    training_class = make_class(entry="domestic", status="submitted")
    clerk = make_user("township:421022101", "clerk")
    with pytest.raises(ValidationError, match="HB61-PRJ-1"):
        services.enrolment_create(
            actor=clerk, training_class=training_class, id_number="x", name="x"
        )


def test_ga23_township_centre_page_offers_enrolment_but_not_withdrawal(
    client, make_class, make_user, make_person
):
    training_class = make_class(entry="domestic", status="approved")
    clerk = make_user("township:421022101", "clerk")
    client.force_login(clerk)
    page = client.get(reverse("training:class_detail", args=[training_class.pk]))
    assert page.status_code == 200 and page.context["can"].enrol is True
    assert page.context["can"].withdraw is False
    person = make_person(name="刘强")
    poverty_category(person)  # GA23-OBJ-2: on the bureau's roster
    response = client.post(
        reverse("training:enrol", args=[training_class.pk]),
        {"id_number": person.id_number, "name": "刘强", "hukou": "agricultural"},
    )
    assert response.status_code == 302
    assert training_class.enrolments.filter(person=person).exists()
    # another township's clerk gets 404 from the same page
    client.force_login(make_user("township:421022102", "clerk"))
    assert client.get(reverse("training:class_detail", args=[training_class.pk])).status_code == 404
