"""Learner accounts (issue 16 item 3, WH20 online path): the invitation HR hands out, activation
by ID number and name against the registry, log-in by ID number and password with the same lock
as every log-in, the reset of a forgotten password (in the audit trail), learners kept to their
own pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from upskill.registry.models import InvitationPurpose, LearnerInvitation
from upskill.registry.services import (
    learner_account_activate,
    learner_invitation_create,
    learner_password_reset,
)

PASSWORD = "Jiangcheng#2020x"


@pytest.fixture(autouse=True)
def _english():
    """The refusals are read in Chinese (the default), whatever language an earlier test left
    active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def hr(make_user):
    return make_user("wh_ent1", "hr_clerk")


@pytest.fixture
def employee(hr, make_person, id_number):
    # registered by the enterprise's HR: an employee affiliation puts the person in its scope
    return make_person(
        actor=hr, township_code=None, id_number=id_number("420112", sex="F"), name="周敏"
    )


def _activate(invitation, person, password=PASSWORD, name=None):
    return learner_account_activate(
        token=invitation.token,
        id_number=person.id_number,
        name=name or person.name,
        password=password,
    )


def test_hr_hands_out_a_link_and_the_learner_opens_the_account(hr, employee):
    invitation = learner_invitation_create(actor=hr, person=employee)
    assert invitation.purpose == InvitationPurpose.ACTIVATE
    assert invitation.organisation == hr.organisation
    assert invitation.path == f"/me/activate/{invitation.token}/"
    user = _activate(invitation, employee)
    employee.refresh_from_db()
    assert employee.account == user
    assert user.organisation_id is None and user.role_id is None
    assert employee.id_number not in user.username  # the name comes from the hash
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    with pytest.raises(ValidationError):  # used once
        _activate(invitation, employee)


def test_a_wrong_name_or_number_is_refused_and_closes_the_link_after_five(hr, employee, id_number):
    invitation = learner_invitation_create(actor=hr, person=employee)
    with pytest.raises(ValidationError, match="不一致"):
        _activate(invitation, employee, name="周明")
    for _ in range(4):
        with pytest.raises(ValidationError):
            learner_account_activate(
                token=invitation.token,
                id_number=id_number("420112"),
                name=employee.name,
                password=PASSWORD,
            )
    invitation.refresh_from_db()
    assert invitation.failures == 5 and invitation.revoked_at is not None
    with pytest.raises(ValidationError, match="已失效"):
        _activate(invitation, employee)  # even the right answer now


def test_a_weak_password_is_refused_and_the_link_stays_open(hr, employee):
    invitation = learner_invitation_create(actor=hr, person=employee)
    with pytest.raises(ValidationError):
        _activate(invitation, employee, password="12345678")
    employee.refresh_from_db()
    assert employee.account_id is None
    _activate(invitation, employee)


def test_only_the_employer_or_the_institution_hands_out_links(make_user, employee, world):
    with pytest.raises(Http404):  # another enterprise never sees the person
        learner_invitation_create(actor=make_user("wh_ent2", "hr_clerk"), person=employee)
    reviewer = make_user("wuhan", "reviewer")
    with pytest.raises(PermissionDenied):
        learner_invitation_create(actor=reviewer, person=employee)


def test_a_new_link_withdraws_the_earlier(hr, employee):
    first = learner_invitation_create(actor=hr, person=employee)
    second = learner_invitation_create(actor=hr, person=employee)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    with pytest.raises(ValidationError):
        _activate(first, employee)


def test_log_in_by_id_number_and_password(client, hr, employee):
    _activate(learner_invitation_create(actor=hr, person=employee), employee)
    url = reverse("learner_login")
    response = client.post(url, {"id_number": employee.id_number, "password": "wrong#Pass1"})
    assert response.status_code == 200
    assert "身份证号或密码错误" in response.content.decode() or "wrong" in response.content.decode()
    response = client.post(url, {"id_number": employee.id_number.lower(), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("learner_portal")
    assert client.get(reverse("learner_portal")).status_code == 200


def test_the_learner_log_in_locks_like_every_log_in(client, hr, employee, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _activate(learner_invitation_create(actor=hr, person=employee), employee)
    url = reverse("learner_login")
    for _ in range(3):
        client.post(url, {"id_number": employee.id_number, "password": "wrong#Pass1"})
    response = client.post(url, {"id_number": employee.id_number, "password": PASSWORD})
    assert response.status_code == 429
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get()
    assert employee.id_number not in attempt.username + attempt.post_data
    # HR resets the password: the lock is lifted and the new link sets a new password
    invitation = learner_password_reset(actor=hr, person=employee)
    assert invitation.purpose == InvitationPurpose.RESET
    assert not AccessAttempt.objects.exists()
    _activate(invitation, employee, password="Chutian#2020yy")
    response = client.post(url, {"id_number": employee.id_number, "password": "Chutian#2020yy"})
    assert response.status_code == 302


def test_the_reset_is_in_the_audit_trail(hr, employee):
    _activate(learner_invitation_create(actor=hr, person=employee), employee)
    invitation = learner_password_reset(actor=hr, person=employee)
    record = invitation.history.get(history_type="+")
    assert record.created_by_id == hr.pk and record.purpose == InvitationPurpose.RESET
    assert not hasattr(record, "token")  # the token never reaches the trail


def test_reset_needs_an_account_and_invitation_needs_none(hr, employee):
    with pytest.raises(ValidationError, match="尚未开通"):
        learner_password_reset(actor=hr, person=employee)
    _activate(learner_invitation_create(actor=hr, person=employee), employee)
    with pytest.raises(ValidationError, match="已有"):
        learner_invitation_create(actor=hr, person=employee)


def test_a_learner_reaches_only_the_learner_pages(client, hr, employee):
    user = _activate(learner_invitation_create(actor=hr, person=employee), employee)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("learner_portal")
    for url in (reverse("registry:person_list"), "/training/", "/admin/", "/api/persons"):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("learner_portal")).status_code == 200


def test_staff_are_not_learners(client, hr):
    client.force_login(hr)
    assert client.get(reverse("learner_portal")).status_code == 403
    client.logout()
    response = client.get(reverse("learner_portal"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("learner_login"))


def test_pages_hand_out_the_link_with_its_qr_code(client, hr, employee):
    client.force_login(hr)
    response = client.post(reverse("registry:learner_invite", args=[employee.pk]))
    assert response.status_code == 200
    invitation = LearnerInvitation.objects.get(person=employee)
    body = response.content.decode()
    assert invitation.path in body and "<svg" in body
    client.logout()
    response = client.get(invitation.path)
    assert response.status_code == 200 and 'data-testid="activate"' in response.content.decode()
    response = client.post(
        invitation.path,
        {
            "id_number": employee.id_number,
            "name": employee.name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("learner_portal")
    assert client.get(reverse("learner_portal")).status_code == 200
    assert client.get("/me/activate/not-a-token/").status_code == 404


def test_the_links_handed_out_are_listed_and_the_open_ones_wait_on_the_home_page(
    client, hr, employee, make_user
):
    from upskill.core.queues import queue_for

    def waiting():
        return {item.key: item.count for item in queue_for(hr)}

    invitation = learner_invitation_create(actor=hr, person=employee)
    client.force_login(hr)
    response = client.get(reverse("registry:learner_links") + "?state=open")
    assert (
        response.status_code == 200 and f'data-link="{invitation.pk}"' in response.content.decode()
    )
    assert waiting()["registry.learner_links"] == 1
    _activate(invitation, employee)
    assert waiting()["registry.learner_links"] == 0
    response = client.get(reverse("registry:learner_links") + "?state=used")
    assert f'data-link="{invitation.pk}"' in response.content.decode()
    # another enterprise's HR sees none of them
    client.force_login(make_user("wh_ent2", "hr_clerk"))
    assert (
        f'data-link="{invitation.pk}"'
        not in client.get(reverse("registry:learner_links")).content.decode()
    )
