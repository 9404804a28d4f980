import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_lockout_after_five_failures(client, make_user):
    user = make_user("gongan", "reviewer", username="locked_reviewer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": user.username, "password": "no"})
        assert response.status_code in (200, 429)
    # even the right password is refused while the account is locked
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "Test#Pass2023"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in(client, make_user):
    user = make_user("gongan", "reviewer", username="fine_reviewer")
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "Test#Pass2023"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_idle_session_timeout_is_set():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "1234567890123"])
def test_password_policy_refuses_weak_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_policy_accepts_a_strong_one():
    validate_password("Gongan#Train2023")


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "UPSKILL_ENV": "production",
        "UPSKILL_SECRET_KEY": "x" * 20 + "production-secret-key-that-is-long-and-random-3f9a",
        "UPSKILL_FIELD_KEYS": "p1:" + "A" * 43 + "=",
        "UPSKILL_FIELD_KEY_ID": "p1",
        "UPSKILL_LOOKUP_KEY": "B" * 43 + "=",
        "UPSKILL_LEDGER_KEYS": "l1:" + "C" * 43 + "=",
        "UPSKILL_LEDGER_KEY_ID": "l1",
        "UPSKILL_LEDGER_SIGNING_KEY": "D" * 43 + "=",
        "UPSKILL_ALLOWED_HOSTS": "training.example.gov.cn",
        "UPSKILL_STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser journeys only
    result = subprocess.run(
        [sys.executable, "-m", "upskill.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secrets(tmp_path):
    env = {**os.environ, "UPSKILL_ENV": "production"}
    for name in ("UPSKILL_SECRET_KEY", "UPSKILL_FIELD_KEYS"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "upskill.cli", "check"], capture_output=True, text=True, env=env
    )
    assert result.returncode != 0
    assert "UPSKILL_SECRET_KEY must be set" in result.stderr
