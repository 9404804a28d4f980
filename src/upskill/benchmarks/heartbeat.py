"""``upskill bench heartbeat-seed``: the learners of the heartbeat load test (issue 17).

``make bench-heartbeat`` (``bench/heartbeat.sh``) runs it on the stack's database, then locust's
learners (``bench/heartbeat_locustfile.py``) post the player's heartbeat every 15 s. It makes, on
a database with the demo (an online class of a platform):

* the platform's published course ``负载测试课程`` of one video lesson of four hours (its
  required time is the whole video), a WebM of 1 frame a second made here by ffmpeg and read by
  ffprobe as any upload is, through the learning services;
* classes copied from the platform's first online class (50 learners a class), their persons
  registered through the registry's bulk path (encrypted ID numbers, audit rows), each with a
  learner account (one password hash made once and shared: 1,000 PBKDF2 hashes would take
  minutes; nobody logs in with it), and enrolled;
* a fresh server-side session for every learner (``django_session`` rows, as a log-in makes),
  written to ``--out`` as JSON with the lesson's id: each locust user takes one, so the run does
  not spend a CPU-minute on 1,000 password checks before it measures anything.

Made once: a second run adds only the learners missing and new sessions. Bulk throughout; the
accounts' link to their person is written with ``bulk_update`` (no audit row for the link)."""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from upskill.core.history import bulk_create_audited
from upskill.core.scoping import SYSTEM
from upskill.demo import people
from upskill.learning import services as learning
from upskill.learning.models import ADD_COURSE, Course, Lesson
from upskill.organisations.models import Region, User
from upskill.registry.identity import parse_resident_id
from upskill.registry.models import Hukou, Person
from upskill.registry.services import NewPerson, id_number_hash, persons_register_bulk
from upskill.registry.services.learners import learner_username
from upskill.training.models import Enrolment, EnrolmentStatus, TrainingClass

from .common import bench_command
from .scale import bench_user

COURSE_TITLE = "负载测试课程"
CLASS_MARK = "负载测试"
LESSON_SECONDS = 4 * 3600
PER_CLASS = 50
LEARNER_BACKEND = "upskill.registry.auth.LearnerBackend"


def _template() -> TrainingClass:
    """The platform's first online class (the demo's), which the bench classes copy."""
    found = (
        TrainingClass.objects.filter(platform__isnull=False)
        .exclude(name__contains=CLASS_MARK)
        .select_related("catalog_entry__occupation", "platform")
        .order_by("pk")
        .first()
    )
    if found is None:
        raise SystemExit("no online class of a platform: load the demo first (upskill demo)")
    return found


def _video(folder: Path, seconds: int) -> Path:
    path = folder / "load-test.webm"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=gray:size=32x32:rate=1:duration={seconds}",
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "1k",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            str(path),
        ],
        check=True,
        timeout=300,
    )
    return path


def _lesson(template: TrainingClass, seconds: int) -> Lesson:
    """The bench course's one long video lesson, made once through the services."""
    platform = template.platform
    course = Course.objects.filter(platform=platform, title=COURSE_TITLE).first()
    if course is None:
        if not (shutil.which("ffmpeg") and shutil.which("ffprobe")):
            raise SystemExit("ffmpeg and ffprobe are needed for the lesson's video")
        operator = bench_user(platform, ADD_COURSE)
        occupation = template.catalog_entry.occupation
        course = learning.course_create(
            actor=operator,
            occupation_name=occupation.name,
            level=occupation.level,
            title=COURSE_TITLE,
            description="make bench-heartbeat",
        )
        section = learning.section_add(actor=operator, course=course, title="负载测试")
        with tempfile.TemporaryDirectory() as folder:
            path = _video(Path(folder), seconds)
            with path.open("rb") as handle:
                learning.lesson_add(
                    actor=operator,
                    section=section,
                    title="四小时视频",
                    medium="video",
                    file=File(handle, name=path.name),
                    required_seconds=seconds,
                )
        learning.course_publish(actor=operator, course=course)
    return Lesson.objects.filter(section__course=course).order_by("pk").first()


def _classes(template: TrainingClass, count: int) -> list[TrainingClass]:
    """``count`` copies of the template class (made once, then reused)."""
    classes = list(TrainingClass.objects.filter(name__contains=CLASS_MARK).order_by("pk"))
    values = {
        field.attname: getattr(template, field.attname)
        for field in TrainingClass._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
    }
    missing = [
        TrainingClass(**{**values, "name": f"{template.name}（{CLASS_MARK}{index + 1}）"})
        for index in range(len(classes), count)
    ]
    if missing:
        classes += bulk_create_audited(missing, TrainingClass, actor=SYSTEM)
    return classes[:count]


def _learners(classes: list[TrainingClass], wanted: int, rng: random.Random) -> list[int]:
    """The bench learners' account ids, the missing ones made: persons through the registry's
    bulk path, their accounts, their enrolments (``PER_CLASS`` a class)."""
    enrolled = list(
        Enrolment.objects.filter(training_class__in=classes, person__account__isnull=False)
        .order_by("pk")
        .values_list("person__account_id", "training_class_id")
    )
    missing = wanted - len(enrolled)
    if missing > 0:
        county = Region.objects.filter(level="county", code__startswith="4201").order_by("code")
        county = county.first() or Region.objects.filter(level="county").order_by("code").first()
        seen: set[str] = set()
        batch: list[NewPerson] = []
        while len(batch) < missing:
            number = people.id_number(rng, county.code, people.birth_date(rng, 18, 55))
            digest = id_number_hash(number)
            if digest in seen:
                continue
            seen.add(digest)
            batch.append(
                NewPerson(
                    resident=parse_resident_id(number),
                    digest=digest,
                    name=people.name(rng),
                    hukou=Hukou.NON_AGRICULTURAL,
                    county=county,
                    phone=people.phone(rng),
                )
            )
        taken = set(
            Person.objects.filter(id_number_hash__in=[new.digest for new in batch]).values_list(
                "id_number_hash", flat=True
            )
        )
        batch = [new for new in batch if new.digest not in taken]
        # one hash for every account: nobody logs in with it (the sessions are made below)
        password = make_password(get_random_string(24))
        filled = {klass.pk: 0 for klass in classes}
        for _account, class_id in enrolled:
            filled[class_id] = filled.get(class_id, 0) + 1
        with transaction.atomic():
            persons = persons_register_bulk(actor=SYSTEM, persons=batch)
            users = bulk_create_audited(
                [
                    User(
                        username=learner_username(person.id_number_hash),
                        first_name=person.name,
                        password=password,
                    )
                    for person in persons
                ],
                User,
                actor=SYSTEM,
            )
            for person, user in zip(persons, users, strict=True):
                person.account_id = user.pk
            Person.objects.bulk_update(persons, ["account"], batch_size=500)
            enrolments = []
            for person in persons:
                class_id = min(filled, key=lambda pk: (filled[pk] >= PER_CLASS, pk))
                filled[class_id] += 1
                enrolments.append(
                    Enrolment(
                        training_class_id=class_id,
                        person=person,
                        status=EnrolmentStatus.ENROLLED,
                    )
                )
            bulk_create_audited(enrolments, Enrolment, actor=SYSTEM)
        enrolled += [(user.pk, None) for user in users]
    return [account for account, _class in enrolled[:wanted]]


def _sessions(account_ids: list[int]) -> list[str]:
    """A new server-side session for each account, as a log-in with the learner's backend
    makes (the user, the backend, the password's session hash); their keys."""
    store = SessionStore()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    hashes = dict(
        (user.pk, user.get_session_auth_hash())
        for user in User.objects.filter(pk__in=account_ids).only("pk", "password")
    )
    rows = [
        Session(
            session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
            session_data=store.encode(
                {
                    SESSION_KEY: str(pk),
                    BACKEND_SESSION_KEY: LEARNER_BACKEND,
                    HASH_SESSION_KEY: hashes[pk],
                }
            ),
            expire_date=expires,
        )
        for pk in account_ids
    ]
    Session.objects.bulk_create(rows, batch_size=1000)
    return [row.session_key for row in rows]


def seed(*, learners: int, out: Path | None = None, seed: int = 17) -> dict:
    """Make (once) the course, classes and learners, and new sessions for all of them; write
    ``{"lesson": id, "sessions": [...]}`` to ``out``. Returns that, with the seconds taken."""
    started = time.perf_counter()
    template = _template()
    lesson = _lesson(template, LESSON_SECONDS)
    classes = _classes(template, math.ceil(learners / PER_CLASS))
    accounts = _learners(classes, learners, random.Random(seed))
    result = {"lesson": lesson.pk, "sessions": _sessions(accounts)}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result))
    seconds = time.perf_counter() - started
    print(
        f"heartbeat seed: {len(accounts):,} learners in {len(classes)} classes of "
        f"{template.platform}, lesson {lesson.pk} ({lesson.required_seconds:,} s required), "
        f"{len(result['sessions']):,} sessions; {seconds:.1f} s on "
        f"{connection.settings_dict['NAME']} ({connection.vendor})"
    )
    return {**result, "seconds": round(seconds, 1)}


def register(bench_parser: argparse.ArgumentParser) -> None:
    """``upskill bench heartbeat-seed [--learners N] [--out FILE]``."""
    command = bench_command(
        bench_parser, "heartbeat-seed", "learners, a long video lesson and their sessions"
    )
    command.add_argument("--learners", type=int, default=1000)
    command.add_argument("--out", type=Path, default=Path("var/heartbeat/sessions.json"))

    def run(args: argparse.Namespace) -> int:
        seed(learners=args.learners, out=args.out)
        return 0

    command.set_defaults(func=run)
