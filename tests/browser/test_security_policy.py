"""The Content-Security-Policy in the browser: it refuses what it should and the page notices;
the selects that submitted themselves with inline handlers still do; the Django admin and the
API's Swagger UI work under the policy."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import log_in


def test_the_policy_refuses_injected_script_and_foreign_images(page, make_user):
    make_user("gongan", "reviewer", username="reviewer_csp")
    log_in(page, "reviewer_csp")
    page.evaluate(
        """() => document.body.insertAdjacentHTML('beforeend',
            '<img src="/static/upskill/favicon.svg" onload="window.pwned = 1">' +
            '<img src="https://example.invalid/track.png">')"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.pwned") is None
    assert any("script-src" in v for v in page.csp_violations), page.csp_violations
    assert any("img-src" in v and "example.invalid" in v for v in page.csp_violations)
    page.csp_violations.clear()  # provoked on purpose


def test_the_kind_select_still_submits_its_form(page, make_user):
    make_user("gongan", "admin", username="admin_csp")
    log_in(page, "admin_csp")
    page.goto("/organisations/")
    # the list's filters (core.lists) answer through htmx, which the policy lets run (no eval)
    page.select_option("select[name=kind]", index=1)
    expect(page).to_have_url(re.compile(r"/organisations/\?.*kind=\w"))
    expect(page.get_by_test_id("list-count")).to_be_visible()


def test_the_admin_and_the_api_docs_work_under_the_policy(page, django_user_model):
    django_user_model.objects.create_superuser("root_csp", password="Test#Pass2023")
    page.goto("/admin/login/")
    page.fill("input[name=username]", "root_csp")
    page.fill("input[name=password]", "Test#Pass2023")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto("/admin/organisations/user/")
    page.click("#result_list tbody a")
    page.wait_for_selector("#user_form")
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "upskill API" in page.inner_text(".swagger-ui .info .title")
