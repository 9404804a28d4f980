"""Cross-organisation cases of the training app (docs/roles.md): a class of inst1 held in 斗湖堤镇
is seen by inst1, the Gong'an bureau and the 斗湖堤镇 centre; never by another institution, an
enterprise, another township, Wuhan or the federation."""

from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("inst2", "clerk"),
    ("ent1", "hr_clerk"),
    ("township:421022102", "clerk"),
    ("wuhan", "reviewer"),
    ("federation", "clerk"),
)


def _class(world, **_):
    from upskill.training.tests.factories import make_class

    return make_class(world, status="submitted")


def _running(world, make_person):
    from upskill.training.tests.factories import enrol, make_class

    training_class = make_class(world, status="running")
    (enrolment,) = enrol(training_class, make_person, 1)
    return training_class, enrolment


def _teacher(world, **_):
    from upskill.training.services import teacher_create

    return teacher_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        name="吴老师",
        certificate_kind="教师资格证",
        certificate_number="20234210221",
    )


def _transition(world, **_):
    from upskill.training.models import Transition

    return Transition.objects.filter(training_class=_class(world)).latest("pk")


def _lesson(world, **_):
    return _class(world).lessons.first()


def _enrolment(world, make_person, **_):
    return _running(world, make_person)[1]


def _attendance(world, make_person, **_):
    from upskill.training.services import attendance_mark

    training_class, enrolment = _running(world, make_person)
    return attendance_mark(
        actor=SYSTEM,
        lesson=training_class.lessons.first(),
        enrolment=enrolment,
        status="present",
    )


def _leave(world, make_person, **_):
    from upskill.training.services import leave_request_create

    training_class, enrolment = _running(world, make_person)
    return leave_request_create(
        actor=SYSTEM, enrolment=enrolment, lesson=training_class.lessons.first(), reason="生病"
    )


def _survey(world, make_person, **_):
    from upskill.training.services import survey_answer

    training_class, enrolment = _running(world, make_person)
    return survey_answer(
        training_class=training_class,
        id_number=enrolment.person.id_number,
        name=enrolment.person.name,
        answers={"content": 5, "teachers": 5, "practice": 4, "organisation": 4},
    )


SCOPE_CASES = [
    ScopeCase(
        name="Teacher",
        make=_teacher,
        owner=("inst1", "clerk"),
        outsiders=(
            ("inst2", "clerk"),
            ("ent1", "hr_clerk"),
            ("wuhan", "reviewer"),
            ("township:421022101", "clerk"),
        ),
    ),
    ScopeCase(
        name="TrainingClass",
        make=_class,
        owner=("inst1", "clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda c: f"/training/classes/{c.pk}/",
        api_url=lambda c: f"/api/classes/{c.pk}",
        without_perm=("gongan", "inspector"),
        perm_url=lambda c: f"/training/classes/{c.pk}/approve/",
        perm_method="post",
        routes=(
            Route("get", lambda c: f"/training/classes/{c.pk}/edit/"),
            Route("get", lambda c: f"/training/classes/{c.pk}/roster.xlsx"),
            Route("get", lambda c: f"/training/classes/{c.pk}/survey-link/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/lessons/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/lessons/pattern/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/lessons/paste/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/lessons/import/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/lessons/copy/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/enrol/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/roster/import/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/leave/"),
            Route("post", lambda c: f"/training/classes/{c.pk}/withdraw/"),
            Route(
                "post", lambda c: f"/training/classes/{c.pk}/first-lesson/", ("inst1", "teacher")
            ),
            Route(
                "post",
                lambda c: f"/supervision/classes/{c.pk}/inspections/",
                ("gongan", "inspector"),
            ),
            Route("get", lambda c: f"/supervision/classes/{c.pk}/"),
            Route("get", lambda c: f"/supervision/classes/{c.pk}/compliance/"),
            Route("get", lambda c: f"/supervision/classes/{c.pk}/evidence/"),
            Route("post", lambda c: f"/supervision/classes/{c.pk}/uploads/"),
            Route("get", lambda c: f"/assessment/classes/{c.pk}/"),
            Route("post", lambda c: f"/assessment/classes/{c.pk}/sessions/"),
            Route("post", lambda c: f"/subsidies/claims/assemble/{c.pk}/"),
            Route("get", lambda c: f"/api/classes/{c.pk}/lessons"),
            Route(
                "post", lambda c: f"/api/classes/{c.pk}/transitions", data={"action": "withdraw"}
            ),
            Route(
                "post",
                lambda c: f"/api/classes/{c.pk}/enrolments",
                data={"id_number": "421022199001011234", "name": "张三"},
            ),
            Route("get", lambda c: f"/api/classes/{c.pk}/enrolments"),
            Route("get", lambda c: f"/api/classes/{c.pk}/attendance"),
            Route("get", lambda c: f"/api/supervision/classes/{c.pk}/compliance"),
        ),
    ),
    ScopeCase(
        name="Transition",
        make=_transition,
        owner=("gongan", "reviewer"),
        outsiders=_OUTSIDERS,
    ),
    ScopeCase(
        name="Lesson",
        make=_lesson,
        owner=("township:421022101", "clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda lesson: f"/training/lessons/{lesson.pk}/attendance/",
        api_url=lambda lesson: f"/api/lessons/{lesson.pk}",
        without_perm=("inst1", "clerk"),
        perm_url=lambda lesson: f"/training/lessons/{lesson.pk}/attendance/",
        routes=(
            Route("get", lambda lesson: f"/api/lessons/{lesson.pk}/attendance"),
            Route("get", lambda lesson: f"/training/lessons/{lesson.pk}/qr/", ("inst1", "teacher")),
            Route(
                "post", lambda lesson: f"/training/lessons/{lesson.pk}/remove/", ("inst1", "clerk")
            ),
        ),
    ),
    ScopeCase(
        name="Enrolment",
        make=_enrolment,
        owner=("inst1", "clerk"),
        outsiders=_OUTSIDERS,
        api_url=lambda e: f"/api/enrolments/{e.pk}",
        routes=(
            Route("post", lambda e: f"/training/enrolments/{e.pk}/withdraw/"),
            Route(
                "post", lambda e: f"/api/enrolments/{e.pk}/withdraw", data={"reason": "外出务工"}
            ),
        ),
    ),
    ScopeCase(
        name="Attendance",
        make=_attendance,
        owner=("inst1", "teacher"),
        outsiders=_OUTSIDERS,
        api_url=lambda a: f"/api/attendance/{a.pk}",
    ),
    ScopeCase(
        name="LeaveRequest",
        make=_leave,
        owner=("gongan", "reviewer"),
        outsiders=_OUTSIDERS,
        routes=(
            Route("post", lambda leave: f"/training/leave/{leave.pk}/decide/", ("inst1", "clerk")),
        ),
    ),
    ScopeCase(
        name="SurveyResponse",
        make=_survey,
        owner=("inst1", "admin"),
        outsiders=_OUTSIDERS,
    ),
]
