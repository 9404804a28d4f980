"""Browser journeys: Playwright driving Debian's Chromium, started once per test session."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the Django test database calls
# made by the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("UPSKILL_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _playwright():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()


# Reports every Content-Security-Policy violation of every page of a journey to the test (an
# init script runs before the page's own scripts and is not subject to the page's policy).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__upskillCspViolation(
    event.effectiveDirective + " refused " + (event.blockedURI || "inline") +
    " (" + event.sourceFile + ":" + event.lineNumber + ")"
  );
});
"""


def _watched_page(context):
    """A page of ``context`` whose Content-Security-Policy violations are collected in
    ``page.csp_violations``; a destructive action's confirmation is answered yes."""
    violations: list[str] = []
    context.expose_binding(
        "__upskillCspViolation",
        lambda source, text: violations.append(f"{source['frame'].url}: {text}"),
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_violations = violations
    # a destructive action asks first (data-confirm): the journeys answer yes
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(15_000)
    return page


def _close(page) -> None:
    page.wait_for_timeout(100)  # let a last report arrive
    page.context.close()
    assert page.csp_violations == [], "Content-Security-Policy violations:\n" + "\n".join(
        page.csp_violations
    )


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page of a fresh context. The journey fails if any page it opened broke the
    Content-Security-Policy (``page.csp_violations`` lists them; a test that provokes one on
    purpose empties it)."""
    page = _watched_page(browser.new_context(locale="zh-CN", base_url=live_server.url))
    yield page
    _close(page)


@pytest.fixture
def phone(browser, _playwright, live_server, transactional_db):
    """A page of a fresh context emulating a phone with Playwright's device descriptor (a
    Pixel 7: its user agent, 412 px viewport, pixel ratio, touch and mobile layout) on the
    session's Chromium; the same Content-Security-Policy check as ``page``. A journey taps
    where a person taps (``locator.tap()``)."""
    descriptor = {
        key: value
        for key, value in _playwright.devices["Pixel 7"].items()
        if key != "default_browser_type"  # the browser is the session's Chromium
    }
    page = _watched_page(
        browser.new_context(**descriptor, locale="zh-CN", base_url=live_server.url)
    )
    yield page
    _close(page)


def log_in(page, username: str, password: str = "Test#Pass2023") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")  # not the language switch in the header
    page.wait_for_url("**/")
