"""The second factor (issue 20.1): TOTP with recovery codes for the roles that reveal personal
data, approve claims or export bank files; enrolment at the first log-in; a lost device reset by
the administrator of the user's own organisation (access log); partner tokens issued only from a
log-in confirmed with it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from upskill.core.models import AccessAction, AccessLog
from upskill.core.scoping import SYSTEM
from upskill.organisations import selectors, services
from upskill.organisations.models import ApiToken
from upskill.organisations.services import role_for

PASSWORD = "Test#Pass2023"


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    """The code the phone's app shows (``later`` steps on, for a second log-in in the same
    30-second step: django-otp refuses a code used once)."""
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=later)
    return f"{code:06d}"


def _log_in(client, user) -> None:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def require_2fa(settings):
    settings.UPSKILL_REQUIRE_2FA = True


def _enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/organisations/second-factor/enrol/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    answer = client.post("/organisations/second-factor/enrol/", {"token": _code(device)})
    assert answer.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", answer.content.decode())
    return TOTPDevice.objects.get(pk=device.pk), codes


def test_who_needs_it_comes_from_the_role_permissions(make_user, settings):
    reviewer = make_user("gongan", "reviewer")
    payment = make_user("gongan", "payment_clerk")
    inspector = make_user("gongan", "inspector")
    teacher = make_user("inst1", "teacher")
    inst_admin = make_user("inst1", "admin")  # reveals its own trainees' numbers
    settings.UPSKILL_REQUIRE_2FA = False
    assert not any(
        selectors.second_factor_required(u) for u in (reviewer, payment, inspector, teacher)
    )
    settings.UPSKILL_REQUIRE_2FA = True
    assert selectors.second_factor_required(reviewer)  # reveals, approves claims
    assert selectors.second_factor_required(payment)  # exports bank files
    assert selectors.second_factor_required(inst_admin)
    assert not selectors.second_factor_required(inspector)
    assert not selectors.second_factor_required(teacher)
    # a permission given to the role later makes its users enrol too
    inspector.role.permissions.add(
        *role_for("county_hr", "reviewer").permissions.filter(codename="reveal_identity")
    )
    inspector = type(inspector).objects.get(pk=inspector.pk)
    assert selectors.second_factor_required(inspector)


def test_first_log_in_enrols_and_shows_ten_recovery_codes_once(client, make_user, require_2fa):
    reviewer = make_user("gongan", "reviewer")
    _log_in(client, reviewer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/organisations/second-factor/enrol/")
    # the API answers 403 (never a redirect) before the second factor
    assert client.get("/api/organisations").status_code == 403
    device, codes = _enrol(client, reviewer)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200  # verified for the rest of the session
    # a wrong code does not confirm; the page does not show the codes again
    assert client.get("/organisations/second-factor/enrol/").status_code == 302


def test_an_enrolled_user_confirms_every_log_in_with_a_code_or_a_recovery_code(
    client, make_user, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code typed on purpose
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    # the demo's default (UPSKILL_REQUIRE_2FA off): a user who enrolled still uses it
    reviewer = make_user("gongan", "reviewer")
    _log_in(client, reviewer)
    assert client.get("/").status_code == 200  # not required, not enrolled
    device, codes = _enrol(client, reviewer)
    client.post("/accounts/logout/")

    _log_in(client, reviewer)
    assert client.get("/registry/").status_code == 302
    wrong = client.post("/organisations/second-factor/", {"token": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["token"]
    ok = client.post(
        "/organisations/second-factor/", {"token": _code(device, later=1), "next": "/registry/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/registry/"
    client.post("/accounts/logout/")

    # without the phone: a recovery code, once
    _log_in(client, reviewer)
    assert client.post("/organisations/second-factor/", {"token": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=reviewer).count() == 9
    client.post("/accounts/logout/")
    _log_in(client, reviewer)
    again = client.post("/organisations/second-factor/", {"token": codes[0]})
    assert again.status_code == 200  # refused: each code works once
    assert client.get("/").status_code == 302


def test_the_own_organisations_administrator_resets_a_lost_device(client, make_user):
    reviewer = make_user("gongan", "reviewer")
    admin = make_user("gongan", "admin")
    other_admin = make_user("inst1", "admin")
    _log_in(client, reviewer)
    _enrol(client, reviewer)
    assert selectors.second_factor_enrolled(reviewer)
    client.post("/accounts/logout/")

    # another organisation's administrator: the user is not there (404)
    _log_in(client, other_admin)
    url = f"/organisations/users/{reviewer.pk}/second-factor/reset/"
    assert client.post(url).status_code == 404
    assert selectors.second_factor_enrolled(reviewer)
    client.post("/accounts/logout/")

    _log_in(client, admin)
    assert client.post(url).status_code == 302
    assert not selectors.second_factor_enrolled(reviewer)
    assert not StaticToken.objects.filter(device__user=reviewer).exists()
    entry = AccessLog.objects.get(action=AccessAction.SECOND_FACTOR_RESET)
    assert entry.user == admin and entry.object_id == str(reviewer.pk)


def test_reset_is_refused_outside_the_own_organisation_and_for_oneself(make_user):
    county_admin = make_user("gongan", "admin")
    inst_user = make_user("inst1", "admin")  # in the county bureau's scope, not its staff
    TOTPDevice.objects.create(user=inst_user, name="authenticator", confirmed=True)
    with pytest.raises(PermissionDenied):
        services.second_factor_reset(actor=county_admin, user=inst_user)
    with pytest.raises(PermissionDenied):
        services.second_factor_reset(actor=county_admin, user=county_admin)
    assert selectors.second_factor_enrolled(inst_user)
    clerk = make_user("gongan", "reviewer")
    with pytest.raises(PermissionDenied):
        services.second_factor_reset(actor=clerk, user=inst_user)


def test_issuing_a_partner_token_needs_a_verified_log_in(client, make_user, require_2fa):
    admin = make_user("gongan", "admin")
    role = role_for("county_hr", "reviewer")
    with pytest.raises(PermissionDenied):
        services.api_token_create(
            actor=admin, organisation=admin.organisation, role=role, name="partner"
        )
    # the product itself (a migration, the demo) is not a log-in
    token, _secret = services.api_token_create(
        actor=SYSTEM, organisation=admin.organisation, role=role, name="partner"
    )
    _log_in(client, admin)  # an administrator's role needs no second factor to log in
    page = client.get("/organisations/api-tokens/")
    assert page.status_code == 200
    assert 'data-testid="token-needs-second-factor"' in page.content.decode()
    client.post("/organisations/api-tokens/", {"name": "refused", "role": role.pk})
    assert not ApiToken.objects.filter(name="refused").exists()
    _enrol(client, admin)
    client.post("/organisations/api-tokens/", {"name": "issued", "role": role.pk})
    assert ApiToken.objects.filter(name="issued").exists()
    # the token itself is no user: it needs no second factor
    assert client.get("/api/organisations", HTTP_AUTHORIZATION="").status_code == 200
    assert token.pk


def test_a_code_is_refused_after_its_time_step(make_user):
    user = make_user("gongan", "reviewer")
    device = services.second_factor_enrol_start(actor=user)
    stale = f"{totp(device.bin_key, drift=-20):06d}"  # ten minutes ago
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.second_factor_confirm(actor=user, device=device, token=stale)
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_the_administrators_queue_counts_the_users_still_to_enrol_as_its_list_shows(
    client, make_user
):
    from upskill.core.queues import queue_for

    admin = make_user("gongan", "admin")
    reviewer = make_user("gongan", "reviewer")
    payment = make_user("gongan", "payment_clerk")
    make_user("gongan", "inspector")  # its role needs none
    make_user("inst1", "admin")  # another organisation's
    TOTPDevice.objects.create(user=payment, name="authenticator", confirmed=True)
    pending = selectors.second_factor_users(actor=admin, pending=True)
    assert list(pending) == [reviewer]
    entry = next(w for w in queue_for(admin) if w.key == "organisations.second_factor_pending")
    assert entry.count == 1 and entry.url.endswith("?pending=1")
    client.force_login(admin)
    page = client.get(entry.url)
    assert page.status_code == 200
    assert [u.pk for u in page.context["page"]] == [reviewer.pk]
    listed = client.get("/organisations/users/second-factor/")
    assert {u.pk for u in listed.context["page"]} == {reviewer.pk, payment.pk}
    assert f'data-testid="reset-second-factor-{payment.username}"' in listed.content.decode()
    # the roles that may not manage users see no such work
    assert not any(w.key == "organisations.second_factor_pending" for w in queue_for(reviewer))


def test_using_the_app_does_not_throttle_the_recovery_codes(client, make_user, settings):
    # with the shipped throttle, a failed try locks its device for a second; the app's code is
    # tried on the app only, so a recovery code typed straight after still works
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    reviewer = make_user("gongan", "reviewer")
    _log_in(client, reviewer)
    device, codes = _enrol(client, reviewer)
    assert services.second_factor_match(user=reviewer, token=_code(device, later=1)) == device
    recovery = services.second_factor_match(user=reviewer, token=f" {codes[0]} ")
    assert recovery is not None and recovery.persistent_id != device.persistent_id
    assert services.second_factor_match(user=reviewer, token=codes[0]) is None  # used once
    assert services.second_factor_match(user=reviewer, token="12345") is None
