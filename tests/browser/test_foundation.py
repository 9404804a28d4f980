"""Foundation journeys: two roles see different navigation; a reviewer reveals an ID number; a
township centre's clerk reveals a resident's phone."""

from __future__ import annotations

from upskill.core.models import AccessLog

from .conftest import log_in


def _nav(page) -> list[str]:
    return [text.strip() for text in page.locator("[data-testid=main-nav] a").all_inner_texts()]


def test_two_roles_see_different_navigation(page, make_user):
    make_user("gongan", "reviewer", username="reviewer_b")
    make_user("inst1", "clerk", username="clerk_b")

    log_in(page, "reviewer_b")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    reviewer_nav = _nav(page)
    page.click("text=退出")
    log_in(page, "clerk_b")
    clerk_nav = _nav(page)

    assert "人员" in " ".join(reviewer_nav)
    assert any("身份号码" in item for item in clerk_nav)  # find by exact ID number
    assert not any("身份号码" in item for item in reviewer_nav)
    assert reviewer_nav != clerk_nav


def test_reviewer_reveals_a_masked_number_and_it_is_logged(page, make_user, make_person):
    make_user("gongan", "reviewer", username="reviewer_r")
    person = make_person(name="黄秀英")
    log_in(page, "reviewer_r")
    page.goto(f"/registry/persons/{person.pk}/")
    assert page.inner_text("[data-testid=id-number]") == person.id_number_masked
    page.click("[data-testid=reveal]")
    assert page.inner_text("[data-testid=revealed]") == person.id_number
    assert AccessLog.objects.filter(object_id=str(person.pk), action="reveal").count() == 1


def test_township_clerk_reveals_a_residents_phone_and_it_is_logged(page, make_user, make_person):
    make_user("township:421022101", "clerk", username="clerk_p")
    person = make_person(name="黄秀英", phone="13812341960", township_code="421022101")
    log_in(page, "clerk_p")
    page.goto(f"/registry/persons/{person.pk}/")
    assert page.inner_text("[data-testid=phone]").startswith("138****1960")
    page.click("[data-testid=reveal-phone]")
    assert page.inner_text("[data-testid=revealed-phone]") == "13812341960"
    assert page.locator("[data-testid=reveal-phone]").count() == 0
    log = AccessLog.objects.get(object_id=str(person.pk), action="reveal")
    assert log.field == "phone"


def test_english_switch(page, make_user):
    make_user("gongan", "reviewer", username="reviewer_e")
    log_in(page, "reviewer_e")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Persons" in " ".join(_nav(page))
