"""``class_permissions``: one answer to "what may this actor do with this class", the same on
the class page (its buttons) and over the API (HB61-PRJ-1: the organiser files and runs the
class, the bureau of its county reviews it)."""

from __future__ import annotations

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for
from upskill.training.selectors import class_permissions, is_organiser


def test_the_organiser_edits_and_submits_a_draft_the_bureau_reviews_nothing_yet(
    make_class, make_user
):
    training_class = make_class()
    clerk = make_user("inst1", "clerk")
    mine = class_permissions(actor=clerk, obj=training_class)
    assert mine.is_organiser and mine.edit
    assert mine.transitions == ("submit", "cancel")
    assert not (mine.enrol or mine.attend or mine.leave)

    reviewer = make_user("gongan", "reviewer")
    bureau = class_permissions(actor=reviewer, obj=training_class)
    assert not bureau.is_organiser and not bureau.edit
    assert bureau.transitions == ()

    other = make_user("inst2", "clerk")
    assert not is_organiser(other, training_class)
    assert class_permissions(actor=other, obj=training_class).transitions == ()


def test_a_running_class_is_kept_by_its_organisers_roles_and_reviewed_by_nobody(
    make_class, make_user
):
    training_class = make_class(status="running")
    clerk = class_permissions(actor=make_user("inst1", "clerk"), obj=training_class)
    assert clerk.enrol and clerk.leave and not clerk.edit and not clerk.attend
    assert clerk.transitions == ("finish", "cancel")
    teacher = class_permissions(actor=make_user("inst1", "teacher"), obj=training_class)
    assert teacher.attend and teacher.first_lesson
    outsider = class_permissions(actor=make_user("inst2", "teacher"), obj=training_class)
    assert not (outsider.attend or outsider.enrol or outsider.transitions)
    assert is_organiser(SYSTEM, training_class)


def test_the_api_reports_the_same_permissions_as_the_page(client, make_class, make_user):
    training_class = make_class(status="submitted")
    reviewer = make_user("gongan", "reviewer")
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=reviewer.organisation,
        role=role_for(reviewer.organisation.kind, "reviewer"),
        name="审核系统",
    )
    body = client.get(
        f"/api/classes/{training_class.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    ).json()
    assert body["permissions"]["transitions"] == ["approve", "return"]
    assert body["permissions"]["is_organiser"] is False

    client.force_login(reviewer)
    page = client.get(f"/training/classes/{training_class.pk}/")
    assert page.context["can"] == class_permissions(actor=reviewer, obj=training_class)
    assert page.context["can"].transitions == ("approve", "return")
