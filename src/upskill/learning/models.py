"""The online path's learning (WH20-PLT-1, WH20-PRG-1, HB61-PRJ-1).

A platform's operator builds **courses** per occupation and level: **sections** of **lessons**,
each a video or a document with its required time. A learner's **progress** on a lesson is the
unique seconds watched (``watching.py``), their resume position and, at 95 % of the required
time, its completion. The player reports played segments every ~15 s as **heartbeats**: their
own append-only record, not audit history. **Playback** is a learner's one playing device (the
newest wins) and the wall-clock time of their last heartbeat, which caps what the next adds.

Who sees what (docs/roles.md): a platform its own courses and the progress on them; every
other organisation the published courses (reference data of the online programme); a learner
the published courses of the platform and occupation of a class they are enrolled in, and their
own progress, heartbeats and playback.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import OccupationLevel
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.registry.models import Person
from upskill.training.models import Enrolment, EnrolmentStatus

ADD_COURSE = "learning.add_course"
CHANGE_COURSE = "learning.change_course"
VIEW_PROGRESS = "learning.view_lessonprogress"
VIEW_WEEKLY = "learning.view_weeklyprogress"


def enrolled_q(person: Person, prefix: str = "", *, open_flag: str = "published") -> Q:
    """What a learner may open of a platform's content for their classes: rows whose platform,
    occupation and level (``prefix`` leads to them) are those of a class ``person`` is enrolled
    in, and whose ``open_flag`` is set (a course published, an exam open). Shared by courses
    and the online exam."""
    enrolments = Enrolment.objects.filter(
        person=person,
        status=EnrolmentStatus.ENROLLED,
        training_class__platform=OuterRef(f"{prefix}platform"),
        training_class__catalog_entry__occupation__name=OuterRef(f"{prefix}occupation_name"),
        training_class__catalog_entry__occupation__level=OuterRef(f"{prefix}level"),
    )
    return Q(Exists(enrolments), **{f"{prefix}{open_flag}": True})


class CourseContentQuerySet(ScopedQuerySet):
    """Courses and their sections and lessons; ``course_path`` leads to the course."""

    course_path = ""

    def scope_for(self, organisation: Organisation):
        """A platform: its own courses, drafts included; any other organisation: the published
        courses (what the online programme teaches, WH20-PLT-1)."""
        if organisation.kind == OrganisationKind.PLATFORM:
            return self.filter(**{f"{self.course_path}platform": organisation})
        return self.filter(**{f"{self.course_path}published": True})

    def scope_for_person(self, person: Person):
        """The published courses of the classes the learner is enrolled in (the class's
        platform, occupation and level)."""
        return self.filter(enrolled_q(person, self.course_path))


class Course(models.Model):
    """A platform's course for one occupation and level (WH20-PLT-1). Named by occupation name
    and level, not by one catalogue version's row, so it stays across catalogue versions."""

    platform = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="courses",
        limit_choices_to={"kind": OrganisationKind.PLATFORM},
        verbose_name=_("online platform"),
    )
    occupation_name = models.CharField(_("occupation"), max_length=128)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CourseContentQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["platform", "occupation_name", "level", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["occupation_name", "level"], name="course_occupation")]

    def __str__(self) -> str:
        return self.title


class SectionQuerySet(CourseContentQuerySet):
    course_path = "course__"


class Section(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sections", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SectionQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["course", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class LessonMedium(models.TextChoices):
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


class DeliveryMode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline (practical)")


class LessonQuerySet(CourseContentQuerySet):
    course_path = "section__course__"


class Lesson(models.Model):
    """A video or a document with its required time, settable in seconds (WH20-PRG-1: the
    lesson completes at 95 % of it, ``UPSKILL_LEARNING_COMPLETE_SHARE``)."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("section")
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    medium = models.CharField(_("medium"), max_length=8, choices=LessonMedium.choices)
    delivery = models.CharField(
        _("delivery mode"), max_length=8, choices=DeliveryMode.choices, default=DeliveryMode.ONLINE
    )
    required_seconds = models.PositiveIntegerField(_("required time (seconds)"))
    file = models.FileField(_("file"), upload_to="learning/lessons/%Y/%m/", max_length=255)
    content_type = models.CharField(_("content type"), max_length=64, blank=True)
    # a video's length as ffprobe read it; a document's timeline is its required time
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LessonQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.CheckConstraint(
                condition=Q(required_seconds__gt=0)
                & Q(required_seconds__lte=models.F("duration_seconds")),
                name="lesson_required_within_duration",
            ),
            models.CheckConstraint(
                condition=Q(medium__in=LessonMedium.values), name="lesson_medium_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LearnerRecordQuerySet(ScopedQuerySet):
    """A learner's own records about a lesson; ``lesson_path`` leads to the lesson."""

    lesson_path = "lesson__"

    def scope_for(self, organisation: Organisation):
        """The platform whose course it is; no other organisation (the weekly progress report
        is to come)."""
        if organisation.kind != OrganisationKind.PLATFORM:
            return self.none()
        return self.filter(**{f"{self.lesson_path}section__course__platform": organisation})

    def scope_for_person(self, person: Person):
        """Their own."""
        return self.filter(person=person)


class LessonProgress(models.Model):
    """One learner's watched time on one lesson: the merged unique seconds, the furthest point
    watched, the resume position, and when it completed (WH20-PRG-1)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="lesson_progress", verbose_name=_("learner")
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    watched = models.JSONField(_("seconds watched"), default=list)  # [[start, end), …] merged
    watched_seconds = models.PositiveIntegerField(_("unique seconds watched"), default=0)
    furthest = models.PositiveIntegerField(_("furthest point watched"), default=0)
    position = models.PositiveIntegerField(_("resume position"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LearnerRecordQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "person"]
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["person", "lesson"], name="progress_one_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.lesson}"


class Heartbeat(models.Model):
    """One report of the player: the segments it says were played and what counted. Its own
    append-only record, not audit history (the hot path: one per learner every ~15 s)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    device = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    segments = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    ahead = models.PositiveIntegerField(default=0)
    over_rate = models.PositiveIntegerField(default=0)
    # "" when it counted; else why it did not (another device plays)
    refused = models.CharField(max_length=16, blank=True)

    objects = LearnerRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        indexes = [models.Index(fields=["person", "received_at"], name="heartbeat_person_time")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.lesson_id} · {self.received_at:%Y-%m-%d %H:%M:%S}"


class PlaybackQuerySet(LearnerRecordQuerySet):
    pass


class Playback(models.Model):
    """A learner's one playing device (the newest to start wins; the other is told to pause)
    and the wall-clock budget of their playing, whatever the lesson, so watching two lessons at
    once never counts twice: since ``counted_since`` (the playback's start, or the last answered
    presence check) at most that wall-clock time at the rate cap may be played (``counted``).

    Presence checks (WH20-PRG-1): ``played`` sums the seconds played in total; when it reaches
    ``check_due`` (a random 10–20 minutes of playing after the last check) the server asks for a
    click (``check_token``); until the learner answers, nothing counts."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="playback", verbose_name=_("learner")
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="+", verbose_name=_("lesson")
    )
    device = models.CharField(_("device"), max_length=64)
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last heartbeat"))
    counted_since = models.DateTimeField(_("wall-clock budget since"), null=True, blank=True)
    counted = models.PositiveIntegerField(_("seconds played since then"), default=0)
    played = models.PositiveIntegerField(_("seconds played in total"), default=0)
    check_due = models.PositiveIntegerField(_("next presence check at (played)"), null=True)
    check_token = models.CharField(_("pending presence check"), max_length=32, blank=True)
    check_asked_at = models.DateTimeField(_("presence check asked"), null=True, blank=True)

    objects = PlaybackQuerySet.as_manager()

    class Meta:
        verbose_name = _("playback")
        verbose_name_plural = _("playbacks")

    def __str__(self) -> str:
        return f"{self.person} · {self.device}"


def complete_share() -> float:
    """The share of a lesson's required time that completes it (0.95, Open edX's too)."""
    return float(getattr(settings, "UPSKILL_LEARNING_COMPLETE_SHARE", 0.95))


class WeeklyProgressQuerySet(ScopedQuerySet):
    """Weekly progress rows (WH20-PRG-1), by the employee's enterprise."""

    def scope_for(self, organisation: Organisation):
        """A bureau: the enterprises seated in its jurisdiction; an association: its member
        enterprises; an enterprise: its own employees; anyone else: none."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(enterprise__region__code__startswith=prefix)
        if organisation.kind == OrganisationKind.ASSOCIATION:
            return self.filter(enterprise__associations=organisation).distinct()
        if organisation.kind == OrganisationKind.ENTERPRISE:
            return self.filter(enterprise=organisation)
        return self.none()

    def scope_for_person(self, person: Person):
        """Their own rows."""
        return self.filter(person=person)


class WeeklyProgress(models.Model):
    """One employee's progress in one online class as the weekly snapshot found it
    (WH20-PRG-1: HR checks every week). Rows of every week are kept (the history); taking the
    snapshot again in the same week replaces that week's rows."""

    week = models.DateField(_("week of"))  # its Monday
    taken_at = models.DateTimeField(_("taken"))
    enterprise = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="weekly_progress",
        limit_choices_to={"kind": OrganisationKind.ENTERPRISE},
        verbose_name=_("enterprise"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="weekly_progress", verbose_name=_("employee")
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        on_delete=models.CASCADE,
        related_name="weekly_progress",
        verbose_name=_("class"),
    )
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("course"),
    )
    lessons_total = models.PositiveIntegerField(_("lessons"))
    lessons_completed = models.PositiveIntegerField(_("lessons completed"))
    seconds_watched = models.PositiveIntegerField(_("seconds watched"))
    expected_lessons = models.PositiveIntegerField(_("lessons expected by now"))
    behind = models.BooleanField(_("behind"))

    objects = WeeklyProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "enterprise", "person", "training_class"]
        verbose_name = _("weekly progress")
        verbose_name_plural = _("weekly progress")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "enterprise", "person", "training_class"],
                name="weekly_progress_one_per_week",
            )
        ]
        indexes = [models.Index(fields=["enterprise", "week"], name="weekly_enterprise_week")]

    def __str__(self) -> str:
        return f"{self.week} · {self.person} · {self.training_class_id}"

    @property
    def minutes_watched(self) -> int:
        return self.seconds_watched // 60
