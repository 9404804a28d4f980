"""Reads of the learning app, already scoped (docs/roles.md): a platform's courses, a learner's
courses and progress, and the learner portal's section (hook ``learner.portal_sections``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from upskill.core.hooks import PortalCard, PortalSection
from upskill.core.scoping import Actor, visible

from .models import Course, Lesson, LessonProgress, Playback, Section, WeeklyProgress


def pending_check(*, actor: Actor) -> str:
    """The token of the learner's presence check waiting for an answer (WH20-PRG-1), or ""."""
    playback = visible(Playback, actor).only("check_token").first()
    return playback.check_token if playback else ""


def courses_of(*, actor: Actor) -> QuerySet[Course]:
    return visible(Course, actor).order_by("occupation_name", "level", "pk")


def course_outline(*, actor: Actor, course: Course) -> list[Section]:
    """The course's sections with their lessons, in order."""
    lessons = visible(Lesson, actor).order_by("position", "pk")
    return list(
        visible(Section, actor)
        .filter(course=course)
        .prefetch_related(Prefetch("lessons", queryset=lessons))
        .order_by("position", "pk")
    )


def progress_of(
    *, actor: Actor, course_id: int | None = None, person_id: int | None = None
) -> QuerySet[LessonProgress]:
    """Learners' watched time per lesson (WH20-PRG-1), the latest change first."""
    rows = visible(LessonProgress, actor).select_related("person", "lesson__section")
    if course_id is not None:
        rows = rows.filter(lesson__section__course_id=course_id)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return rows.order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class LessonLine:
    lesson: Lesson
    watched_seconds: int
    percent: int
    complete: bool


def learner_lessons(*, actor: Actor, course: Course) -> list[tuple[Section, list[LessonLine]]]:
    """The learner's own progress on each lesson of a course (WH20-PRG-1)."""
    progress = {
        p.lesson_id: p
        for p in visible(LessonProgress, actor).filter(lesson__section__course=course)
    }
    outline = []
    for section in course_outline(actor=actor, course=course):
        lines = []
        for lesson in section.lessons.all():
            mine = progress.get(lesson.pk)
            watched = mine.watched_seconds if mine else 0
            lines.append(
                LessonLine(
                    lesson=lesson,
                    watched_seconds=watched,
                    percent=min(100, watched * 100 // lesson.required_seconds),
                    complete=bool(mine and mine.completed_at),
                )
            )
        outline.append((section, lines))
    return outline


def portal_sections(*, person, user) -> list[PortalSection]:
    """The learner's online courses with the lessons completed (WH20-PRG-1), through the
    learner's own scope."""
    cards = []
    for course in courses_of(actor=user).prefetch_related("sections__lessons"):
        lessons = [lesson for section in course.sections.all() for lesson in section.lessons.all()]
        done = (
            visible(LessonProgress, user)
            .filter(lesson__section__course=course, completed_at__isnull=False)
            .count()
        )
        cards.append(
            PortalCard(
                title=course.title,
                state=pgettext("lesson", "Completed")
                if lessons and done == len(lessons)
                else _("Learning"),
                lines=(
                    f"{course.occupation_name} · {course.get_level_display()}",
                    _("%(done)d of %(total)d lessons completed")
                    % {"done": done, "total": len(lessons)},
                ),
                url=reverse("learning_me:course", kwargs={"pk": course.pk}),
                action=_("Study"),
            )
        )
    return [
        PortalSection(
            key="courses",
            title=_("My online courses"),
            order=15,
            cards=cards,
            empty=_("No online course yet."),
        )
    ]


# --- weekly progress (WH20-PRG-1) -----------------------------------------------------------


def weekly_weeks(*, actor: Actor) -> list[dict]:
    """The weeks with a snapshot the actor sees, newest first, each with its counts (the
    history): employees (distinct), rows behind and employees behind."""
    return list(
        visible(WeeklyProgress, actor)
        .order_by()
        .values("week")
        .annotate(
            employees=Count("person", distinct=True),
            behind=Count("person", filter=Q(behind=True), distinct=True),
            completed=Sum("lessons_completed"),
            seconds=Sum("seconds_watched"),
        )
        .order_by("-week")
    )


def weekly_rows(*, actor: Actor, week) -> QuerySet[WeeklyProgress]:
    """One week's rows the actor sees: who is behind first."""
    return (
        visible(WeeklyProgress, actor)
        .filter(week=week)
        .select_related("person", "enterprise", "training_class", "course")
        .order_by("-behind", "enterprise__name", "person__name", "pk")
    )


def weekly_by_enterprise(*, actor: Actor, week) -> list[dict]:
    """One week's counts per enterprise (the association's members, the bureau's region)."""
    return list(
        visible(WeeklyProgress, actor)
        .filter(week=week)
        .order_by()
        .values("enterprise__name")
        .annotate(
            employees=Count("person", distinct=True),
            behind=Count("person", filter=Q(behind=True), distinct=True),
            completed=Sum("lessons_completed"),
            seconds=Sum("seconds_watched"),
        )
        .order_by("enterprise__name")
    )


def employees_behind(*, actor: Actor) -> int:
    """The employees behind in the latest week's snapshot (the home queue of HR)."""
    latest = visible(WeeklyProgress, actor).order_by("-week").values_list("week", flat=True)[:1]
    week = next(iter(latest), None)
    if week is None:
        return 0
    return (
        visible(WeeklyProgress, actor)
        .filter(week=week, behind=True)
        .order_by()
        .values("person")
        .distinct()
        .count()
    )


# --- watched time for the claim (WH20-PRG-1, issue 17 item 6) -----------------------------


def watched_shares(enrolments) -> dict[int, Decimal]:
    """For each enrolment of an online class: the share of its course's required time the
    learner watched (each lesson counted up to its required time), 0–1; the course is the
    platform's published course of the class's occupation and level. Not scoped: the claim's
    assembly reads the facts of classes it already may see."""
    shares: dict[int, Decimal] = {}
    lessons: dict[tuple, dict[int, int]] = {}
    for enrolment in enrolments:
        training_class = enrolment.training_class
        occupation = training_class.catalog_entry.occupation
        key = (training_class.platform_id, occupation.name, occupation.level)
        if key not in lessons:
            course = (
                Course.objects.filter(
                    platform_id=key[0], occupation_name=key[1], level=key[2], published=True
                )
                .order_by("pk")
                .first()
            )
            lessons[key] = dict(
                Lesson.objects.filter(section__course=course).values_list("pk", "required_seconds")
            )
        required = lessons[key]
        total = sum(required.values())
        if not total:
            shares[enrolment.pk] = Decimal(0)
            continue
        watched = sum(
            min(seconds, required[lesson_id])
            for lesson_id, seconds in LessonProgress.objects.filter(
                person_id=enrolment.person_id, lesson_id__in=required
            ).values_list("lesson_id", "watched_seconds")
        )
        shares[enrolment.pk] = Decimal(watched) / Decimal(total)
    return shares
