"""Wuhan enrolment journeys (WH20): a member enterprise applies and the association schedules it
(WH20-ENR-1); HR puts employees forward, the one with 11 months of unemployment insurance refused
naming WH20-OBJ-1 (WH20-ENR-2); an employee's leaving computes the deduction (WH20-LVE-1)."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from upskill.core.scoping import SYSTEM
from upskill.nominations import services
from upskill.nominations.models import Application, Nomination
from upskill.nominations.pdf import agreements_pdf
from upskill.nominations.tests import factories
from upskill.organisations.services import role_for, user_create

from .conftest import log_in

SHOTS = Path(tempfile.gettempdir()) / "whenrol"  # screenshots to look at
SHOTS.mkdir(exist_ok=True)


def _world(world, make_user):
    wh = factories.build(world, make_user)
    association = make_user("federation", "clerk", username="wql_clerk")
    hr = make_user("wh_ent1", "hr_clerk", username="jc_hr")
    services.membership_add(
        actor=association, enterprise=world["wh_ent1"], joined_on=date(2019, 1, 1)
    )
    call = services.call_create(
        actor=association,
        title="2020线上职业技能等级培训",
        document="武企联【2020】14号",
        year=2020,
        deadline=date(2099, 7, 20),  # open today: the page files the application with today's date
        advanced_exam_fee=Decimal("320"),
    )
    batch = services.batch_create(
        actor=association,
        call=call,
        name="2020年第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=factories.START,
        end_date=factories.END,
    )
    return wh, association, hr, call, batch


def _scheduled(world, make_user):
    wh, association, hr, call, batch = _world(world, make_user)
    application = services.application_submit(
        actor=hr,
        call=call,
        industry="机械制造",
        hr_lead="王经理",
        hr_lead_phone="13800138000",
        occupations_wanted="安全评价师、钳工",
        eligible_employees=5,
    )
    services.application_schedule(actor=association, application=application, batch=batch)
    application.refresh_from_db()
    return wh, hr, application


@pytest.mark.django_db(transaction=True)
def test_an_enterprise_applies_and_the_association_schedules_it(page, world, make_user):
    _wh, _association, _hr, call, batch = _world(world, make_user)
    log_in(page, "jc_hr")
    page.goto(f"/nominations/calls/{call.pk}/")
    page.fill("input[name=industry]", "机械制造")
    page.fill("input[name=hr_lead]", "王经理")
    page.fill("input[name=hr_lead_phone]", "13800138000")
    page.fill("textarea[name=occupations_wanted]", "安全评价师、钳工")
    page.fill("input[name=eligible_employees]", "5")
    page.fill("input[name=dispatched_included]", "1")
    page.click("[data-testid=apply]")
    page.wait_for_load_state()
    assert "待安排" in page.inner_text("[data-testid=own-status]")
    page.screenshot(path=f"{SHOTS}/enterprise_applied.png", full_page=True)
    page.click("text=退出")

    log_in(page, "wql_clerk")
    page.goto("/")
    assert "待安排的企业申请" in page.content()  # the association's work queue
    page.goto(f"/nominations/calls/{call.pk}/")
    row = page.inner_text("[data-testid=application-1]")
    assert "武汉江城精密机械有限公司" in row and "138****8000" in row
    page.select_option("[data-testid=application-1] select[name=batch]", str(batch.pk))
    page.click("[data-testid=schedule-1]")
    page.wait_for_load_state()
    page.screenshot(path=f"{SHOTS}/association_scheduled.png", full_page=True)
    application = Application.objects.get(call=call)
    assert (application.status, application.batch_id) == ("scheduled", batch.pk)
    page.click("text=退出")

    log_in(page, "jc_hr")
    page.goto(f"/nominations/calls/{call.pk}/")
    assert "2020年第一批" in page.inner_text("[data-testid=own-status]")


@pytest.mark.django_db(transaction=True)
def test_hr_puts_employees_forward_and_eleven_months_are_refused_naming_wh20_obj_1(
    page, world, make_user, make_person
):
    wh, hr, application = _scheduled(world, make_user)
    short = factories.employee(make_person, hr, 11, name="刘强")
    enough = factories.employee(make_person, hr, 24, name="陈静")
    log_in(page, "jc_hr")
    page.goto(f"/nominations/applications/{application.pk}/")

    def put_forward(contract):
        page.select_option("select[name=contract]", str(contract.pk))
        page.select_option(
            "select[name=general_occupation]", str(wh.occupations[("安全评价师", 3)].pk)
        )
        page.select_option(
            "select[name=specialised_occupation]", str(wh.occupations[("钳工", 4)].pk)
        )
        page.click("[data-testid=put-forward]")
        page.wait_for_load_state()

    put_forward(short)
    refusal = page.inner_text("[data-testid=form-refusal]")
    assert "WH20-OBJ-1" in refusal and "11" in refusal
    page.screenshot(path=f"{SHOTS}/put_forward_refused.png", full_page=True)
    assert not Nomination.objects.exists()
    put_forward(enough)
    assert "陈静" in page.inner_text("[data-testid=employee-list]")
    assert Nomination.objects.get().insured_months == 24
    page.screenshot(path=f"{SHOTS}/put_forward.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_an_employees_leaving_computes_the_deduction(page, world, make_user, make_person):
    wh, hr, application = _scheduled(world, make_user)
    nomination = services.nomination_put_forward(
        actor=hr,
        application=application,
        contract=factories.employee(make_person, hr, 24, name="王芳"),
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 4)],
    )
    clerk = user_create(
        actor=SYSTEM,
        organisation=wh.institution,
        role=role_for(wh.institution.kind, "clerk"),
        username="mw_clerk",
        password="Test#Pass2023",
        check_password=False,
    )
    services.receipt_record(
        actor=clerk,
        nomination=nomination,
        amount=Decimal("3000"),
        paid_on=date(2020, 7, 25),
        number="MW-0001",
    )
    log_in(page, "jc_hr")
    page.goto(f"/nominations/employees/{nomination.pk}/")
    page.click("[data-testid=register]")
    page.wait_for_load_state()
    assert "已入班" in page.inner_text("[data-testid=state]") or "学习中" in page.inner_text(
        "[data-testid=state]"
    )
    services.agreements_upload(
        actor=hr,
        nomination=Nomination.objects.get(),
        upload=ContentFile(agreements_pdf(nomination), name="signed.pdf"),
    )
    page.goto(f"/nominations/employees/{nomination.pk}/")
    page.fill("input[name=left_on]", "2020-09-01")
    page.fill("textarea[name=reason]", "个人原因离职")
    page.click("[data-testid=leave]")
    page.wait_for_load_state()
    # 3,000 advanced by the enterprise, less the 320 exam fee of the level-3 certificate
    assert page.inner_text("[data-testid=deduction-amount]").startswith("2680.00")
    assert "WH20-LVE-1" in page.content()
    page.screenshot(path=f"{SHOTS}/leaving_deduction.png", full_page=True)
    assert Nomination.objects.get().deduction == Decimal("2680.00")
