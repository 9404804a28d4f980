"""Services of the supervision app: evidence facts read from the files (GA23-PHO-1,
GA23-VID-1), resumable uploads, the compliance checklist, fraud signals, spot checks and
sanctions (GA23-SPT-1, HB45-BLK-1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from upskill.core.models import UploadStatus
from upskill.core.scoping import SYSTEM
from upskill.supervision import services
from upskill.supervision.models import (
    Evidence,
    SanctionKind,
    Signal,
    SignalKind,
    SpotCheckItem,
)

from .factories import (
    clip,
    complete_records,
    inspect,
    picture,
    picture_file,
    upload_photo,
    upload_video,
)


def _start(training_class, data: bytes, name: str, media: str = "photo", scene: str = "theory"):
    return services.upload_start(
        actor=SYSTEM,
        training_class=training_class,
        media=media,
        scene=scene,
        specialty="中式烹调师",
        filename=name,
        size=len(data),
    )


def test_photo_facts_come_from_the_file_exif_when_present(make_class):
    """GA23-PHO-1: dimensions and the EXIF time are read from the picture."""
    training_class = make_class()
    taken = datetime(2023, 5, 8, 9, 12, 30)
    evidence = upload_photo(training_class, seed=1, size=(640, 480), taken=taken)
    assert (evidence.width, evidence.height, evidence.file_format) == (640, 480, "JPEG")
    assert timezone.localtime(evidence.exif_taken_at).replace(tzinfo=None) == taken
    assert evidence.hashes.count() == 1
    assert default_storage.exists(evidence.file.name)
    # EXIF is never required (a photo forwarded through WeChat loses it)
    plain = upload_photo(training_class, seed=2, scene="practice")
    assert plain.exif_taken_at is None and plain.width == 320


def test_a_png_named_jpg_is_an_image_but_a_text_named_mp4_is_refused(make_class):
    training_class = make_class()
    png = services.evidence_upload(
        actor=SYSTEM,
        training_class=training_class,
        media="photo",
        scene="exam",
        specialty="中式烹调师",
        upload=ContentFile(picture(3, fmt="PNG"), name="exam.jpg"),
    )
    assert png.file_format == "PNG"
    with pytest.raises(ValidationError, match="not a playable video"):
        services.evidence_upload(
            actor=SYSTEM,
            training_class=training_class,
            media="video",
            scene="theory",
            specialty="中式烹调师",
            upload=ContentFile(b"this is not a video at all\n" * 50, name="lesson.mp4"),
        )
    with pytest.raises(ValidationError, match="not a readable picture"):
        services.evidence_upload(
            actor=SYSTEM,
            training_class=training_class,
            media="photo",
            scene="exam",
            specialty="中式烹调师",
            upload=ContentFile(b"%PDF-1.4 not an image", name="exam.jpg"),
        )
    assert not Evidence.objects.filter(media="video").exists()
    # refused uploads leave no chunks behind
    assert (
        not default_storage.exists("supervision/uploads")
        or not default_storage.listdir("supervision/uploads")[1]
    )


def test_names_and_sizes_are_checked_before_anything_is_sent(make_class, settings):
    training_class = make_class()
    with pytest.raises(ValidationError, match="ends in"):
        _start(training_class, b"x" * 10, "notes.txt")
    settings.UPSKILL_EVIDENCE_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="at most"):
        _start(training_class, b"x" * 2000, "big.jpg")
    with pytest.raises(ValidationError, match="shows one of"):
        _start(training_class, b"x" * 10, "a.mp4", media="video", scene="opening")


def test_video_duration_and_codec_come_from_ffprobe(make_class, tmp_path):
    """GA23-VID-1: a 30-second video does not count, a 70-second one does."""
    training_class = make_class()
    short = upload_video(training_class, clip(tmp_path, 30), scene="theory")
    long = upload_video(training_class, clip(tmp_path, 70), scene="practice")
    assert short.codec == "h264" and (short.width, short.height) == (320, 240)
    assert Decimal("29") < short.duration < Decimal("31")
    assert Decimal("69") < long.duration < Decimal("71")
    assert long.hashes.count() >= 2  # keyframes
    videos = {i.key: i for i in services.class_compliance(training_class=training_class).items}[
        "videos"
    ]
    assert not videos.ok
    assert any("30" in m and "60" in m for m in videos.missing)


def test_chunks_resume_from_the_offset_the_server_holds(make_class, settings):
    settings.UPSKILL_UPLOAD_CHUNK_BYTES = 4096
    training_class = make_class()
    data = picture(5, size=(800, 600), fmt="PNG")
    assert len(data) > 3 * 4096
    session = _start(training_class, data, "practice.png", scene="practice")
    session = services.upload_append(
        actor=SYSTEM, session=session, offset=0, chunk=ContentFile(data[:4096])
    )
    # the client lost the answer and sends the first chunk again: told where to resume
    with pytest.raises(services.OffsetMismatch) as mismatch:
        services.upload_append(actor=SYSTEM, session=session, offset=0, chunk=data[:4096])
    assert mismatch.value.offset == 4096
    offset = mismatch.value.offset
    while offset < len(data):
        session = services.upload_append(
            actor=SYSTEM, session=session, offset=offset, chunk=data[offset : offset + 4096]
        )
        offset = session.offset
    evidence = services.upload_finish(actor=SYSTEM, session=session)
    with evidence.file.open("rb") as handle:
        assert handle.read() == data
    session.refresh_from_db()
    assert session.status == UploadStatus.DONE
    assert not default_storage.exists(session.part_name(0))
    with pytest.raises(ValidationError):
        services.upload_append(actor=SYSTEM, session=session, offset=offset, chunk=b"x")


def test_finish_refuses_an_incomplete_upload_and_a_chunk_past_the_size(make_class):
    training_class = make_class()
    data = picture(6)
    session = _start(training_class, data, "a.jpg")
    services.upload_append(actor=SYSTEM, session=session, offset=0, chunk=data[:100])
    with pytest.raises(services.OffsetMismatch):
        services.upload_finish(actor=SYSTEM, session=session)
    with pytest.raises(ValidationError, match="larger than announced"):
        services.upload_append(actor=SYSTEM, session=session, offset=100, chunk=data + b"x")


def test_only_the_organiser_uploads(make_class, make_user):
    training_class = make_class()
    other = make_user("inst2", "clerk")
    from django.http import Http404

    with pytest.raises(Http404):
        _start_as(other, training_class)
    teacher = make_user("inst1", "teacher")
    with pytest.raises(PermissionDenied):
        _start_as(teacher, training_class)
    clerk = make_user("inst1", "clerk")
    assert _start_as(clerk, training_class).organisation_id == training_class.organisation_id


def _start_as(actor, training_class):
    return services.upload_start(
        actor=actor,
        training_class=training_class,
        media="photo",
        scene="theory",
        specialty="中式烹调师",
        filename="a.jpg",
        size=10,
    )


def test_a_video_inspection_needs_screenshots(make_class, make_user):
    """GA23-INS-1."""
    training_class = make_class()
    inspector = make_user("gongan", "inspector")
    with pytest.raises(ValidationError, match="screenshots"):
        services.inspection_record(
            actor=inspector,
            training_class=training_class,
            kind="opening",
            mode="video",
            held_at=timezone.now() - timedelta(hours=1),
            findings="远程视频检查",
            result="satisfactory",
        )
    inspection = inspect(training_class, "opening", mode="video", actor=inspector)
    assert inspection.screenshots.get().label == "banner"
    assert inspection.inspector == inspector and inspection.bureau.pk == inspector.organisation_id
    with pytest.raises(PermissionDenied):
        inspect(training_class, "closing", actor=make_user("inst1", "admin"))


def test_the_checklist_turns_green_rule_by_rule(make_class, enrol, tmp_path):
    """GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SYS-1 from the parameters in force."""
    training_class = make_class()
    enrolments = enrol(training_class, 2)
    compliance = services.class_compliance(training_class=training_class)
    assert not compliance.ok
    assert {i.rule for i in compliance.items} == {
        "GA23-INS-1",
        "GA23-PHO-1",
        "GA23-VID-1",
        "GA23-EXM-1",
        "GA23-SYS-1",
    }
    inspect(training_class, "opening", mode="video")
    inspect(training_class, "during")
    items = {i.key: i for i in services.class_compliance(training_class=training_class).items}
    assert not items["inspections"].ok
    assert any("closing" in m for m in items["inspections"].missing)
    inspect(training_class, "closing")
    inspect(training_class, "exam")
    for seed, scene in enumerate(("opening", "theory", "practice", "exam")):
        upload_photo(training_class, seed=100 + seed, scene=scene)
    long = clip(tmp_path, 61)
    for scene in ("theory", "practice", "exam"):
        upload_video(training_class, long, scene=scene)
    items = {i.key: i for i in services.class_compliance(training_class=training_class).items}
    assert all(items[k].ok for k in ("inspections", "photos", "videos", "exam"))
    assert not items["first_lesson"].ok and not items["survey"].ok
    complete_records(training_class, enrolments)
    compliance = services.class_compliance(training_class=training_class)
    assert compliance.ok, compliance.missing
    # the same video in three scenes of one class is no fraud signal
    assert not Signal.objects.exists()


def test_no_rule_outside_the_region_and_period_of_the_parameters(make_class):
    training_class = make_class(start=date(2024, 5, 6), end=date(2024, 5, 17))
    assert services.class_compliance(training_class=training_class).items == ()
    assert services.class_compliance(training_class=training_class).ok


def test_the_same_picture_in_another_class_is_flagged(make_class):
    mine = make_class()
    other = make_class(organisation="inst2")
    first = upload_photo(mine, seed=7, scene="practice")
    upload_photo(mine, seed=8, scene="theory")
    assert not Signal.objects.exists()
    # re-encoded at another size: nearly the same hash
    again = services.evidence_upload(
        actor=SYSTEM,
        training_class=other,
        media="photo",
        scene="practice",
        specialty="中式烹调师",
        upload=picture_file(7, name="copy.png", size=(400, 300), fmt="PNG"),
    )
    signal = Signal.objects.get()
    assert signal.kind == SignalKind.DUPLICATE_PICTURE
    assert {signal.evidence_id, signal.other_evidence_id} == {first.pk, again.pk}
    assert signal.training_class == other and signal.other_class == mine
    assert signal.details["distance"] <= 3
    # a different picture is not
    upload_photo(other, seed=9, scene="theory")
    assert Signal.objects.count() == 1


def _qr_class(make_class, enrol, n: int):
    training_class = make_class()
    enrolments = enrol(training_class, n)
    lesson = training_class.lessons.first()
    start = timezone.make_aware(datetime.combine(lesson.date, lesson.start_time))
    return training_class, enrolments, lesson, start


def test_many_qr_check_ins_within_seconds_and_from_one_device_are_flagged(
    make_class, enrol, make_user
):
    from upskill.training.services import attendance_check_in

    _class, enrolments, lesson, start = _qr_class(make_class, enrol, 5)
    for index, enrolment in enumerate(enrolments):
        attendance_check_in(
            lesson=lesson,
            id_number=enrolment.person.id_number,
            name=enrolment.person.name,
            device_id="phone-A" if index < 3 else f"phone-{index}",
            now=start - timedelta(minutes=5) + timedelta(seconds=2 * index),
        )
    inspector = make_user("gongan", "inspector")
    assert services.signals_scan(actor=inspector) == 2
    kinds = set(Signal.objects.values_list("kind", flat=True))
    assert kinds == {SignalKind.CHECK_IN_BURST, SignalKind.SHARED_DEVICE}
    assert services.signals_scan(actor=inspector) == 0  # raised once


def test_teacher_marked_attendance_is_bulk_by_nature_and_not_flagged(make_class, enrol, make_user):
    from upskill.training.services import attendance_mark_all_present

    training_class = make_class()
    enrol(training_class, 8)
    attendance_mark_all_present(actor=SYSTEM, lesson=training_class.lessons.first())
    assert services.signals_scan(actor=make_user("gongan", "inspector")) == 0


def test_a_trainee_present_at_overlapping_lessons_of_two_classes(
    make_class, make_person, make_user
):
    from upskill.training.services import attendance_mark, enrolment_create

    first = make_class()
    second = make_class(organisation="inst2", entry="electrician")
    person = make_person()
    for training_class in (first, second):
        enrolment = enrolment_create(
            actor=SYSTEM,
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
        )
        attendance_mark(
            actor=SYSTEM,
            lesson=training_class.lessons.first(),
            enrolment=enrolment,
            status="present",
        )
    assert services.signals_scan(actor=make_user("gongan", "inspector")) == 1
    signal = Signal.objects.get()
    assert signal.kind == SignalKind.OVERLAPPING_LESSONS and signal.person == person


def test_signals_are_reviewed_by_a_person_never_a_sanction(make_class, make_user):
    mine, other = make_class(), make_class(organisation="inst2")
    upload_photo(mine, seed=11)
    upload_photo(other, seed=11)
    signal = Signal.objects.get()
    inspector = make_user("gongan", "inspector")
    assert not services.institution_is_blocked(other.organisation)
    with pytest.raises(ValidationError, match="Confirm"):
        services.sanction_blacklist(
            actor=inspector, organisation=other.organisation, signal=signal, reason="套取"
        )
    with pytest.raises(ValidationError):
        services.signal_review(actor=inspector, signal=signal, outcome="confirmed", note=" ")
    services.signal_review(
        actor=inspector, signal=signal, outcome="confirmed", note="电话核实：照片为他班所拍"
    )
    assert not services.institution_is_blocked(other.organisation)
    sanction = services.sanction_blacklist(
        actor=inspector, organisation=other.organisation, signal=signal, reason="虚假培训"
    )
    assert sanction.rule == "HB45-BLK-1"
    assert services.institution_is_blocked(other.organisation)
    assert not services.institution_is_blocked(mine.organisation)


def test_a_blacklisted_institution_files_no_class(make_class, world):
    """HB45-BLK-1 through the training app's hook."""
    from upskill.training import services as training

    draft = make_class(organisation="inst2", status="draft")
    services.sanction_blacklist(actor=SYSTEM, organisation=world["inst2"], reason="虚假培训")
    with pytest.raises(ValidationError, match="HB45-BLK-1"):
        make_class(organisation="inst2", status="draft")
    with pytest.raises(ValidationError, match="HB45-BLK-1"):
        training.class_transition(actor=SYSTEM, training_class=draft, action="submit")
    make_class(organisation="inst1", status="draft")  # others are not affected
    assert not services.institution_is_blocked(world["inst2"], on=date(2020, 1, 1))


def _spot_check(world, make_class, enrol, failures: int, inspector, on=date(2023, 6, 1)):
    if not SpotCheckItem.objects.exists():
        training_class = make_class()
        enrol(training_class, 12)
    spot_check = services.spot_check_draw(
        actor=inspector,
        organisation=world["inst1"],
        subject="trainees",
        method="phone",
        size=10,
        on=on,
        seed="fixed",
    )
    for index, item in enumerate(spot_check.items.all()):
        services.spot_check_item_record(
            actor=inspector,
            item=item,
            result="failed" if index < failures else "verified",
            note="本人称未参加培训" if index < failures else "",
        )
    return services.spot_check_close(actor=inspector, spot_check=spot_check)


def test_spot_checks_above_ten_percent_bring_rectification_then_public_criticism(
    world, make_class, enrol, make_user
):
    """GA23-SPT-1: failure rate > 10 % (parameter spot_check.max_failure_share)."""
    inspector = make_user("gongan", "inspector")
    fine = _spot_check(world, make_class, enrol, 1, inspector)
    assert fine.spot_check.failure_rate == Decimal("0.1") and fine.sanction is None
    first = _spot_check(world, make_class, enrol, 2, inspector)
    assert first.spot_check.violation and first.sanction.kind == SanctionKind.RECTIFICATION
    assert "GA23-SPT-1" in first.sanction.reason
    assert "(20%)" in first.sanction.reason and "10%" in first.sanction.reason  # not 2E+1
    second = _spot_check(world, make_class, enrol, 3, inspector)
    assert second.sanction.kind == SanctionKind.PUBLIC_CRITICISM
    # the draw is reproducible from its seed
    assert first.spot_check.seed == "fixed"
    assert list(first.spot_check.items.values_list("enrolment_id", flat=True)) == list(
        second.spot_check.items.values_list("enrolment_id", flat=True)
    )


def test_a_spot_check_closes_only_when_every_item_is_recorded(world, make_class, enrol, make_user):
    inspector = make_user("gongan", "inspector")
    enrol(make_class(), 3)
    spot_check = services.spot_check_draw(
        actor=inspector, organisation=world["inst1"], subject="classes", method="on_site", size=5
    )
    assert spot_check.items.count() == 1  # the institution has one class
    with pytest.raises(ValidationError, match="not checked"):
        services.spot_check_close(actor=inspector, spot_check=spot_check)
    with pytest.raises(ValidationError, match="did not check out"):
        services.spot_check_item_record(
            actor=inspector, item=spot_check.items.get(), result="failed"
        )
    with pytest.raises(PermissionDenied):
        services.spot_check_draw(
            actor=make_user("gongan", "reviewer"),
            organisation=world["inst1"],
            subject="classes",
            method="phone",
            size=1,
        )


def test_a_scheduled_inspection_is_recorded_once(make_class, make_user):
    training_class = make_class()
    inspector = make_user("gongan", "inspector")
    planned = services.inspection_schedule(
        actor=inspector,
        training_class=training_class,
        kind="during",
        mode="on_site",
        planned_at=timezone.now() - timedelta(days=1),
    )
    assert planned.status == "scheduled"
    done = services.inspection_record(
        actor=inspector,
        inspection=planned,
        held_at=timezone.now() - timedelta(hours=2),
        findings="现场检查：实操课正常",
        result="issues",
    )
    assert done.pk == planned.pk and done.status == "done" and done.kind == "during"
    with pytest.raises(ValidationError, match="already"):
        services.inspection_record(
            actor=inspector,
            inspection=planned,
            held_at=timezone.now(),
            findings="再次",
            result="satisfactory",
        )
    shot = services.inspection_screenshot_add(
        actor=inspector, inspection=done, label="panorama", upload=picture_file(41)
    )
    assert (shot.width, shot.height) == (320, 240)


def test_evidence_is_withdrawn_by_its_organiser_unless_flagged(make_class, make_user):
    mine, other = make_class(), make_class(organisation="inst2")
    clerk = make_user("inst1", "clerk")
    mistaken = upload_photo(mine, seed=42, actor=clerk)
    name = mistaken.file.name
    services.evidence_remove(actor=clerk, evidence=mistaken)
    assert not Evidence.objects.filter(pk=mistaken.pk).exists()
    assert not default_storage.exists(name)
    flagged = upload_photo(mine, seed=43, actor=clerk)
    upload_photo(other, seed=43)
    with pytest.raises(ValidationError, match="reviewed"):
        services.evidence_remove(actor=clerk, evidence=flagged)


def test_a_spot_checks_sanction_reason_reads_in_the_readers_language(
    world, make_class, enrol, make_user, client
):
    """Issue 15.9: the reason a failed spot check writes is kept as its message and figures
    (core/stored_text.py) and shown in the reader's language on the pages and in the API; a
    blacklist's reason is the reviewer's own words, as typed."""
    from django.utils import translation

    inspector = make_user("gongan", "inspector")
    sanction = _spot_check(world, make_class, enrol, 2, inspector).sanction
    assert sanction.reason_text["params"]["failures"] == 2
    with translation.override("en"):
        english = sanction.reason_shown
    with translation.override("zh-hans"):
        chinese = sanction.reason_shown
    assert english.startswith("GA23-SPT-1: 2 of 10 sampled failed verification (20%), above")
    assert chinese.startswith("GA23-SPT-1：抽查的 10 个对象中有 2 个核验不合格（20%）")
    assert sanction.reason in (english, chinese)  # as written, for search

    client.force_login(inspector)  # the supervision tests' client reads in English
    url = f"/supervision/sanctions/{sanction.pk}/"
    page = client.get(url).content.decode()
    assert english in page and chinese not in page
    assert client.get(f"/api/supervision/sanctions/{sanction.pk}").json()["reason"] == english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get(url).content.decode()
    assert chinese in page and english not in page
    assert client.get(f"/api/supervision/sanctions/{sanction.pk}").json()["reason"] == chinese

    typed = services.sanction_blacklist(
        actor=SYSTEM, organisation=world["inst2"], reason="虚假培训"
    )
    with translation.override("en"):
        assert typed.reason_shown == "虚假培训" and typed.reason_text == {}
