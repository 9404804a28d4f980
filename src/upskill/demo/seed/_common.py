"""Helpers several stages share: a class planned, filed and enrolled, a supervised class, a claim
approved, and the pictures evidence is made of."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from upskill.catalog.models import CatalogEntry
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.subsidies import services as subsidy_services
from upskill.supervision import services as supervision_services
from upskill.training import services as training


def _entry(program: str, occupation: str):
    return (
        CatalogEntry.objects.filter(
            catalog__region__code="421022",
            catalog__year=2023,
            catalog__published_at__isnull=False,
            program=program,
            occupation__name=occupation,
        )
        .order_by("-catalog__version")
        .first()
    )


def _weekdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _plan(
    clerk,
    teacher_name,
    certificate,
    program,
    occupation,
    township,
    venue,
    days,
    theory_days,
    places,
    name,
    hours_per_lesson=None,
):
    """A class plan of ``days`` lessons (8 class hours a day unless told), theory first, with
    its teacher, filed by ``clerk`` (HB61-PRJ-1)."""
    hours_per_lesson = hours_per_lesson or Decimal(8)
    teacher = training.teacher_create(
        actor=clerk,
        name=teacher_name,
        certificate_kind="职业技能等级证书（二级）",
        certificate_number=certificate,
        phone="13907160000",
    )
    training_class = training.class_create(
        actor=clerk,
        name=name,
        catalog_entry=_entry(program, occupation),
        township=Region.objects.get(code=township),
        venue=venue,
        start_date=days[0],
        end_date=days[-1],
        planned_places=places,
        assessment_method="理论知识笔试（闭卷）与实际操作考核，均60分及格",
        teachers=[teacher],
    )
    for index, day in enumerate(days):
        training.lesson_create(
            actor=clerk,
            training_class=training_class,
            date=day,
            start_time=time(8, 30),
            end_time=time(17, 30),
            hours=hours_per_lesson,
            kind="theory" if index < theory_days else "practice",
            content=("政策宣讲与理论：" if index == 0 else "")
            + ("理论知识" if index < theory_days else "实际操作训练")
            + f"（第{index + 1}天）",
            teacher=teacher,
        )
    return training_class


def _enrol(clerk, training_class, persons) -> None:
    for person in persons:
        training.enrolment_create(
            actor=clerk,
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
        )


def _picture(seed: int, caption: str, fmt: str = "JPEG"):
    """A small generated picture (the demo has no camera)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), (rng.randrange(256), 200, rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(600), rng.randrange(440)
        shade = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + rng.randrange(40, 200), y + rng.randrange(30, 150)), shade)
    draw.text((20, 20), caption, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, fmt)
    suffix = "jpg" if fmt == "JPEG" else "png"
    return ContentFile(out.getvalue(), name=f"{caption}.{suffix}")


def _at(day: date, hour: int):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _supervise_class(
    training_class, *, inspector, clerk, specialty: str, seed: int, prefix: str
) -> None:
    """What makes a class's compliance checklist green (GA23-INS-1, GA23-PHO-1, GA23-VID-1,
    GA23-EXM-1): the inspector's four inspections (two by remote video, with screenshots), the
    institution's photos of the four scenes and, where ffmpeg is installed, a generated 65-second
    video of each of the three scenes."""
    lessons = list(training_class.lessons.order_by("date"))
    plan = (
        (
            "opening",
            "video",
            lessons[0].date,
            "开班检查：横幅、签到表、政策课均在",
            ("banner", "sign_in", "panorama"),
        ),
        ("during", "on_site", lessons[7].date, "现场检查：实操课，教师在岗，学员按计划实训", ()),
        (
            "closing",
            "video",
            lessons[-1].date,
            "结业检查：授课教师与学员听课特写清晰",
            ("teacher", "close_up"),
        ),
        ("exam", "on_site", lessons[-1].date, "结业考核现场督考：理论笔试与实操考核按规程进行", ()),
    )
    for index, (kind, mode, day, findings, shots) in enumerate(plan):
        supervision_services.inspection_record(
            actor=inspector,
            training_class=training_class,
            kind=kind,
            mode=mode,
            held_at=_at(day, 10 + index % 4),
            findings=findings,
            result="satisfactory",
            screenshots=[
                supervision_services.Screenshot(
                    label, _picture(seed + 100 + index * 10 + n, label, "PNG")
                )
                for n, label in enumerate(shots)
            ],
        )
    scenes = (
        ("opening", "开班全景含政策课"),
        ("theory", "理论课"),
        ("practice", "实操课"),
        ("exam", "考试考核"),
    )
    for index, (scene, caption) in enumerate(scenes):
        supervision_services.evidence_upload(
            actor=clerk,
            training_class=training_class,
            media="photo",
            scene=scene,
            specialty=specialty,
            caption=f"{specialty} {training_class.start_date:%Y-%m-%d} {caption}",
            upload=_picture(seed + index, f"{prefix}-{scene}"),
        )
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        with tempfile.TemporaryDirectory() as directory:
            for index, scene in enumerate(("theory", "practice", "exam")):
                path = Path(directory) / f"{prefix}-{scene}.mp4"
                subprocess.run(  # noqa: S603
                    [  # noqa: S607
                        "ffmpeg",
                        "-v",
                        "error",
                        "-y",
                        "-f",
                        "lavfi",
                        "-i",
                        f"testsrc2=duration=65:size=320x240:rate=5,hue=h={index * 90}",
                        "-pix_fmt",
                        "yuv420p",
                        str(path),
                    ],
                    check=True,
                    capture_output=True,
                )
                supervision_services.evidence_upload(
                    actor=clerk,
                    training_class=training_class,
                    media="video",
                    scene=scene,
                    specialty=specialty,
                    upload=ContentFile(path.read_bytes(), name=path.name),
                )


def _claim_approved(training_class, *, clerk, reviewer, fund):
    """The organiser's claim for a finished class, assembled with its documents, submitted,
    every line approved by the reviewer and past its public notice (HB45-PUB-1). Left as a
    draft when it cannot be submitted (the checklist is red without ffmpeg's videos)."""
    claim = subsidy_services.claim_assemble(actor=clerk, training_class=training_class)
    for check in subsidy_services.documents_checklist(claim):
        if not check.done:
            subsidy_services.claim_document_upload(
                actor=clerk,
                claim=claim,
                key=check.key,
                upload=ContentFile(b"%PDF-1.4 demo", name=f"{check.key}.pdf"),
            )
    try:
        subsidy_services.claim_submit(actor=clerk, claim=claim)
    except ValidationError:
        return claim
    subsidy_services.claim_take(actor=reviewer, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        subsidy_services.claim_line_decide(actor=reviewer, line=line, approve=True)
    claim = subsidy_services.claim_approve(
        actor=reviewer, claim=claim, fund=fund, today=training_class.end_date
    )
    subsidy_services.claim_release_due(actor=SYSTEM, today=claim.notice_until + timedelta(days=1))
    claim.refresh_from_db()
    return claim
