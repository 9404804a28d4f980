from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM, visible
from upskill.registry import selectors, services
from upskill.registry.models import Category, Person


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_register_derives_birth_date_sex_and_masks(make_person, id_number):
    number = id_number("421022", date(1968, 2, 29), sex="F")
    person = make_person(id_number=number.lower(), name=" 王  芳 ")
    assert person.birth_date == date(1968, 2, 29)
    assert person.sex == "F"
    assert person.name == "王 芳"
    assert person.id_number_masked == number[:6] + "********" + number[-4:]
    assert person.county.code == "421022" and person.township.name == "斗湖堤镇"
    assert Person.objects.get(pk=person.pk).id_number == number


def test_duplicate_is_refused_without_revealing_who(make_person, make_user, id_number):
    number = id_number()
    make_person(id_number=number, name="刘强")
    clerk = make_user("inst2", "clerk")
    with pytest.raises(ValidationError) as error:
        make_person(actor=clerk, id_number=number.lower(), name="别人")
    message = " ".join(error.value.messages)
    assert message == "This ID number is already registered."
    assert "刘强" not in message


def test_institution_registering_a_person_gains_it_in_scope(make_person, make_user):
    clerk = make_user("inst1", "clerk")
    person = make_person(actor=clerk)
    assert visible(Person, clerk).filter(pk=person.pk).exists()
    assert not visible(Person, make_user("inst2", "clerk")).filter(pk=person.pk).exists()


def test_institution_finds_only_by_exact_number_and_learns_only_the_masked_name(
    make_person, make_user
):
    """Finding a person by number no longer takes them on (security wave, item 2): the answer
    is "registered" and the masked name; the person stays outside the institution's scope."""
    person = make_person(name="刘强")
    clerk = make_user("inst2", "clerk")
    assert not selectors.person_list(actor=clerk, query=person.name).exists()
    result = services.person_lookup(actor=clerk, id_number=person.id_number)
    assert (result.registered, result.name_masked) == (True, "刘*")
    assert not selectors.person_list(actor=clerk).filter(pk=person.pk).exists()


def test_search_by_exact_number_and_last_four(make_person, make_user):
    person = make_person()
    reviewer = make_user("gongan", "reviewer")
    assert list(selectors.person_list(actor=reviewer, query=person.id_number)) == [person]
    assert person in selectors.person_list(actor=reviewer, query=person.id_number[-4:])


def test_reveal_is_a_permission_and_is_logged(make_person, make_user):
    person = make_person()
    inspector = make_user("gongan", "inspector")
    with pytest.raises(PermissionDenied):
        services.person_reveal_id_number(actor=inspector, person=person)
    reviewer = make_user("gongan", "reviewer")
    assert services.person_reveal_id_number(actor=reviewer, person=person) == person.id_number
    entry = AccessLog.objects.get()
    assert entry.user == reviewer and entry.organisation == reviewer.organisation
    assert entry.field == "id_number" and person.id_number not in entry.description


def test_bank_account_card_and_passbook(make_person):
    person = make_person(name="赵六")
    result = services.bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="card",
        account_name="赵六",
        account_number="6228480402564890018",
        bank_name="农行",
    )
    assert result.account.account_number_masked == "6228***********0018" and not result.warning
    with pytest.raises(ValidationError) as error:
        services.bank_account_set(
            actor=SYSTEM,
            person=person,
            kind="card",
            account_name="赵六",
            account_number="6228480402564890019",
            bank_name="农行",
        )
    assert "Luhn" in str(error.value)
    second = services.bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="passbook",
        account_name="赵六",
        account_number="420100001234567",
        bank_name="农商行",
    )
    assert "passbook" in second.warning
    assert list(person.bank_accounts.filter(is_active=True)) == [second.account]


def test_policy_categories_follow_validity_and_hukou(make_person):
    person = make_person(hukou="agricultural")
    services.person_category_add(
        actor=SYSTEM,
        person=person,
        category=Category.objects.get(code="poverty_alleviated"),
        source="roster",
        valid_from=date(2023, 1, 1),
        valid_until=date(2023, 12, 31),
    )
    assert selectors.person_categories_on(person, date(2023, 6, 30)) == [
        "poverty_alleviated",
        "rural",
    ]
    assert selectors.person_categories_on(person, date(2024, 1, 1)) == ["rural"]


def test_history_records_who_which_organisation_and_before_after(make_person, make_user):
    person = make_person(name="陈静")
    clerk = make_user("township:421022101", "clerk")
    from upskill.core.actor import acting_as

    with acting_as(clerk):
        services.person_update(actor=clerk, person=person, phone="13912345678")
    latest = person.history.latest()
    assert latest.history_user == clerk
    assert latest.history_organisation == clerk.organisation
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "", "13912345678")]


def test_the_id_number_cannot_be_changed(make_person):
    person = make_person()
    with pytest.raises(ValidationError):
        services.person_update(actor=SYSTEM, person=person, id_number="11010519491231002X")


def test_an_affiliation_cannot_end_before_it_starts(world, make_person):
    """The period of an affiliation (docs/roles.md) runs forwards, in the database too."""
    from datetime import date

    from django.db import IntegrityError, transaction

    from upskill.registry.models import Affiliation, AffiliationBasis, AffiliationKind

    with pytest.raises(IntegrityError), transaction.atomic():
        Affiliation.objects.create(
            person=make_person(),
            organisation=world["inst1"],
            kind=AffiliationKind.TRAINEE,
            basis=AffiliationBasis.ENROLMENT,
            since=date(2024, 3, 1),
            until=date(2024, 2, 28),
        )
