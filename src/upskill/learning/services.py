"""Writes of the learning app: a platform's courses, sections and lessons (WH20-PLT-1), and a
learner's watched time (WH20-PRG-1): starting playback on a device and the player's
heartbeats, merged into unique seconds per lesson (``watching.py``)."""

from __future__ import annotations

import math
import secrets
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from upskill.core import clock
from upskill.core.models import Upload
from upskill.core.scoping import (
    SYSTEM,
    Actor,
    get_visible_or_404,
    person_of,
    require_perm,
    visible,
)
from upskill.core.uploads import Made, upload_finish, upload_of, upload_open
from upskill.organisations.models import Organisation, OrganisationKind

from . import watching
from .media import video_seconds
from .models import (
    ADD_COURSE,
    CHANGE_COURSE,
    Course,
    DeliveryMode,
    Heartbeat,
    Lesson,
    LessonMedium,
    LessonProgress,
    Playback,
    Section,
    WeeklyProgress,
    complete_share,
)

VIDEO_TYPES = {".webm": "video/webm", ".mp4": "video/mp4"}
DOCUMENT_TYPES = {".pdf": "application/pdf"}


def _platform(actor: Actor, perm: str):
    require_perm(actor, perm)
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.kind != OrganisationKind.PLATFORM:
        raise PermissionDenied(perm)
    return organisation


def _own_course(actor: Actor, course: Course) -> Course:
    course = get_visible_or_404(Course, actor, perm=CHANGE_COURSE, pk=course.pk)
    _platform(actor, CHANGE_COURSE)
    return course


@transaction.atomic
def course_create(
    *, actor: Actor, occupation_name: str, level: int, title: str, description: str = ""
) -> Course:
    """A platform's operator starts a course for an occupation and level (a draft)."""
    platform = _platform(actor, ADD_COURSE)
    course = Course(
        platform=platform,
        occupation_name=" ".join(occupation_name.split()),
        level=level,
        title=title.strip(),
        description=description.strip(),
    )
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_publish(*, actor: Actor, course: Course, published: bool = True) -> Course:
    """Learners of the platform's classes see a published course; a course with no lesson is
    not published."""
    course = _own_course(actor, course)
    if published and not Lesson.objects.filter(section__course=course).exists():
        raise ValidationError(_("Add at least one lesson before publishing the course."))
    course.published = published
    course.save(update_fields=["published"])
    return course


@transaction.atomic
def section_add(*, actor: Actor, course: Course, title: str) -> Section:
    course = _own_course(actor, course)
    position = course.sections.count() + 1
    section = Section(course=course, title=title.strip(), position=position)
    section.full_clean()
    section.save()
    return section


def _suffix(name: str) -> str:
    return Path(name or "").suffix.lower()


def _video_required_fits(required_seconds: int, duration: int) -> None:
    if required_seconds > duration:
        raise ValidationError(
            {
                "required_seconds": _(
                    "The required time (%(required)d s) is longer than the video (%(duration)d s)."
                )
                % {"required": required_seconds, "duration": duration}
            }
        )


def _lesson_save(
    *,
    section: Section,
    title: str,
    medium: str,
    delivery: str,
    required_seconds: int,
    content_type: str,
    duration: int,
    suffix: str,
    file,
) -> Lesson:
    if required_seconds < 1:
        raise ValidationError({"required_seconds": _("Give the required time in seconds.")})
    lesson = Lesson(
        section=section,
        title=title.strip(),
        position=section.lessons.count() + 1,
        medium=medium,
        delivery=delivery,
        required_seconds=required_seconds,
        content_type=content_type,
        duration_seconds=duration,
    )
    lesson.full_clean(exclude=["file"])  # checked before the file is stored
    lesson.file.save(f"lesson{suffix}", file, save=False)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_add(
    *,
    actor: Actor,
    section: Section,
    title: str,
    medium: str,
    file: UploadedFile,
    required_seconds: int,
    delivery: str = "online",
) -> Lesson:
    """A video (WebM or MP4, its length read by ffprobe) or a document (PDF) with the time a
    learner must spend on it, settable in seconds; a video's required time is at most its
    length. The operator's page sends videos through the resumable upload instead
    (:func:`lesson_upload_start`); this plain form of one file serves documents, the demo and
    the tests."""
    section = get_visible_or_404(Section, actor, perm=CHANGE_COURSE, pk=section.pk)
    _platform(actor, CHANGE_COURSE)
    suffix = _suffix(file.name)
    if medium == LessonMedium.VIDEO:
        content_type = VIDEO_TYPES.get(suffix)
        if content_type is None:
            raise ValidationError({"file": _("Upload a video as WebM or MP4.")})
        duration = _probe(file)
        _video_required_fits(required_seconds, duration)
    elif medium == LessonMedium.DOCUMENT:
        content_type = DOCUMENT_TYPES.get(suffix)
        if content_type is None:
            raise ValidationError({"file": _("Upload a document as PDF.")})
        duration = required_seconds  # a document's timeline is its required reading time
    else:
        raise ValidationError({"medium": _("Choose video or document.")})
    return _lesson_save(
        section=section,
        title=title,
        medium=medium,
        delivery=delivery,
        required_seconds=required_seconds,
        content_type=content_type,
        duration=duration,
        suffix=suffix,
        file=file,
    )


def _probe(file: UploadedFile) -> int:
    """ffprobe reads a path: the upload's own, or a temporary copy streamed in chunks."""
    path = getattr(file, "temporary_file_path", None)
    if path is not None:
        return video_seconds(path())
    with tempfile.NamedTemporaryFile(suffix=_suffix(file.name)) as copy:
        for chunk in file.chunks():
            copy.write(chunk)
        copy.flush()
        file.seek(0)
        return video_seconds(copy.name)


# --- lesson videos through the resumable upload (core/uploads.py) --------------------------

LESSON_UPLOAD = "learning.lesson"  # what such uploads are for


def video_max_bytes() -> int:
    """The largest lesson video accepted (``UPSKILL_LEARNING_VIDEO_MAX_BYTES``)."""
    return int(settings.UPSKILL_LEARNING_VIDEO_MAX_BYTES)


@transaction.atomic
def lesson_upload_start(
    *,
    actor: Actor,
    section: Section,
    title: str,
    required_seconds: int,
    filename: str,
    size: int,
    delivery: str = "online",
) -> Upload:
    """Open the resumable upload of a lesson's video (WebM or MP4, at most
    ``UPSKILL_LEARNING_VIDEO_MAX_BYTES``): the chunks go to core's endpoint, and
    :func:`lesson_upload_finish` makes the lesson once the whole file is in."""
    section = get_visible_or_404(Section, actor, perm=CHANGE_COURSE, pk=section.pk)
    platform = _platform(actor, CHANGE_COURSE)
    if _suffix(filename) not in VIDEO_TYPES:
        raise ValidationError({"file": _("Upload a video as WebM or MP4.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the lesson a title.")})
    if delivery not in DeliveryMode.values:
        raise ValidationError({"delivery": _("Choose the delivery mode.")})
    if required_seconds < 1:
        raise ValidationError({"required_seconds": _("Give the required time in seconds.")})
    return upload_open(
        actor=actor,
        purpose=LESSON_UPLOAD,
        organisation=platform,
        filename=filename,
        size=size,
        max_bytes=video_max_bytes(),
        details={
            "section": section.pk,
            "title": title.strip(),
            "delivery": delivery,
            "required_seconds": required_seconds,
        },
    )


def lesson_upload_finish(*, actor: Actor, upload: Upload) -> Lesson:
    """Make the lesson of a complete video upload: ffprobe reads its length from the assembled
    file (a file that holds no video is refused with the reason, and nothing is kept), the
    required time must fit in it, and the file is stored through the storage API, streamed."""
    upload = upload_of(actor, upload.pk)
    if upload.purpose != LESSON_UPLOAD:
        raise Http404
    details = upload.details
    section = get_visible_or_404(Section, actor, perm=CHANGE_COURSE, pk=details["section"])
    _platform(actor, CHANGE_COURSE)
    suffix = _suffix(upload.filename)

    def make(upload: Upload, path: str, size: int, digest: str) -> Made:
        duration = video_seconds(path)
        _video_required_fits(details["required_seconds"], duration)
        with open(path, "rb") as handle:
            lesson = _lesson_save(
                section=section,
                title=details["title"],
                medium=LessonMedium.VIDEO,
                delivery=details["delivery"],
                required_seconds=details["required_seconds"],
                content_type=VIDEO_TYPES[suffix],
                duration=duration,
                suffix=suffix,
                file=File(handle),
            )
        return Made(lesson, {"duration_seconds": duration, "size": size, "sha256": digest})

    return upload_finish(actor=actor, upload=upload, make=make)


# --- watched time (WH20-PRG-1) -------------------------------------------------------------


def rate_cap() -> float:
    """The fastest playback rate whose time counts (``UPSKILL_LEARNING_RATE_CAP``)."""
    return float(getattr(settings, "UPSKILL_LEARNING_RATE_CAP", 1.0))


def rate_slack() -> int:
    """Seconds of network jitter a heartbeat may add beyond wall-clock time."""
    return int(getattr(settings, "UPSKILL_LEARNING_RATE_SLACK", 3))


def _learner_lesson(actor: Actor, lesson: Lesson | int):
    """The learner and the lesson as they may see it (one query: the page passes the id it
    was given, so the lesson is not read twice)."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only a learner plays lessons."))
    pk = lesson if isinstance(lesson, int) else lesson.pk
    return person, get_visible_or_404(Lesson, actor, pk=pk)


def presence_interval() -> tuple[int, int]:
    """The played seconds between two presence checks, drawn at random between these bounds
    (WH20-PRG-1: every 10–20 minutes of playing; ``UPSKILL_LEARNING_PRESENCE_MIN_SECONDS``,
    ``UPSKILL_LEARNING_PRESENCE_MAX_SECONDS``; tests set seconds)."""
    low = int(getattr(settings, "UPSKILL_LEARNING_PRESENCE_MIN_SECONDS", 600))
    high = int(getattr(settings, "UPSKILL_LEARNING_PRESENCE_MAX_SECONDS", 1200))
    low = max(1, low)
    return low, max(low, high)


def _next_check(played: int) -> int:
    """The point in played time of the next presence check: a random 10–20 minutes on (the
    server draws it; the browser only learns of a check when it is due)."""
    low, high = presence_interval()
    return played + low + secrets.randbelow(high - low + 1)


@transaction.atomic
def playback_start(*, actor: Actor, lesson: Lesson, device: str) -> LessonProgress:
    """The learner starts (or resumes) a lesson on ``device``: it becomes their one playing
    device (the newest wins; the other is told to pause at its next heartbeat), and its
    wall-clock budget starts now. A presence check still waiting for its answer stays (starting
    again does not skip it). Returns the lesson's progress, whose ``position`` is where to
    resume, on any device."""
    person, lesson = _learner_lesson(actor, lesson)
    device = _device(device)
    now = clock.now()
    playback = Playback.objects.select_for_update().filter(person=person).first()
    if playback is None:
        playback = Playback(person=person, played=0, check_due=_next_check(0))
    playback.lesson, playback.device = lesson, device
    playback.started_at = playback.last_seen_at = playback.counted_since = now
    playback.counted = 0
    playback.save()
    progress, _created = LessonProgress.objects.get_or_create(person=person, lesson=lesson)
    return progress


@transaction.atomic
def presence_answer(*, actor: Actor, device: str, token: str) -> Playback:
    """The learner answers the pending presence check (WH20-PRG-1) with its token: playing
    counts again from now (the wall-clock budget restarts, so nothing played while the check
    waited counts), and the next check is drawn. Answering when nothing is pending is harmless."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only a learner plays lessons."))
    device = _device(device)
    playback = Playback.objects.select_for_update().filter(person=person).first()
    if playback is None or not playback.check_token:
        if playback is None:
            raise ValidationError(_("Start the lesson again."))
        return playback
    if not secrets.compare_digest(str(token or ""), playback.check_token):
        raise ValidationError(_("This presence check is not the one waiting; reload the page."))
    now = clock.now()
    playback.check_token = ""
    playback.check_asked_at = None
    playback.check_due = _next_check(playback.played)
    playback.device = device
    playback.counted_since = playback.last_seen_at = now
    playback.counted = 0
    playback.save()
    return playback


def _device(device: str) -> str:
    device = (device or "").strip()[:64]
    if not device:
        raise ValidationError(_("The player did not say which device it is."))
    return device


@dataclass(frozen=True)
class HeartbeatResult:
    progress: LessonProgress
    added: int
    ahead: int
    over_rate: int
    stop: bool = False  # another device plays now: this one pauses
    message: str = ""
    check: str = ""  # a presence check waits for the learner's click: its token


def _segments(raw) -> list[tuple[float, float]]:
    segments = []
    for item in list(raw or [])[:100]:
        try:
            start, end = float(item[0]), float(item[1])
        except (TypeError, ValueError, IndexError, KeyError):
            raise ValidationError(_("A played segment is a start and an end in seconds.")) from None
        if math.isfinite(start) and math.isfinite(end) and end > start:
            segments.append((start, end))
    return segments


def _no_flush_wait() -> None:
    """PostgreSQL: this transaction's commit does not wait for its write-ahead log to reach
    the disk (``synchronous_commit`` off, for this transaction only). On a busy disk that wait
    is most of a heartbeat's time. Should PostgreSQL itself crash, the heartbeats of its last
    fraction of a second (three ``wal_writer_delay``, 0.6 s) are lost, never half-applied: a
    learner loses at most one report's seconds (under-counted, never over-counted)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def heartbeat_record(
    *, actor: Actor, lesson: Lesson | int, device: str, segments, position: float
) -> HeartbeatResult:
    """One report of the player: the segments played since the last one. Counted only from the
    learner's playing device, continuing what they watched (seeking ahead counts nothing) and
    within wall-clock time since their previous heartbeat at the playback-rate cap; merged into
    the unique seconds of the lesson; the lesson completes at 95 % of its required time.

    The hot path (every learner every ~15 s, issue 17): a fixed handful of queries (the lesson
    in scope, the playback locked, the progress read, updated and the heartbeat appended, the
    playback updated), no audit-history row. One row is locked: the learner's playback, which
    every write of their watched time goes through (start, heartbeat, presence answer), so
    their heartbeats apply one at a time and the progress row needs no lock of its own."""
    person, lesson = _learner_lesson(actor, lesson)
    device = _device(device)
    segments = _segments(segments)
    now = clock.now()
    _no_flush_wait()
    playback = Playback.objects.select_for_update().filter(person=person).first()
    progress, _created = LessonProgress.objects.get_or_create(person=person, lesson=lesson)
    progress.lesson = lesson  # the page's answer reads it: not read again
    beat = Heartbeat(
        person=person,
        lesson=lesson,
        device=device,
        received_at=now,
        segments=[[round(s, 2), round(e, 2)] for s, e in segments],
        position=max(0, min(int(position or 0), lesson.duration_seconds)),
    )
    if playback is None or playback.device != device:
        beat.refused = "device"
        beat.save()
        return HeartbeatResult(
            progress=progress,
            added=0,
            ahead=0,
            over_rate=0,
            stop=True,
            message=_("You are playing on another device now; this one has paused."),
        )
    if playback.check_token:
        # a presence check waits: nothing played counts until it is answered (WH20-PRG-1)
        beat.refused = "presence"
        beat.save()
        return HeartbeatResult(
            progress=progress,
            added=0,
            ahead=0,
            over_rate=0,
            check=playback.check_token,
            message=presence_message(),
        )
    if playback.check_due is None:
        playback.check_due = _next_check(playback.played)
    since = playback.counted_since or playback.started_at
    # the wall-clock budget runs from the playback's start (a late first heartbeat loses
    # nothing), less what was played since; and it stops at the next presence check
    budget = min(
        watching.allowance((now - since).total_seconds(), rate_cap=rate_cap(), slack=rate_slack())
        - playback.counted,
        playback.check_due - playback.played,
    )
    credit = watching.credit(
        [tuple(interval) for interval in progress.watched],
        progress.furthest,
        segments,
        duration=lesson.duration_seconds,
        allowance=max(0, budget),
    )
    progress.watched = [list(interval) for interval in credit.watched]
    progress.watched_seconds = watching.total(credit.watched)
    progress.furthest = credit.furthest
    progress.position = beat.position
    if progress.completed_at is None and watching.required_seconds_done(
        progress.watched_seconds, lesson.required_seconds, complete_share()
    ):
        progress.completed_at = now
    progress.save()
    beat.added, beat.ahead, beat.over_rate = credit.added, credit.ahead, credit.over_rate
    beat.save()
    played = credit.added + credit.replayed
    playback.lesson = lesson
    playback.last_seen_at = now
    playback.counted += played
    playback.played += played
    if playback.played >= playback.check_due:
        playback.check_token = secrets.token_hex(8)
        playback.check_asked_at = now
    playback.save()
    return HeartbeatResult(
        progress=progress,
        added=credit.added,
        ahead=credit.ahead,
        over_rate=credit.over_rate,
        check=playback.check_token,
        message=presence_message() if playback.check_token else "",
    )


def presence_message() -> str:
    """What the player shows with a presence check."""
    return _(
        "Are you still there? Click “I am here” to go on: time played until you answer "
        "does not count (WH20-PRG-1)."
    )


# --- weekly progress (WH20-PRG-1) ----------------------------------------------------------

RUN_WEEKLY = "learning.add_weeklyprogress"
_ONLINE_PROGRAMME = "online_skill_level"


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: a snapshot's week."""
    return day - timedelta(days=day.weekday())


def expected_lessons(*, total: int, start: date, end: date, on: date) -> int:
    """How many of ``total`` lessons a learner keeping an even pace to finish by the class's
    end date has completed on ``on`` (whole lessons: the pace is met with the last one due)."""
    if total <= 0 or on < start:
        return 0
    days = (end - start).days + 1
    elapsed = min(days, (on - start).days + 1)
    return min(total, total * elapsed // days)


@transaction.atomic
def weekly_snapshot(*, actor: Actor, on: date | None = None, progress=None) -> dict:
    """The weekly progress of every employee in an online class (WH20-PRG-1), for the
    enterprises ``actor`` sees (the scheduler: all of them): per employee and class, the
    lessons completed of the class's course, the minutes watched, the lessons an even pace to
    the class's end date expects by now, and whether they are behind. Rows of the week are
    replaced (running it again the same week gives the same rows); other weeks are kept."""
    from upskill.enterprise.models import EmploymentContract
    from upskill.training.models import ClassStatus, Enrolment, EnrolmentStatus

    if actor is not SYSTEM:
        require_perm(actor, RUN_WEEKLY)
    on = on or clock.now().date()
    week = week_of(on)
    enterprises = {
        o.pk: o for o in visible(Organisation, actor).filter(kind=OrganisationKind.ENTERPRISE)
    }
    enrolments = list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            training_class__catalog_entry__program=_ONLINE_PROGRAMME,
            training_class__platform__isnull=False,
        )
        # a class still to run or running (a finished or cancelled one is no longer followed)
        .exclude(training_class__status__in=[ClassStatus.FINISHED, ClassStatus.CANCELLED])
        .select_related("training_class__catalog_entry__occupation", "training_class__organisation")
        .order_by("pk")
    )
    persons = {e.person_id for e in enrolments}
    employers: dict[int, set[int]] = {}
    for person_id, enterprise_id in (
        EmploymentContract.objects.filter(person_id__in=persons, enterprise_id__in=enterprises)
        .filter(Q(ended__isnull=True) | Q(ended__gte=on))
        .values_list("person_id", "enterprise_id")
    ):
        employers.setdefault(person_id, set()).add(enterprise_id)
    # everyone's watched time in one read, not two queries per enrolment
    progress_of: dict[tuple[int, int], tuple[int, bool]] = {
        (person_id, lesson_id): (seconds, completed_at is not None)
        for person_id, lesson_id, seconds, completed_at in LessonProgress.objects.filter(
            person_id__in=persons
        ).values_list("person_id", "lesson_id", "watched_seconds", "completed_at")
    }
    courses: dict[tuple, tuple[Course | None, list[int]]] = {}
    rows = []
    for done, enrolment in enumerate(enrolments, start=1):
        training_class = enrolment.training_class
        occupation = training_class.catalog_entry.occupation
        key = (training_class.platform_id, occupation.name, occupation.level)
        if key not in courses:
            course = (
                Course.objects.filter(
                    platform_id=key[0], occupation_name=key[1], level=key[2], published=True
                )
                .order_by("pk")
                .first()
            )
            lessons = (
                list(Lesson.objects.filter(section__course=course).values_list("pk", flat=True))
                if course
                else []
            )
            courses[key] = (course, lessons)
        course, lessons = courses[key]
        owners = set(employers.get(enrolment.person_id, ()))
        if training_class.organisation_id in enterprises:
            owners.add(training_class.organisation_id)
        if not owners:
            continue
        mine = [
            progress_of[key]
            for key in ((enrolment.person_id, lesson) for lesson in lessons)
            if key in progress_of
        ]
        watched = sum(seconds for seconds, _done in mine)
        completed = sum(1 for _seconds, done in mine if done)
        expected = expected_lessons(
            total=len(lessons), start=training_class.start_date, end=training_class.end_date, on=on
        )
        for enterprise_id in sorted(owners):
            rows.append(
                WeeklyProgress(
                    week=week,
                    taken_at=clock.now(),
                    enterprise_id=enterprise_id,
                    person_id=enrolment.person_id,
                    training_class=training_class,
                    course=course,
                    lessons_total=len(lessons),
                    lessons_completed=completed,
                    seconds_watched=watched,
                    expected_lessons=expected,
                    behind=completed < expected,
                )
            )
        if progress is not None:
            progress(done, len(enrolments))
    WeeklyProgress.objects.filter(week=week, enterprise_id__in=enterprises).delete()
    WeeklyProgress.objects.bulk_create(rows)
    return {
        "week": week.isoformat(),
        "rows": len(rows),
        "behind": sum(1 for row in rows if row.behind),
        "enterprises": len({row.enterprise_id for row in rows}),
    }


def weekly_snapshot_start(*, actor: Actor):
    """The button: take this week's snapshot now, as a background job with progress."""
    from upskill.core.jobs import job_start

    from .tasks import weekly_progress_job

    require_perm(actor, RUN_WEEKLY)
    return job_start(
        actor=actor,
        kind="learning.weekly_progress",
        title=_("Weekly learning progress"),
        task=weekly_progress_job,
    )
