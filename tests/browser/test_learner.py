"""Learner journeys of the Wuhan path (issue 16 items 3 and 6): the enterprise's HR hands an
employee the account link, the employee activates it on a phone-sized screen (375 px) by
confirming ID number and name and setting a password, sees the "my training" portal and logs in
again by ID number; a verified level-3 certificate yields 2,000 to the employee (WH20-SUB-2)
and 1,000 to the employee's enterprise (WH20-SUB-3) on the claim the system assembles for the
institution that organised the class (由培训机构代申请)."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from upskill.core.scoping import SYSTEM
from upskill.enterprise.services import contract_record
from upskill.organisations.models import Region
from upskill.subsidies.models import Claim
from upskill.subsidies.tests import factories

from .conftest import log_in

PASSWORD = "Jiangcheng#2020x"
# Screenshots of each page for a human to look at, when UPSKILL_SHOTS names a folder.
SHOTS = os.environ.get("UPSKILL_SHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _employee(world, make_person, name="周敏"):
    person = make_person(township_code=None, county=Region.objects.get(code="420112"), name=name)
    contract_record(
        actor=SYSTEM,
        enterprise=world["wh_ent1"],
        person=person,
        signed=date(2018, 3, 1),
        years=Decimal(3),
        consecutive_insured_months=24,
        insured_as_of=date(2020, 7, 1),
        unemployment_insured_months=24,
    )
    return person


def _phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN",
        base_url=live_server.url,
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    return context, context.new_page()


@pytest.mark.django_db(transaction=True)
def test_hr_hands_out_the_link_and_the_employee_activates_on_a_phone(
    page, browser, live_server, world, make_user, make_person
):
    person = _employee(world, make_person)
    make_user("wh_ent1", "hr_clerk", username="jc_hr")

    # the enterprise's HR hands out the link and its QR code from the employee's page
    log_in(page, "jc_hr")
    page.goto(f"/registry/persons/{person.pk}/")
    page.click("[data-testid=learner-invite]")
    page.wait_for_selector("[data-testid=learner-invitation] svg")  # the form's answer loaded
    assert page.locator("[data-testid=learner-invitation] svg").count() == 1
    link = page.get_attribute("[data-testid=invitation-link]", "href")
    _shot(page, "hr-invitation")

    # the employee opens it on a phone: a wrong name is refused, the right one opens the account
    context, phone = _phone(browser, live_server)
    phone.goto(link)
    _shot(phone, "phone-activate")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.fill("input[name=id_number]", person.id_number)
    phone.fill("input[name=name]", "周明")
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    phone.click("[data-testid=activate]")
    assert "不一致" in phone.inner_text("[data-testid=activate-error]")
    phone.fill("input[name=name]", "周敏")
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    phone.click("[data-testid=activate]")
    phone.wait_for_url("**/me/")
    assert "周敏" in phone.inner_text("[data-testid=learner-name]")
    for key in ("enrolments", "certificates", "subsidies"):
        assert phone.locator(f"[data-testid=portal-{key}]").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "phone-portal")

    # a learner reaches only the learner's pages
    response = phone.goto("/registry/persons/")
    assert response.status == 404

    # logged out, the employee logs in again with the ID number and the password
    phone.context.clear_cookies()
    phone.goto("/me/login/")
    phone.fill("input[name=id_number]", person.id_number)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("[data-testid=learner-login]")
    phone.wait_for_url("**/me/")
    _shot(phone, "phone-portal-again")
    context.close()

    # HR's page now offers the reset of a forgotten password instead of a new account
    page.goto(f"/registry/persons/{person.pk}/")
    assert page.locator("[data-testid=learner-reset]").count() == 1


@pytest.mark.django_db(transaction=True)
def test_verified_level_3_certificate_pays_employee_and_enterprise_on_the_institutions_claim(
    page, browser, live_server, world, make_user, make_person
):
    from upskill.assessment.models import Certificate

    person = _employee(world, make_person)
    entry = factories.wh20_entries()[3]
    training_class = factories.finished_class(
        world, [person], entry=entry, start=date(2020, 8, 3), days=2, insured_months=24
    )
    make_user("inst1", "clerk", username="inst_clerk")
    make_user("wuhan", "reviewer", username="wh_rev")
    # the evaluation body's level-3 certificate, recorded with its number and body
    certificate = factories.skill_certificate(person, training_class, verified=False)

    # the bureau verifies it (HB61-CRT-1)
    log_in(page, "wh_rev")
    page.goto(f"/assessment/certificates/{certificate.pk}/")
    _shot(page, "bureau-certificate")
    page.click("[data-testid=verify-yes]")
    page.wait_for_load_state()
    certificate.refresh_from_db()
    assert certificate.verification == "verified"
    page.click("text=退出")

    # the institution has the system assemble the claim on the employees' behalf
    log_in(page, "inst_clerk")
    page.goto("/subsidies/claims/")
    page.click(f"[data-testid=assemble-{training_class.pk}]")
    page.wait_for_url("**/subsidies/claims/*/")
    row = page.locator(f"#claim-lines tr:has-text('{person.name}')").inner_text()
    assert "2,000.00" in row and "1,000.00" in row
    payee = page.inner_text("[data-testid=payee-WH20-SUB-3]")
    assert "WH20-SUB-3" in payee and "武汉江城精密机械有限公司" in payee
    assert page.inner_text("#claim-total") == "3,000.00"
    _shot(page, "institution-claim")
    claim = Claim.objects.get(training_class=training_class)
    assert claim.claimant == world["inst1"]
    assert Certificate.objects.get(pk=certificate.pk).is_valid

    # the employee sees the class, the certificate and their 2,000 on the phone's portal
    from upskill.registry.services import learner_account_activate, learner_invitation_create

    hr = make_user("wh_ent1", "hr_clerk")
    link = learner_invitation_create(actor=hr, person=person)
    learner_account_activate(
        token=link.token, id_number=person.id_number, name=person.name, password=PASSWORD
    )
    context, phone = _phone(browser, live_server)
    phone.goto("/me/login/")
    phone.fill("input[name=id_number]", person.id_number)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("[data-testid=learner-login]")
    phone.wait_for_url("**/me/")
    assert training_class.name in phone.inner_text("[data-testid=portal-enrolments]")
    assert certificate.serial in phone.inner_text("[data-testid=portal-certificates]")
    subsidies = phone.inner_text("[data-testid=portal-subsidies]")
    assert "2000.00" in subsidies and "WH20-SUB-2" in subsidies and "1000.00" not in subsidies
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "phone-portal-certificate")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_employee_confirms_the_agreements_on_a_phone_and_hr_sees_them_confirmed(
    page, browser, live_server, world, make_user, make_person
):
    """WH20-LVE-1: before training the employee reads the 告知事项 and the 代扣协议书 in the
    learner portal on a phone (375 px, no horizontal scroll) and confirms them; the enterprise's
    HR then sees them confirmed, and the employee leaves HR's queue of unsigned agreements."""
    from upskill.nominations import services
    from upskill.nominations.models import Nomination
    from upskill.nominations.tests import factories as wh_factories
    from upskill.registry.services import learner_account_activate, learner_invitation_create

    wh = wh_factories.build(world, make_user)
    association = make_user("federation", "clerk")
    hr = make_user("wh_ent1", "hr_clerk", username="jc_hr")
    services.membership_add(
        actor=association, enterprise=world["wh_ent1"], joined_on=date(2019, 1, 1)
    )
    call = services.call_create(
        actor=association,
        title="2020线上职业技能等级培训",
        year=2020,
        deadline=date(2099, 7, 20),
        advanced_exam_fee=Decimal("320"),
    )
    batch = services.batch_create(
        actor=association,
        call=call,
        name="2020年第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=wh_factories.START,
        end_date=wh_factories.END,
    )
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
    person = _employee(world, make_person)
    nomination = services.nomination_put_forward(
        actor=hr,
        application=application,
        contract=person.employment_contracts.get(),
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 4)],
    )
    services.nomination_register(actor=hr, nomination=nomination, channel="onsite")
    invitation = learner_invitation_create(actor=hr, person=person)
    learner_account_activate(
        token=invitation.token, id_number=person.id_number, name=person.name, password=PASSWORD
    )

    # HR sees the agreements not yet signed, and the employee in the queue of unsigned ones
    log_in(page, "jc_hr")
    page.goto(f"/nominations/employees/{nomination.pk}/")
    assert "尚未签署" in page.inner_text("[data-testid=agreements-state]")
    page.goto("/nominations/?queue=unsigned")
    assert person.name in page.inner_text("main")

    # the employee, on a phone: the portal offers the agreements to read and confirm
    context, phone = _phone(browser, live_server)
    phone.goto("/me/login/")
    phone.fill("input[name=id_number]", person.id_number)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("[data-testid=learner-login]")
    phone.wait_for_url("**/me/")
    section = phone.locator("[data-testid=portal-nominations]")
    assert "2020线上职业技能等级培训" in section.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "phone-portal-agreements")
    section.get_by_role("link", name="阅读并确认告知事项和代扣协议").click()
    phone.wait_for_url(f"**/nominations/me/{nomination.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # the agreements generated from the enrolment open as a PDF
    pdf_url = phone.get_attribute("[data-testid=agreements-pdf]", "href")
    pdf = phone.request.get(pdf_url)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert "WH20-LVE-1" in phone.inner_text("main")
    _shot(phone, "phone-agreements")
    phone.click("[data-testid=confirm-agreements]")
    phone.wait_for_load_state()
    assert "告知事项和代扣协议已确认" in phone.inner_text("body")
    assert "学员在“我的培训”中确认" in phone.inner_text("[data-testid=agreements-state]")
    assert phone.locator("[data-testid=confirm-agreements]").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "phone-agreements-confirmed")
    # back in the portal, the card reads the agreements confirmed
    phone.click("[data-testid=back-to-portal]")
    phone.wait_for_url("**/me/")
    card = phone.inner_text("[data-testid=portal-nominations]")
    assert "确认告知事项和代扣协议" in card and "阅读并确认" not in card
    context.close()

    # HR now sees them confirmed in the portal, and may record a leaving under them
    page.goto(f"/nominations/employees/{nomination.pk}/")
    state = page.inner_text("[data-testid=agreements-state]")
    assert "学员在“我的培训”中确认" in state and "尚未签署" not in state
    assert page.locator("[data-testid=leave]").count() == 1
    page.goto("/nominations/?queue=unsigned")
    assert person.name not in page.inner_text("main")
    confirmed = Nomination.objects.get(pk=nomination.pk)
    assert confirmed.agreements_confirmed_how == "portal"
