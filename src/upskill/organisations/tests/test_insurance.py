"""GA23-OBJ-3: an enterprise's unemployment insurance is recorded on the enterprise, with its
source and the day it was recorded, by a bureau over it (never by the enterprise itself); the
post-skill eligibility rule reads it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from upskill.organisations import selectors, services

pytestmark = pytest.mark.django_db


def test_ga23_obj_3_the_county_bureau_records_an_enterprises_insurance(world, make_user):
    admin = make_user("gongan", "admin")
    enterprise = world["ent1"]
    assert selectors.organisation_permissions(actor=admin, obj=enterprise).record_insurance
    services.enterprise_insurance_record(
        actor=admin,
        organisation=enterprise,
        insured_since=date(2015, 3, 1),
        source="县社保经办机构缴费证明",
        today=date(2023, 4, 1),
    )
    enterprise.refresh_from_db()
    assert enterprise.unemployment_insured_since == date(2015, 3, 1)
    assert enterprise.unemployment_insurance_source == "县社保经办机构缴费证明"
    assert enterprise.unemployment_insurance_recorded == date(2023, 4, 1)
    assert enterprise.history.count() >= 2  # the change history keeps the earlier value


def test_ga23_obj_3_refuses_a_future_date_and_a_missing_source(world, make_user):
    admin = make_user("gongan", "admin")
    with pytest.raises(ValidationError) as refused:
        services.enterprise_insurance_record(
            actor=admin,
            organisation=world["ent1"],
            insured_since=date(2024, 1, 1),
            source=" ",
            today=date(2023, 4, 1),
        )
    assert set(refused.value.message_dict) == {"insured_since", "source"}


def test_ga23_obj_3_neither_the_enterprise_nor_another_bureau_records_it(world, make_user):
    own_hr = make_user("ent1", "hr_clerk")
    wuhan = make_user("wuhan", "admin")
    gongan = make_user("gongan", "admin")
    for actor in (own_hr, wuhan):
        assert not selectors.organisation_permissions(
            actor=actor, obj=world["ent1"]
        ).record_insurance
        with pytest.raises(PermissionDenied):
            services.enterprise_insurance_record(
                actor=actor,
                organisation=world["ent1"],
                insured_since=date(2015, 3, 1),
                source="自报",
            )
    # an institution is not an enterprise: nothing to record
    assert not selectors.organisation_permissions(actor=gongan, obj=world["inst1"]).record_insurance


def test_ga23_obj_3_the_bureau_records_it_on_the_enterprises_page(client, world, make_user):
    client.force_login(make_user("gongan", "admin"))
    enterprise = world["ent1"]
    page = client.get(reverse("organisations:detail", args=[enterprise.pk])).content.decode()
    assert 'data-testid="insurance"' in page and "GA23-OBJ-3" in page
    assert reverse("organisations:insurance", args=[enterprise.pk]) in page
    response = client.post(
        reverse("organisations:insurance", args=[enterprise.pk]),
        {"insured_since": "2016-07-01", "source": "社保缴费证明"},
        follow=True,
    )
    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert enterprise.unemployment_insured_since == date(2016, 7, 1)
    assert "2016-07-01" in response.content.decode()
    # a malformed date is a message, and nothing changes
    response = client.post(
        reverse("organisations:insurance", args=[enterprise.pk]),
        {"insured_since": "昨天", "source": "社保缴费证明"},
        follow=True,
    )
    enterprise.refresh_from_db()
    assert enterprise.unemployment_insured_since == date(2016, 7, 1)
    # Wuhan's bureau does not see Gong'an's enterprise at all
    client.force_login(make_user("wuhan", "admin"))
    response = client.post(
        reverse("organisations:insurance", args=[enterprise.pk]),
        {"insured_since": "2016-07-01", "source": "x"},
    )
    assert response.status_code == 404
