"""Online learning over JSON (WH20-PLT-1, WH20-PRG-1): a platform's courses with their outline,
and its learners' watched time per lesson, for the platform's own systems and the province's.
Read-only and under the same scope as the pages: courses are built on the operator's pages,
watched time comes only from the player's heartbeats."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404

from . import selectors
from .models import VIEW_PROGRESS, Course, LessonProgress

VIEW_COURSE = "learning.view_course"

router = Router(tags=["learning"])


class CourseOut(Schema):
    id: int
    platform_id: int
    occupation_name: str
    level: int
    title: str
    published: bool


class CourseLessonOut(Schema):
    id: int
    title: str
    position: int
    medium: str
    delivery: str
    required_seconds: int
    duration_seconds: int


class CourseSectionOut(Schema):
    id: int
    title: str
    position: int
    lessons: list[CourseLessonOut]

    @staticmethod
    def resolve_lessons(obj) -> list:
        return list(obj.lessons.all())


class CourseDetailOut(CourseOut):
    sections: list[CourseSectionOut]


class LessonProgressOut(Schema):
    id: int
    person_id: int
    name: str
    id_number_masked: str
    lesson_id: int
    course_id: int
    required_seconds: int
    watched_seconds: int
    percent: int
    completed_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_name(obj: LessonProgress) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: LessonProgress) -> str:
        return obj.person.id_number_masked

    @staticmethod
    def resolve_course_id(obj: LessonProgress) -> int:
        return obj.lesson.section.course_id

    @staticmethod
    def resolve_required_seconds(obj: LessonProgress) -> int:
        return obj.lesson.required_seconds

    @staticmethod
    def resolve_percent(obj: LessonProgress) -> int:
        return min(100, obj.watched_seconds * 100 // obj.lesson.required_seconds)


@router.get("/learning/courses", response=list[CourseOut])
@paginate(PageNumberPagination)
def course_list(request):
    return selectors.courses_of(actor=permitted_actor(request, VIEW_COURSE))


@router.get("/learning/courses/{course_id}", response=CourseDetailOut)
def course_detail(request, course_id: int):
    actor = actor_of(request)
    course = get_visible_or_404(Course, actor, perm=VIEW_COURSE, pk=course_id)
    return {
        **CourseOut.from_orm(course).dict(),
        "sections": selectors.course_outline(actor=actor, course=course),
    }


@router.get("/learning/progress", response=list[LessonProgressOut])
@paginate(PageNumberPagination)
def progress_list(request, course_id: int | None = None, person_id: int | None = None):
    """Watched time per learner and lesson (WH20-PRG-1), newest first; filtered by course or
    learner."""
    actor = permitted_actor(request, VIEW_PROGRESS)
    return selectors.progress_of(actor=actor, course_id=course_id, person_id=person_id)
