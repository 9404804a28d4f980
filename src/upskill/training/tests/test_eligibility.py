"""Eligibility at enrolment (GA23-OBJ-1/2/3, WH20-OBJ-1, HB61-MIG-1): one trainee, a roster
import and the API refuse whom the rules would not admit, naming the rule and the missing fact;
the rules are the policy package's (policy/eligibility.py), the facts the product's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation
from upskill.registry.models import Category, PersonCategory
from upskill.registry.services import person_category_add, person_update
from upskill.training import services
from upskill.training.models import Enrolment

from .test_pages import _upload, roster_xlsx


def _poverty(person, *, source_org="rural", valid_from=date(2020, 1, 1), valid_until=None):
    """The person's 脱贫人员 category, recorded by ``source_org`` (a world key) or by nobody."""
    entry = person_category_add(
        actor=SYSTEM,
        person=person,
        category=Category.objects.get(code="poverty_alleviated"),
        source="县乡村振兴局脱贫人口名册",
        valid_from=valid_from,
        valid_until=valid_until,
    )
    names = {"rural": "公安县乡村振兴局", "inst1": "公安县职业技术培训学校"}
    if source_org:
        PersonCategory.objects.filter(pk=entry.pk).update(
            source_organisation=Organisation.objects.get(name=names[source_org])
        )
    return entry


def _enrol(clerk, training_class, person, **kwargs):
    return services.enrolment_create(
        actor=clerk,
        training_class=training_class,
        id_number=person.id_number,
        name=person.name,
        **kwargs,
    )


def test_ga23_obj_2_admits_a_person_on_the_bureaus_roster(make_class, make_user, make_person):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(entry="domestic", status="approved")
    person = make_person(name="刘强")
    _poverty(person)
    enrolment = _enrol(clerk, training_class, person)
    assert "poverty_alleviated" in enrolment.categories


@pytest.mark.parametrize(
    ("source_org", "valid_from", "valid_until", "missing"),
    [
        (None, date(2020, 1, 1), None, "rural revitalisation bureau's roster as source"),
        ("inst1", date(2020, 1, 1), None, "rural revitalisation bureau's roster as source"),
        ("rural", date(2020, 1, 1), date(2023, 5, 12), "valid on the class's dates"),
        ("rural", date(2023, 5, 10), None, "valid on the class's dates"),
    ],
)
def test_ga23_obj_2_refuses_a_category_not_from_the_roster_or_not_valid_on_the_dates(
    make_class, make_user, make_person, source_org, valid_from, valid_until, missing
):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(entry="domestic", status="approved")  # 2023-05-08 – 05-19
    person = make_person(name="陈静")
    _poverty(person, source_org=source_org, valid_from=valid_from, valid_until=valid_until)
    with pytest.raises(ValidationError) as exc:
        _enrol(clerk, training_class, person)
    messages = exc.value.message_dict["categories"]
    assert any("GA23-OBJ-2" in m and "Missing:" in m and missing in m for m in messages), messages
    assert not Enrolment.objects.filter(training_class=training_class).exists()


def test_ga23_obj_2_refuses_a_person_with_no_poverty_category(make_class, make_user, make_person):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(entry="domestic", status="approved")
    person = make_person(name="王芳")
    with pytest.raises(ValidationError) as exc:
        _enrol(clerk, training_class, person, categories=["退捕渔民"])
    [message] = exc.value.message_dict["categories"]
    assert "GA23-OBJ-2" in message and "公人社发〔2023〕5号 三(一)2" in message
    assert "Missing: a poverty-alleviated, two-after or monitored category" in message


def test_a_refused_roster_row_names_the_row_the_rule_and_the_missing_fact(
    make_class, make_user, make_person
):
    """A roster for a poverty-alleviated class: the person on the bureau's roster passes, the
    one who is not is refused by row, naming GA23-OBJ-2 and the missing fact; nothing is
    written (all or nothing)."""
    from upskill.core.imports import ImportRejected

    clerk = make_user("inst1", "clerk")
    training_class = make_class(entry="domestic", status="approved")
    on_roster = make_person(name="刘强")
    _poverty(on_roster)
    not_on_roster = make_person(name="黄秀英")
    rows = [["刘强", on_roster.id_number, "", ""], ["黄秀英", not_on_roster.id_number, "", ""]]
    with pytest.raises(ImportRejected) as exc:
        services.roster_import_run(
            actor=clerk, training_class=training_class, upload=_upload(roster_xlsx(rows))
        )
    [error] = exc.value.errors
    assert error.row == 4 and error.field == "Categories"
    assert "GA23-OBJ-2" in error.message and "Missing:" in error.message
    assert not Enrolment.objects.filter(training_class=training_class).exists()
    result = services.roster_import_run(
        actor=clerk, training_class=training_class, upload=_upload(roster_xlsx(rows[:1]))
    )
    assert result == {"rows": 1, "enrolled": 1}


def test_the_api_refuses_with_the_rule(client, make_class, make_person):
    from upskill.organisations.services import api_token_create, role_for

    training_class = make_class(entry="domestic", status="approved")
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=training_class.organisation,
        role=role_for("institution", "clerk"),
        name="教务系统",
    )
    person = make_person(name="张伟")
    response = client.post(
        f"/api/classes/{training_class.pk}/enrolments",
        {"id_number": person.id_number, "name": person.name},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code in (400, 422), response.content
    assert "GA23-OBJ-2" in response.content.decode()
    _poverty(person)
    response = client.post(
        f"/api/classes/{training_class.pk}/enrolments",
        {"id_number": person.id_number, "name": person.name},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def post_skill_class(make_class, catalog_entries, world):
    """ent1's post-skill class of 2023 (GA23-OBJ-3 is in force for Gong'an 2023)."""
    from upskill.catalog.models import CatalogEntry

    entry = CatalogEntry.objects.create(
        catalog=catalog_entries["electrician"].catalog,
        program="post_skill",
        occupation=catalog_entries["electrician"].occupation,
        standard_hours=Decimal(40),
    )
    training_class = make_class(organisation="ent1", status="approved")
    training_class.catalog_entry = entry
    training_class.save()
    return training_class


def _employ(world, person):
    from upskill.enterprise.services import contract_record

    return contract_record(
        actor=SYSTEM,
        enterprise=world["ent1"],
        person=person,
        signed=date(2021, 3, 1),
        years=Decimal(3),
        consecutive_insured_months=24,
        insured_as_of=date(2023, 4, 30),
        unemployment_insured_months=24,
    )


def test_ga23_obj_3_admits_employees_of_an_enterprise_recorded_paying_unemployment_insurance(
    post_skill_class, make_user, make_person, world
):
    clerk = make_user("ent1", "hr_clerk")
    employee = make_person(name="李娜")
    _employ(world, employee)
    with pytest.raises(ValidationError) as exc:
        _enrol(clerk, post_skill_class, employee)
    [message] = exc.value.message_dict["id_number"]
    assert "GA23-OBJ-3" in message
    assert "Missing: the enterprise's unemployment-insurance record" in message

    Organisation.objects.filter(pk=world["ent1"].pk).update(
        unemployment_insured_since=date(2015, 1, 1),
        unemployment_insurance_source="公安县社保局缴费证明",
        unemployment_insurance_recorded=date(2023, 4, 30),
    )
    post_skill_class.refresh_from_db()
    assert _enrol(clerk, post_skill_class, employee).person == employee

    stranger = make_person(name="张伟")
    with pytest.raises(ValidationError) as exc:
        _enrol(clerk, post_skill_class, stranger)
    [message] = exc.value.message_dict["id_number"]
    assert "GA23-OBJ-3" in message and "Missing: employment by the enterprise" in message


def test_hb61_mig_1_a_migrant_worker_in_town_six_months_counts_as_an_employee(
    post_skill_class, make_user, make_person, world
):
    """HB61 ends in 2021: for Gong'an 2023 an administrator adds the rule's version."""
    from upskill.policy_admin.services import parameter_version_add

    parameter_version_add(
        actor=SYSTEM,
        parameter="eligibility.migrant_residence_months",
        region_code="421022",
        valid_from=date(2023, 1, 1),
        valid_until=None,
        value=6,
        document="鄂人社函〔2020〕61号",
        clause="三(三)",
        rule="HB61-MIG-1",
    )
    Organisation.objects.filter(pk=world["ent1"].pk).update(
        unemployment_insured_since=date(2015, 1, 1)
    )
    post_skill_class.refresh_from_db()
    clerk = make_user("ent1", "hr_clerk")
    worker = make_person(name="刘强")
    with pytest.raises(ValidationError) as exc:
        _enrol(clerk, post_skill_class, worker, categories=["农民工"])
    messages = " ".join(exc.value.messages)
    assert "HB61-MIG-1" in messages and "Missing: the date the person began living" in messages
    # recorded on the person (registry), then admitted
    person_update(actor=SYSTEM, person=worker, town_residence_since=date(2022, 10, 1))
    assert _enrol(clerk, post_skill_class, worker, categories=["农民工"]).person == worker
