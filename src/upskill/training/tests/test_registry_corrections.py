"""Mistakes in the registry put right by the bureau (issue 15.7): a mistyped ID number
corrected on the same record (enrolments follow, the old number in the history), two records
of one person merged with a preview, refused with the rows named when they would clash.
Here in training because the enrolments are what must follow."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import make_id_number
from django.core.exceptions import PermissionDenied, ValidationError

from upskill.registry import services
from upskill.registry.lookup import id_number_hash
from upskill.registry.models import Person
from upskill.training.models import Enrolment


@pytest.fixture
def bureau(make_user):
    return make_user("gongan", "admin")


@pytest.fixture
def klass(make_class):
    return make_class(status="approved")


def test_a_mistyped_id_number_is_corrected_on_the_same_record(bureau, klass, enrol):
    (enrolment,) = enrol(klass)
    person = enrolment.person
    old_masked = person.id_number_masked
    right = make_id_number(born=date(1980, 6, 1), sex="F")
    services.person_id_number_correct(
        actor=bureau, person=person, id_number=right, reason="户籍窗口录入错误"
    )
    person.refresh_from_db()
    assert person.id_number == right and person.id_number_hash == id_number_hash(right)
    assert person.sex == "F" and person.birth_date.year == 1980
    # the enrolment follows: it is the same row
    assert Enrolment.objects.get(pk=enrolment.pk).person_id == person.pk
    # the old number stays in the history, with the reason
    latest, before = person.history.all()[:2]
    assert before.id_number_masked == old_masked
    assert "户籍窗口录入错误" in latest.history_change_reason
    assert old_masked in latest.history_change_reason


def test_a_correction_is_the_bureaus_and_never_takes_another_records_number(
    bureau, make_person, make_user
):
    person, other = make_person(), make_person()
    with pytest.raises(ValidationError, match="merge"):
        services.person_id_number_correct(
            actor=bureau, person=person, id_number=other.id_number, reason="x"
        )
    with pytest.raises(ValidationError):
        services.person_id_number_correct(
            actor=bureau, person=person, id_number="421022197503080000", reason="x"
        )
    with pytest.raises(ValidationError):  # no reason
        services.person_id_number_correct(
            actor=bureau, person=person, id_number=make_id_number(), reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.person_id_number_correct(
            actor=make_user("township:421022101", "clerk"),
            person=person,
            id_number=make_id_number(),
            reason="x",
        )


def test_merge_moves_everything_with_a_preview_and_keeps_both_histories(
    bureau, klass, enrol, make_person
):
    kept = make_person(name="张伟", phone="")
    (enrolment,) = enrol(klass, name="张伟", phone="13812345678")
    other = enrolment.person
    preview = services.person_merge_preview(actor=bureau, kept=kept, other=other)
    assert preview.possible
    labels = {move.label: move.count for move in preview.moves}
    assert labels["enrolments"] == 1
    assert "phone" in preview.fills

    services.person_merge(actor=bureau, kept=kept, other=other, reason="同一人两次登记")
    enrolment.refresh_from_db()
    assert enrolment.person_id == kept.pk
    assert not Person.objects.filter(pk=other.pk).exists()
    kept.refresh_from_db()
    assert kept.phone == "13812345678"
    # both histories: the deleted record's, and the kept record's naming the merge
    assert Person.history.filter(id=other.pk, history_type="-").exists()
    assert Person.history.filter(id=other.pk).count() >= 2
    assert f"#{other.pk}" in kept.history.first().history_change_reason
    assert "同一人两次登记" in enrolment.history.first().history_change_reason


def test_merge_is_refused_naming_the_rows_when_both_are_in_one_class(bureau, klass, enrol):
    first, second = enrol(klass, n=2)
    preview = services.person_merge_preview(actor=bureau, kept=first.person, other=second.person)
    assert not preview.possible
    (problem,) = preview.problems
    assert str(first) in problem and str(second) in problem
    with pytest.raises(ValidationError):
        services.person_merge(actor=bureau, kept=first.person, other=second.person, reason="x")
    assert Person.objects.filter(pk=second.person.pk).exists()
    assert Enrolment.objects.get(pk=second.pk).person_id == second.person.pk


def test_merge_pages_preview_then_merge(client, bureau, klass, enrol, make_person):
    kept = make_person(name="李娜")
    (enrolment,) = enrol(klass, name="李娜")
    client.force_login(bureau)
    url = f"/registry/persons/{kept.pk}/merge/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"id_number": enrolment.person.id_number, "reason": "重复登记"})
    assert page.status_code == 200 and page.context["preview"].possible
    assert 'data-testid="merge-preview"' in page.content.decode()
    response = client.post(
        url, {"id_number": enrolment.person.id_number, "reason": "重复登记", "confirm": "1"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.person_id == kept.pk
    # an unknown number is an error on the form
    page = client.post(url, {"id_number": make_id_number(), "reason": "x"})
    assert page.context["form"].errors["id_number"]


def test_correction_page(client, bureau, make_person, make_user):
    person = make_person()
    url = f"/registry/persons/{person.pk}/id-number/"
    client.force_login(make_user("inst1", "clerk"))
    assert client.get(url).status_code in (403, 404)
    client.force_login(bureau)
    assert "correct-id" in client.get(f"/registry/persons/{person.pk}/").content.decode()
    right = make_id_number()
    response = client.post(url, {"id_number": right, "reason": "录入错误"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.id_number == right
