"""Cross-organisation cases of the online exam (docs/roles.md): the platform's banks,
questions, blueprints and parts are its own; an attempt and its paper are the platform's
whose exam it is, the class's bureau's and organiser's (read-only), and the learner's own."""

from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("inst1", "clerk"),
    ("wuhan", "reviewer"),
    ("federation", "clerk"),
    ("wh_ent1", "hr_clerk"),
)
# the attempts of a Wuhan class: the Wuhan bureau and the organiser see them; these do not
_ATTEMPT_OUTSIDERS = (("inst1", "clerk"), ("gongan", "reviewer"), ("wh_ent2", "hr_clerk"))
_OWNER = ("platform", "operator")


def _bank(world, make_user, **_):
    from upskill.exams.tests.factories import bank

    return bank(make_user)


def _question(world, make_user, **_):
    return _bank(world, make_user).questions.first()


def _blueprint(world, make_user, **_):
    from upskill.exams.tests.factories import bank, blueprint

    bank(make_user)
    return blueprint(make_user, activate=False)


def _part(world, make_user, **_):
    return _blueprint(world, make_user).parts.first()


def _attempt(world, make_user, make_person, **_):
    from upskill.exams import services
    from upskill.exams.tests.factories import exam_world

    blueprint, learner = exam_world(world, make_user, make_person)
    return services.attempt_start(actor=learner, blueprint=blueprint)


def _paper_question(world, make_user, make_person, **_):
    return _attempt(world, make_user, make_person).paper.first()


SCOPE_CASES = [
    ScopeCase(
        name="QuestionBank",
        make=_bank,
        owner=_OWNER,
        outsiders=_OUTSIDERS,
        admin=False,
        page_url=lambda bank: f"/exams/banks/{bank.pk}/",
        api_url=lambda bank: f"/api/exams/banks/{bank.pk}/questions",
        routes=(
            Route("post", lambda bank: f"/exams/banks/{bank.pk}/import/"),
            Route("post", lambda bank: f"/api/exams/banks/{bank.pk}/import"),
        ),
    ),
    ScopeCase(name="Question", make=_question, owner=_OWNER, outsiders=_OUTSIDERS, admin=False),
    ScopeCase(
        name="Blueprint",
        make=_blueprint,
        owner=_OWNER,
        outsiders=_OUTSIDERS,
        admin=False,
        page_url=lambda blueprint: f"/exams/blueprints/{blueprint.pk}/",
        routes=(
            Route("post", lambda blueprint: f"/exams/blueprints/{blueprint.pk}/"),
            Route("post", lambda blueprint: f"/exams/blueprints/{blueprint.pk}/activate/"),
        ),
    ),
    ScopeCase(
        name="BlueprintPart",
        make=_part,
        owner=_OWNER,
        outsiders=_OUTSIDERS,
        admin=False,
        routes=(Route("post", lambda part: f"/exams/parts/{part.pk}/remove/"),),
    ),
    ScopeCase(
        name="ExamAttempt",
        make=_attempt,
        owner=_OWNER,
        outsiders=_ATTEMPT_OUTSIDERS,
        admin=False,
    ),
    ScopeCase(
        name="PaperQuestion",
        make=_paper_question,
        owner=_OWNER,
        outsiders=_ATTEMPT_OUTSIDERS,
        admin=False,
    ),
]
