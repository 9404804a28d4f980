"""Stage: 明蛙's online course for the Wuhan employees (issue 17; WH20-PLT-1, WH20-PRG-1).

The platform's operator builds one course for the occupation and level of the first online
class the Wuhan enrolment stage filed (安全评价师, level 3: the exam helper's question bank is
for the same occupation and level), of three short lessons: WebM/VP9 videos of a few seconds
generated with ffmpeg here (none is shipped). Of the employees enrolled in that class who have
an account, the first has watched every lesson (complete), the next one a part of the first
(behind on the weekly report). This week's weekly snapshot is taken. Without ffmpeg the course
is not made (the page says why nothing is there). Made once."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.files import File

from upskill.core import clock
from upskill.core.scoping import SYSTEM
from upskill.learning import services as learning
from upskill.learning.models import Course
from upskill.organisations.models import Organisation, User
from upskill.training.models import EnrolmentStatus, TrainingClass

LESSONS = (
    ("1.1 安全评价概述", 4),
    ("1.2 危险有害因素辨识", 5),
    ("1.3 安全评价报告编制", 4),
)


def _webm(path: Path, seconds: int, pattern: str) -> None:
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"{pattern}=duration={seconds}:size=160x120:rate=10",
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "50k",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            str(path),
        ],
        check=True,
        timeout=120,
    )


def _watch(account, lessons, seconds_each) -> None:
    """The learner plays ``seconds_each`` of each lesson, reported every few seconds of a
    clock that moves as the video plays."""
    for lesson, seconds in zip(lessons, seconds_each, strict=False):
        if not seconds:
            continue
        learning.playback_start(actor=account, lesson=lesson, device="demo-phone")
        clock.advance(timedelta(seconds=seconds))
        learning.heartbeat_record(
            actor=account,
            lesson=lesson,
            device="demo-phone",
            segments=[(0, seconds)],
            position=seconds,
        )
        clock.advance(timedelta(minutes=1))


def online_course(o: dict[str, Organisation]) -> Course | None:
    """The course, its lessons and two learners at different stages (see the module)."""
    platform = o["platform"]
    if Course.objects.filter(platform=platform).exists() or not (
        shutil.which("ffmpeg") and shutil.which("ffprobe")
    ):
        return None
    first = (
        TrainingClass.objects.filter(platform=platform)
        .select_related("catalog_entry__occupation")
        .order_by("pk")
        .first()
    )
    if first is None:
        return None
    occupation = first.catalog_entry.occupation
    operator = User.objects.get(username="mingwa_operator")
    course = learning.course_create(
        actor=operator,
        occupation_name=occupation.name,
        level=occupation.level,
        title=f"{occupation.name}（{occupation.get_level_display()}）线上理论课程",
        description="明蛙线上职业培训平台 · 2020年线上职业技能等级培训",
    )
    section = learning.section_add(actor=operator, course=course, title="第一章 安全评价基础")
    lessons = []
    with tempfile.TemporaryDirectory() as folder:
        for index, (title, seconds) in enumerate(LESSONS):
            path = Path(folder) / f"lesson{index + 1}.webm"
            _webm(path, seconds, ("testsrc", "smptebars", "rgbtestsrc")[index % 3])
            with path.open("rb") as handle:
                lessons.append(
                    learning.lesson_add(
                        actor=operator,
                        section=section,
                        title=title,
                        medium="video",
                        file=File(handle, name=path.name),
                        required_seconds=seconds,
                    )
                )
    learning.course_publish(actor=operator, course=course)

    accounts = [
        enrolment.person.account
        for enrolment in first.enrolments.filter(
            status=EnrolmentStatus.ENROLLED, person__account__isnull=False
        )
        .select_related("person__account")
        .order_by("pk")
    ]
    with clock.frozen(clock.now() - timedelta(hours=2)):
        if accounts:  # every lesson watched: complete
            _watch(accounts[0], lessons, [seconds for _title, seconds in LESSONS])
        if len(accounts) > 1:  # two seconds of the first lesson: behind
            _watch(accounts[1], lessons, [2])
    learning.weekly_snapshot(actor=SYSTEM)
    return course
