"""Cross-organisation cases of the employment app (docs/roles.md): the queue and follow-ups are the
county HR service centre's and the Gong'an bureau's; the vacancy list is the centre's alone."""

from datetime import date

from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("inst1", "clerk"),
    ("township:421022101", "clerk"),
    ("wuhan", "reviewer"),
    ("ent1", "hr_clerk"),
    ("rural", "clerk"),
)


def _referral(world, make_person, **_):
    from upskill.assessment.tests.factories import examined_class
    from upskill.employment.models import Referral

    session = examined_class(world, make_person)
    return Referral.objects.get(certificate__attempt__session=session)


def _vacancy(world, make_user, **_):
    from upskill.employment.services import vacancy_create

    return vacancy_create(
        actor=make_user("hrsc", "counsellor"),
        employer="湖北公安凯达纺织有限公司",
        title="厨师",
        job_type="中式烹调师",
        wage_min="3000",
        wage_max="4500",
    )


def _recommendation(world, make_person, make_user, **_):
    from upskill.employment.services import recommendation_create

    return recommendation_create(
        actor=SYSTEM,
        referral=_referral(world, make_person),
        vacancy=_vacancy(world, make_user),
    )


def _follow_up(world, make_person, **_):
    from upskill.employment.services import follow_up_record

    return follow_up_record(
        actor=SYSTEM, referral=_referral(world, make_person), kind="contacted", on=date(2023, 6, 1)
    )


SCOPE_CASES = [
    ScopeCase(
        name="Referral",
        make=_referral,
        owner=("hrsc", "counsellor"),
        outsiders=_OUTSIDERS,
        page_url=lambda r: f"/employment/referrals/{r.pk}/",
        api_url=lambda r: f"/api/referrals/{r.pk}",
        routes=(
            Route("post", lambda r: f"/employment/referrals/{r.pk}/wishes/"),
            Route("put", lambda r: f"/api/referrals/{r.pk}/wishes", data={"note": "想在县城上班"}),
            Route("post", lambda r: f"/employment/referrals/{r.pk}/recommend/"),
            Route("post", lambda r: f"/employment/referrals/{r.pk}/follow-up/"),
        ),
        without_perm=("gongan", "inspector"),
        perm_url=lambda r: f"/employment/referrals/{r.pk}/wishes/",
        perm_method="post",
    ),
    ScopeCase(
        name="Vacancy",
        make=_vacancy,
        owner=("hrsc", "counsellor"),
        outsiders=(*_OUTSIDERS, ("gongan", "reviewer")),
        api_url=lambda v: f"/api/vacancies/{v.pk}",
        routes=(Route("post", lambda v: f"/employment/vacancies/{v.pk}/close/"),),
    ),
    ScopeCase(
        name="Recommendation",
        make=_recommendation,
        owner=("gongan", "reviewer"),
        outsiders=_OUTSIDERS,
    ),
    ScopeCase(
        name="FollowUp",
        make=_follow_up,
        owner=("gongan", "auditor"),
        outsiders=_OUTSIDERS,
        api_url=lambda f: f"/api/follow-ups/{f.pk}",
    ),
]
