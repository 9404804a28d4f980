"""Test data of the supervision app, made through the services; test media are generated
(Pillow pictures, ffmpeg clips), never downloaded."""

from __future__ import annotations

import io
import random
import subprocess
from datetime import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from upskill.core.scoping import SYSTEM


def picture(
    seed: int, size: tuple[int, int] = (320, 240), fmt: str = "JPEG", taken: datetime | None = None
) -> bytes:
    """A picture nobody else has: random 8×6 blocks of grey scaled up (its difference hash
    differs from any other seed's), optionally with an EXIF time."""
    rng = random.Random(seed)
    small = Image.new("RGB", (8, 6))
    small.putdata([(v, v, rng.randrange(256)) for v in (rng.randrange(256) for _ in range(48))])
    image = small.resize(size, Image.Resampling.BICUBIC)
    out = io.BytesIO()
    if taken is not None and fmt == "JPEG":
        exif = Image.Exif()
        exif[0x0132] = f"{taken:%Y:%m:%d %H:%M:%S}"
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def picture_file(seed: int, name: str = "photo.jpg", **kwargs) -> ContentFile:
    return ContentFile(picture(seed, **kwargs), name=name)


def clip(directory: Path, seconds: int, name: str | None = None, source: str = "testsrc") -> Path:
    """A small H.264 clip made by ffmpeg (320×240, 10 frames a second)."""
    path = Path(directory) / (name or f"clip{seconds}.mp4")
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"{source}=duration={seconds}:size=320x240:rate=10",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path


def upload_photo(training_class, seed: int, scene: str = "theory", actor=SYSTEM, **kwargs):
    from upskill.supervision.services import evidence_upload

    return evidence_upload(
        actor=actor,
        training_class=training_class,
        media="photo",
        scene=scene,
        specialty=training_class.catalog_entry.occupation.name,
        upload=picture_file(seed, name=f"{scene}-{seed}.jpg", **kwargs),
    )


def upload_video(training_class, path: Path, scene: str = "theory", actor=SYSTEM):
    from upskill.supervision.services import evidence_upload

    with open(path, "rb") as handle:
        upload = ContentFile(handle.read(), name=path.name)
    return evidence_upload(
        actor=actor,
        training_class=training_class,
        media="video",
        scene=scene,
        specialty=training_class.catalog_entry.occupation.name,
        upload=upload,
    )


def inspect(training_class, kind: str, mode: str = "on_site", actor=SYSTEM, seed: int = 900):
    from upskill.supervision.services import Screenshot, inspection_record

    screenshots = (
        [Screenshot("banner", picture_file(seed, name="banner.png", fmt="PNG"))]
        if mode == "video"
        else []
    )
    return inspection_record(
        actor=actor,
        training_class=training_class,
        kind=kind,
        mode=mode,
        held_at=timezone.make_aware(datetime(2023, 5, 8, 9, 0)),
        findings="横幅、签到表、教师在岗，学员到课",
        result="satisfactory",
        screenshots=screenshots,
    )


def complete_records(training_class, enrolments) -> None:
    """GA23-SYS-1 records of a running class: first lesson, attendance at every lesson, every
    trainee's survey."""
    from upskill.training import services

    services.first_lesson_record(
        actor=SYSTEM,
        training_class=training_class,
        date=training_class.start_date,
        content="政策宣讲：补贴政策、考勤纪律",
    )
    for lesson in training_class.lessons.all():
        services.attendance_mark_all_present(actor=SYSTEM, lesson=lesson)
    for enrolment in enrolments:
        services.survey_answer(
            training_class=training_class,
            id_number=enrolment.person.id_number,
            name=enrolment.person.name,
            answers={"content": 5, "teachers": 5, "practice": 5, "organisation": 4},
        )
