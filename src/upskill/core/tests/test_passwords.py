"""Password rules: a new password differs from the current one and from the published demo
password, on the user's own change, an administrator's reset and a new account; every
password message of the pages is in Chinese."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from upskill.core.scoping import SYSTEM
from upskill.core.validators import DEMO_PASSWORD

CURRENT = "Test#Pass2023"  # the password make_user gives
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _errors(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for block in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def _change(client, old: str, new1: str, new2: str | None = None):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_the_published_demo_password_is_refused_everywhere(world, make_user):
    with pytest.raises(ValidationError) as refused:
        validate_password(DEMO_PASSWORD)
    assert [e.code for e in refused.value.error_list] == ["password_published"]
    from upskill.organisations.services import role_for, user_create

    with pytest.raises(ValidationError):
        user_create(
            actor=SYSTEM,
            organisation=world["inst1"],
            role=role_for(world["inst1"].kind, "clerk"),
            username="newclerk",
            password=DEMO_PASSWORD,
        )


def test_a_change_to_the_current_or_the_demo_password_is_refused_in_chinese(
    world, make_user, client
):
    user = make_user("inst1", "clerk")
    client.force_login(user)
    for new, expected in (
        (CURRENT, "新密码不能与当前密码相同。"),
        (DEMO_PASSWORD, "该密码随演示数据公开，请另选一个。"),
    ):
        response = _change(client, CURRENT, new)
        assert response.status_code == 200
        assert expected in _errors(response.content.decode())
    user.refresh_from_db()
    assert user.check_password(CURRENT)
    assert _change(client, CURRENT, "Another#Pass2024").status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another#Pass2024")


@pytest.mark.parametrize(
    ("old", "new1", "new2"),
    [
        ("wrong-password", "Another#Pass2024", None),  # the old password is wrong
        (CURRENT, "Another#Pass2024", "Another#Pass2025"),  # the two do not match
        (CURRENT, "abc", None),  # too short, too simple
        (CURRENT, "1234567890123", None),  # numeric, common, too simple
        (CURRENT, "password123", None),  # common, too simple
        (CURRENT, "{username}X1", None),  # like the user name
        (CURRENT, CURRENT, None),  # the current one
        (CURRENT, DEMO_PASSWORD, None),  # the demo's
    ],
)
def test_every_password_message_is_in_chinese(world, make_user, client, old, new1, new2):
    user = make_user("inst1", "clerk", username="zhangwei_clerk")
    client.force_login(user)
    new1 = new1.format(username=user.username)
    response = _change(client, old, new1, new2)
    html = response.content.decode()
    errors = _errors(html)
    assert response.status_code == 200 and errors
    for message in errors:
        assert CJK.search(message), message
        assert not ENGLISH_WORD.search(message), message


def test_the_change_page_and_its_help_texts_are_in_chinese(world, make_user, client):
    client.force_login(make_user("inst1", "clerk"))
    html = client.get("/accounts/password/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    help_block = re.findall(r'<div class="help(?:text)?" id="[^"]*"[^>]*>(.*?)</div>', html, re.S)
    texts = [re.sub(r"<[^>]+>", " ", block) for block in help_block]
    assert texts and any("演示" in text for text in texts)
    for text in texts:
        assert not ENGLISH_WORD.search(text), text


def test_an_administrators_reset_cannot_keep_the_current_password(
    world, make_user, django_user_model, client
):
    user = make_user("inst1", "clerk")
    admin = django_user_model.objects.create_superuser("root", password="Root#Pass2023x")
    client.force_login(admin)
    url = f"/admin/organisations/user/{user.pk}/password/"
    response = client.post(
        url,
        {"password1": CURRENT, "password2": CURRENT, "usable_password": "true"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "新密码不能与当前密码相同。" in _errors(response.content.decode())
    response = client.post(
        url,
        {"password1": DEMO_PASSWORD, "password2": DEMO_PASSWORD, "usable_password": "true"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "该密码随演示数据公开，请另选一个。" in _errors(response.content.decode())
