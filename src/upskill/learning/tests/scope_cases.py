"""Cross-organisation cases of the learning app (docs/roles.md): a platform's courses (drafts
here), sections and lessons are its own; a learner's progress, heartbeats and playback are the
platform's whose course it is, and the learner's own; a lesson video's upload the platform's."""

from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("wh_ent1", "hr_clerk"),
    ("inst1", "clerk"),
    ("wuhan", "reviewer"),
    ("federation", "clerk"),
)
_OWNER = ("platform", "operator")


def _course(world, make_user, **_):
    from upskill.learning.tests.factories import course

    return course(make_user, publish=False)


def _section(world, make_user, **kwargs):
    return _course(world, make_user).sections.get()


def _lesson(world, make_user, **kwargs):
    return _section(world, make_user).lessons.get()


def _upload(world, make_user, **_):
    """The platform operator's upload of a lesson video, opened (core.models.Upload)."""
    from upskill.learning import services
    from upskill.learning.tests.factories import operator

    return services.lesson_upload_start(
        actor=operator(make_user),
        section=_section(world, make_user),
        title="1.2 视频",
        required_seconds=5,
        filename="lesson.webm",
        size=1000,
    )


def _played(world, make_user, make_person):
    """A learner of the platform's class who played the published course's lesson."""
    from datetime import timedelta

    from upskill.core import clock
    from upskill.learning import services
    from upskill.learning.models import Lesson
    from upskill.learning.tests.factories import course, learner_in_class

    lesson = Lesson.objects.get(section__course=course(make_user))
    learner = learner_in_class(world, make_user, make_person)
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    clock.advance(timedelta(seconds=15))
    services.heartbeat_record(
        actor=learner, lesson=lesson, device="phone", segments=[(0, 15)], position=15
    )
    return learner.person, lesson


def _progress(world, make_user, make_person, **_):
    person, lesson = _played(world, make_user, make_person)
    return person.lesson_progress.get(lesson=lesson)


def _heartbeat(world, make_user, make_person, **_):
    from upskill.learning.models import Heartbeat

    person, _lesson = _played(world, make_user, make_person)
    return Heartbeat.objects.get(person=person)


def _playback(world, make_user, make_person, **_):
    person, _lesson = _played(world, make_user, make_person)
    return person.playback


def _weekly(world, make_user, make_person, **_):
    """The weekly snapshot of the learner of 江城精密's online class (WH20-PRG-1)."""
    from upskill.core.scoping import SYSTEM
    from upskill.learning import services
    from upskill.learning.models import WeeklyProgress

    person, _lesson = _played(world, make_user, make_person)
    services.weekly_snapshot(actor=SYSTEM)
    return WeeklyProgress.objects.get(person=person)


SCOPE_CASES = [
    ScopeCase(
        name="Course",
        make=_course,
        owner=_OWNER,
        outsiders=_OUTSIDERS,
        admin=False,
        page_url=lambda c: f"/learning/courses/{c.pk}/",
        api_url=lambda c: f"/api/learning/courses/{c.pk}",
        routes=(
            Route("post", lambda c: f"/learning/courses/{c.pk}/"),
            Route("post", lambda c: f"/learning/courses/{c.pk}/publish/"),
            Route("post", lambda c: f"/learning/courses/{c.pk}/lesson-uploads/"),
        ),
    ),
    # a lesson video's upload: core's, the platform's own (chunks to core, finish to learning)
    ScopeCase(
        name="Upload",
        make=_upload,
        owner=_OWNER,
        outsiders=_OUTSIDERS,
        page_url=lambda u: f"/uploads/{u.pk}/",
        routes=(
            Route("post", lambda u: f"/uploads/{u.pk}/"),
            Route("post", lambda u: f"/learning/uploads/{u.pk}/finish/"),
        ),
    ),
    ScopeCase(name="Section", make=_section, owner=_OWNER, outsiders=_OUTSIDERS, admin=False),
    ScopeCase(
        name="Lesson",
        make=_lesson,
        owner=_OWNER,
        outsiders=_OUTSIDERS,
        admin=False,
        page_url=lambda lesson: f"/learning/lessons/{lesson.pk}/file",
    ),
    ScopeCase(
        name="LessonProgress", make=_progress, owner=_OWNER, outsiders=_OUTSIDERS, admin=False
    ),
    ScopeCase(name="Heartbeat", make=_heartbeat, owner=_OWNER, outsiders=_OUTSIDERS, admin=False),
    ScopeCase(name="Playback", make=_playback, owner=_OWNER, outsiders=_OUTSIDERS, admin=False),
    # the employee's enterprise (and its association, the bureau of its seat); not another
    # enterprise, an institution, the platform or another city's bureau
    ScopeCase(
        name="WeeklyProgress",
        make=_weekly,
        owner=("wh_ent1", "hr_clerk"),
        outsiders=(("wh_ent2", "hr_clerk"), ("inst1", "clerk"), _OWNER, ("gongan", "reviewer")),
        admin=False,
    ),
]
