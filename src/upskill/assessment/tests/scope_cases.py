"""Cross-organisation cases of the assessment app (docs/roles.md): exam sessions and attempts go
with their class (inst1's class in 斗湖堤镇: inst1, the Gong'an bureau, the 斗湖堤镇 centre);
certificates with the holder's institution, the county's bureau and the HR service centre the
holder was referred to; pass marks with the county and the bureaus above it."""

from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("inst2", "clerk"),
    ("ent1", "hr_clerk"),
    ("township:421022102", "clerk"),
    ("wuhan", "reviewer"),
    ("federation", "clerk"),
)


def _pass_mark(world, **_):
    from upskill.assessment.services import pass_mark_set
    from upskill.organisations.models import Region

    return pass_mark_set(
        actor=SYSTEM,
        region=Region.objects.get(code="421022"),
        occupation_name="中式烹调师",
        level=4,
        theory_pass_mark=60,
        practical_pass_mark=70,
    )


def _session(world, make_person, **_):
    from upskill.assessment.tests.factories import examined_class

    return examined_class(world, make_person, close=False)


def _attempt(world, make_person, **_):
    return _session(world, make_person).attempts.first()


def _certificate(world, make_person, **_):
    from upskill.assessment.tests.factories import certificate_of, examined_class

    return certificate_of(examined_class(world, make_person))


SCOPE_CASES = [
    ScopeCase(
        name="PassMark",
        make=_pass_mark,
        owner=("inst1", "clerk"),
        outsiders=(("wuhan", "reviewer"), ("wh_ent1", "hr_clerk"), ("federation", "clerk")),
        without_perm=("gongan", "reviewer"),
        perm_url=lambda m: "/assessment/pass-marks/",
        perm_method="post",
    ),
    ScopeCase(
        name="ExamSession",
        make=_session,
        owner=("inst1", "teacher"),
        outsiders=_OUTSIDERS,
        page_url=lambda s: f"/assessment/sessions/{s.pk}/",
        api_url=lambda s: f"/api/exam-sessions/{s.pk}",
        without_perm=("inst1", "clerk"),
        perm_url=lambda s: f"/assessment/sessions/{s.pk}/close/",
        perm_method="post",
        routes=(
            Route("get", lambda s: f"/api/exam-sessions/{s.pk}/attempts"),
            Route("post", lambda s: f"/assessment/sessions/{s.pk}/import/"),
            Route("post", lambda s: f"/assessment/sessions/{s.pk}/close/"),
            Route("post", lambda s: f"/api/exam-sessions/{s.pk}/close"),
        ),
    ),
    ScopeCase(
        name="Attempt",
        make=_attempt,
        owner=("township:421022101", "clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda a: f"/assessment/attempts/{a.pk}/score/",
        api_url=lambda a: f"/api/exam-attempts/{a.pk}",
        routes=(
            Route(
                "put",
                lambda a: f"/api/exam-attempts/{a.pk}",
                ("inst1", "teacher"),
                {"theory_score": 80},
            ),
            Route("post", lambda a: f"/assessment/attempts/{a.pk}/exempt/", ("inst1", "teacher")),
            Route(
                "post",
                lambda a: f"/api/exam-attempts/{a.pk}/exempt-theory",
                ("inst1", "teacher"),
                data={"online_theory_score": 80, "reference": "平台成绩单"},
            ),
        ),
        without_perm=("gongan", "reviewer"),
        perm_url=lambda a: f"/assessment/attempts/{a.pk}/score/",
        perm_method="post",
    ),
    ScopeCase(
        name="Certificate",
        make=_certificate,
        owner=("hrsc", "counsellor"),
        outsiders=(*_OUTSIDERS, ("township:421022101", "clerk")),
        page_url=lambda c: f"/assessment/certificates/{c.pk}/",
        api_url=lambda c: f"/api/certificates/{c.pk}",
        without_perm=("gongan", "inspector"),
        perm_url=lambda c: f"/assessment/certificates/{c.pk}/verify/",
        perm_method="post",
        routes=(
            Route("get", lambda c: f"/assessment/certificates/{c.pk}/pdf/"),
            Route(
                "post", lambda c: f"/assessment/certificates/{c.pk}/verify/", ("gongan", "reviewer")
            ),
            Route(
                "post",
                lambda c: f"/api/certificates/{c.pk}/verify",
                ("gongan", "reviewer"),
                data={"verified": True},
            ),
        ),
    ),
]
