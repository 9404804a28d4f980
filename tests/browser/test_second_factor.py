"""The second factor in the browser (issue 20.1): a payment clerk's first log-in enrols an
authenticator app (the code computed here as the phone would, with django-otp's totp), sees the
ten recovery codes once, logs out, logs in again with the app's code, and once with a recovery
code."""

from __future__ import annotations

import os

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

SHOTS = os.environ.get("UPSKILL_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _code(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def _password(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test#Pass2023")
    page.click("main button[type=submit]")


def test_enrol_log_out_log_in_with_the_app_then_with_a_recovery_code(page, make_user, settings):
    settings.UPSKILL_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    clerk = make_user("gongan", "payment_clerk", username="pay_2fa")

    # 1. the first log-in goes to the enrolment: a QR code and the key in text
    _password(page, "pay_2fa")
    page.wait_for_url("**/organisations/second-factor/enrol/**")
    assert page.locator("[data-testid=totp-qr] svg").count() == 1
    assert page.inner_text("[data-testid=totp-secret]").strip()
    _shot(page, "2fa-enrol")
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    page.fill("input[name=token]", "123456" if _code(device) != "123456" else "654321")
    page.click("main button[type=submit]")
    assert page.locator(".errorlist").count() >= 1  # a wrong code confirms nothing
    page.fill("input[name=token]", _code(device))
    page.click("main button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    _shot(page, "2fa-recovery-codes")
    page.click("text=继续")
    page.wait_for_url("**/")
    assert page.locator("h1").count() >= 1 and "second-factor" not in page.url
    page.click("text=退出")

    # 2. the next log-in asks for the app's code (the next step: a code is used once)
    _password(page, "pay_2fa")
    page.wait_for_url("**/organisations/second-factor/**")
    _shot(page, "2fa-verify")
    page.fill("input[name=token]", _code(device, drift=1))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "second-factor" not in url)
    page.goto("/subsidies/batches/")
    assert "second-factor" not in page.url
    page.click("text=退出")

    # 3. without the phone: a recovery code, once
    _password(page, "pay_2fa")
    page.wait_for_url("**/organisations/second-factor/**")
    page.fill("input[name=token]", codes[0])
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "second-factor" not in url)
    assert "9" in page.inner_text("body")  # "还剩 9 个"
    _shot(page, "2fa-recovery-used")
    page.click("text=退出")
    _password(page, "pay_2fa")
    page.wait_for_url("**/organisations/second-factor/**")
    page.fill("input[name=token]", codes[0])
    page.click("main button[type=submit]")
    assert "second-factor" in page.url  # used once already
