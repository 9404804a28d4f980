from datetime import date

from conftest import make_id_number

from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase

# A person of 斗湖堤镇 known to nobody but the county and the township: Wuhan, another township,
# an institution that does not train them and the federation must not find them.
_OUTSIDERS = (
    ("wuhan", "reviewer"),
    ("township:421022102", "clerk"),
    ("inst2", "clerk"),
    ("federation", "clerk"),
    ("hrsc", "counsellor"),
)


def _person(make_person, **_):
    return make_person()


def _category(make_person, **_):
    from upskill.registry.models import Category
    from upskill.registry.services import person_category_add

    return person_category_add(
        actor=SYSTEM,
        person=make_person(),
        category=Category.objects.get(code="retired_fisher"),
        source="县农业农村局退捕名册",
        valid_from=date(2023, 1, 1),
    )


def _account(make_person, **_):
    from upskill.registry.services import bank_account_set

    person = make_person(name="赵六")
    return bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="card",
        account_name="赵六",
        account_number="6228480402564890018",
        bank_name="中国农业银行公安支行",
    ).account


def _account_change(make_person, **_):
    """A change waiting for the bureau: the holder is not the person."""
    from upskill.registry.services import bank_account_set

    person = make_person(name="赵六")
    return bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="card",
        account_name="赵五",
        account_number="6228480402564890018",
        bank_name="中国农业银行公安支行",
        exception_reason="本人无银行卡，由配偶代收",
    ).change


def _affiliation(world, make_person, **_):
    from upskill.registry.services import affiliation_ensure

    return affiliation_ensure(
        person=make_person(), organisation=world["inst1"], kind="trainee", basis="enrolment"
    )


def _access_log(world, make_person, make_user, **_):
    from upskill.registry.services import person_reveal_id_number

    reviewer = make_user("gongan", "reviewer")
    person_reveal_id_number(actor=reviewer, person=make_person())
    from upskill.core.models import AccessLog

    return AccessLog.objects.latest("at")


def _vocabulary_term(make_user, **_):
    from upskill.registry.services import vocabulary_term_add

    # Gong'an's own wording: other counties and cities neither see nor read it
    return vocabulary_term_add(
        actor=make_user("gongan", "admin"),
        kind="category",
        target="monitored_household",
        wording="易返贫致贫户",
    )


def _invitation(make_user, make_person, **_):
    """A Wuhan employee's link, handed out by the employer's HR (issue 16.3)."""
    from upskill.registry.services import learner_invitation_create

    hr = make_user("wh_ent1", "hr_clerk")
    person = make_person(actor=hr, township_code=None, id_number=make_id_number("420112"))
    return learner_invitation_create(actor=hr, person=person)


SCOPE_CASES = [
    ScopeCase(
        name="LearnerInvitation",
        make=_invitation,
        owner=("wh_ent1", "hr_clerk"),
        # another member enterprise, the federation, an institution and Gong'an never see the
        # employee: no link for them either
        outsiders=(
            ("wh_ent2", "hr_clerk"),
            ("federation", "clerk"),
            ("inst1", "clerk"),
            ("gongan", "admin"),
        ),
        admin=False,
        routes=(
            Route("post", lambda i: f"/registry/persons/{i.person_id}/learner/invite/"),
            Route("post", lambda i: f"/registry/persons/{i.person_id}/learner/reset/"),
        ),
    ),
    ScopeCase(
        name="VocabularyTerm",
        make=_vocabulary_term,
        owner=("gongan", "admin"),
        outsiders=(("wuhan", "admin"), ("wuhan", "reviewer")),
    ),
    ScopeCase(
        name="Person",
        make=_person,
        owner=("gongan", "reviewer"),
        outsiders=_OUTSIDERS,
        page_url=lambda p: f"/registry/persons/{p.pk}/",
        api_url=lambda p: f"/api/persons/{p.pk}",
        without_perm=("gongan", "inspector"),
        perm_url=lambda p: f"/registry/persons/{p.pk}/reveal/",
        perm_method="post",
        routes=(
            Route("post", lambda p: f"/registry/persons/{p.pk}/reveal/"),
            Route("get", lambda p: f"/assessment/archive/{p.pk}/"),
            Route(
                "patch", lambda p: f"/api/persons/{p.pk}", ("gongan", "admin"), {"address": "一组"}
            ),
            Route(
                "post",
                lambda p: f"/api/persons/{p.pk}/categories",
                ("gongan", "admin"),
                {"category": "retired_fisher", "source": "退捕名册", "valid_from": "2023-01-01"},
            ),
            Route(
                "post",
                lambda p: f"/api/persons/{p.pk}/bank-account",
                ("gongan", "admin"),
                {
                    "kind": "card",
                    "account_name": "赵六",
                    "account_number": "6228480402564890018",
                    "bank_name": "中国农业银行公安支行",
                },
            ),
            Route("get", lambda p: f"/registry/persons/{p.pk}/edit/", ("gongan", "admin")),
            Route("get", lambda p: f"/registry/persons/{p.pk}/id-number/", ("gongan", "admin")),
            Route("get", lambda p: f"/registry/persons/{p.pk}/merge/", ("gongan", "admin")),
            Route(
                "get", lambda p: f"/registry/persons/{p.pk}/categories/new/", ("gongan", "admin")
            ),
            Route(
                "get",
                lambda p: f"/registry/persons/{p.pk}/bank-account/",
                ("gongan", "admin"),
            ),
            Route(
                "post",
                lambda p: f"/registry/persons/{p.pk}/reveal-phone/",
                ("township:421022101", "clerk"),
            ),
            Route(
                "post",
                lambda p: f"/api/persons/{p.pk}/reveal-phone",
                ("township:421022101", "clerk"),
            ),
            Route("get", lambda p: f"/history/registry.person/{p.pk}/"),
            Route("post", lambda p: f"/api/persons/{p.pk}/reveal"),
        ),
    ),
    ScopeCase(
        name="PersonCategory",
        make=_category,
        owner=("township:421022101", "clerk"),
        outsiders=_OUTSIDERS,
    ),
    ScopeCase(
        name="BankAccount",
        make=_account,
        owner=("gongan", "payment_clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda a: f"/registry/bank-accounts/{a.pk}/reveal/",
        perm_method="post",
        without_perm=("township:421022101", "clerk"),
        perm_url=lambda a: f"/registry/bank-accounts/{a.pk}/reveal/",
    ),
    ScopeCase(
        name="BankAccountChangeRequest",
        make=_account_change,
        owner=("gongan", "payment_clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda c: f"/registry/bank-account-changes/{c.pk}/confirm/",
        api_url=lambda c: f"/api/bank-account-changes/{c.pk}",
        perm_method="post",
        without_perm=("gongan", "inspector"),
        perm_url=lambda c: f"/registry/bank-account-changes/{c.pk}/exception/",
        routes=(
            Route(
                "post",
                lambda c: f"/api/bank-account-changes/{c.pk}/confirm",
                data={"approve": True},
            ),
            Route(
                "post",
                lambda c: f"/api/bank-account-changes/{c.pk}/exception",
                ("gongan", "reviewer"),
                data={"approve": True, "reason": "配偶代收"},
            ),
        ),
    ),
    ScopeCase(
        name="Affiliation",
        make=_affiliation,
        owner=("inst1", "clerk"),
        outsiders=(("inst2", "clerk"), ("wuhan", "reviewer")),
    ),
    ScopeCase(
        name="AccessLog",
        make=_access_log,
        owner=("gongan", "auditor"),
        outsiders=(("wuhan", "admin"), ("inst1", "admin")),
    ),
]
