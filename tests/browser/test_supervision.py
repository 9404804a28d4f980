"""Supervision journeys (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SPT-1): an
inspector records inspections with screenshots; an institution uploads photos and a 30-second
and a 70-second video and sees which satisfy the rule; the checklist turns green; a re-used
photo in another class is flagged; a spot check with 2 failures of 10 brings a rectification
order. Test media are generated (Pillow pictures, ffmpeg clips)."""

from __future__ import annotations

import shutil

import pytest

from upskill.supervision.models import Sanction, Signal
from upskill.supervision.tests.factories import clip, complete_records, picture, upload_photo
from upskill.training.tests import factories as training

from .conftest import log_in


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPSKILL_UPLOAD_CHUNK_BYTES = 64 * 1024  # videos go up in several chunks


@pytest.fixture
def running_class(world, make_person):
    training.catalog_entries()
    training_class = training.make_class(world, status="running")
    enrolments = training.enrol(training_class, make_person, 2)
    complete_records(training_class, enrolments)
    return training_class


def _record_inspection(page, kind: str, mode: str, shots: dict, findings: str) -> None:
    page.click("[data-testid=record-inspection]")
    form = page.locator("[data-testid=inspection-form]")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("select[name=mode]").select_option(mode)
    form.locator("input[name=held_at]").fill("2023-05-08T09:30")
    form.locator("textarea[name=findings]").fill(findings)
    form.locator("select[name=result]").select_option("satisfactory")
    for label, path in shots.items():
        form.locator(f"input[name=shot_{label}]").set_input_files(str(path))
    with page.expect_navigation():
        form.locator("[data-testid=save-inspection]").click()


def _upload(page, path, media: str, scene: str) -> None:
    form = page.locator("[data-testid=upload-form]")
    form.locator("[data-testid=upload-media]").select_option(media)
    form.locator("[data-testid=upload-scene]").select_option(scene)
    form.locator("[data-testid=upload-file]").set_input_files(str(path))
    form.locator("[data-testid=upload-submit]").click()
    status = page.locator("[data-testid=upload-status].message")
    status.wait_for()
    assert "success" in status.get_attribute("class"), status.inner_text()
    assert path.name in status.inner_text()


def test_inspections_evidence_and_the_checklist_turns_green(
    page, make_user, running_class, tmp_path
):
    make_user("gongan", "inspector", username="insp_s")
    make_user("inst1", "clerk", username="clerk_s")
    url = f"/supervision/classes/{running_class.pk}/"
    shots = {}
    for seed, label in enumerate(("banner", "sign_in", "teacher", "panorama", "close_up")):
        shots[label] = tmp_path / f"{label}.png"
        shots[label].write_bytes(picture(700 + seed, fmt="PNG"))

    log_in(page, "insp_s")
    page.goto(url)
    assert page.get_attribute("[data-testid=compliance]", "data-ok") == "false"
    _record_inspection(
        page,
        "opening",
        "video",
        {k: shots[k] for k in ("banner", "sign_in")},
        "开班：横幅、签到表齐全",
    )
    _record_inspection(page, "during", "on_site", {}, "现场检查：教师授课，学员在场")
    _record_inspection(
        page,
        "closing",
        "video",
        {k: shots[k] for k in ("teacher", "panorama", "close_up")},
        "结业：全景与学员特写",
    )
    assert page.locator("[data-testid=inspection-row]").count() == 3
    _record_inspection(page, "exam", "on_site", {}, "结业考试现场督考")  # GA23-EXM-1
    assert page.get_attribute("[data-testid=check-inspections]", "data-ok") == "true"
    assert page.get_attribute("[data-testid=check-exam]", "data-ok") == "true"
    page.click("text=退出")

    log_in(page, "clerk_s")
    page.goto(url)
    for seed, scene in enumerate(("opening", "theory", "practice", "exam")):
        photo = tmp_path / f"{scene}.jpg"
        photo.write_bytes(picture(710 + seed, size=(640, 480)))
        _upload(page, photo, "photo", scene)
    assert page.get_attribute("[data-testid=check-photos]", "data-ok") == "true"
    short = clip(tmp_path, 30, name="theory30.mp4")
    long = clip(tmp_path, 70, name="theory70.mp4")
    _upload(page, short, "video", "theory")
    assert page.get_attribute("[data-testid=check-videos]", "data-ok") == "false"
    assert "✘" in page.inner_text("[data-testid='video-theory30.mp4'] [data-testid=video-ok]")
    _upload(page, long, "video", "theory")
    assert "✔" in page.inner_text("[data-testid='video-theory70.mp4'] [data-testid=video-ok]")
    for scene in ("practice", "exam"):
        copy = tmp_path / f"{scene}70.mp4"
        shutil.copy(long, copy)
        _upload(page, copy, "video", scene)
    assert page.get_attribute("[data-testid=check-videos]", "data-ok") == "true"
    assert page.get_attribute("[data-testid=compliance]", "data-ok") == "true"
    page.reload()
    page.locator("[data-testid=compliance-ok]").wait_for(state="visible")


def test_a_text_file_named_mp4_is_refused(page, make_user, running_class, tmp_path):
    make_user("inst1", "clerk", username="clerk_t")
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"not a video\n" * 100)
    log_in(page, "clerk_t")
    page.goto(f"/supervision/classes/{running_class.pk}/")
    form = page.locator("[data-testid=upload-form]")
    form.locator("[data-testid=upload-media]").select_option("video")
    form.locator("[data-testid=upload-file]").set_input_files(str(fake))
    form.locator("[data-testid=upload-submit]").click()
    page.locator("[data-testid=upload-status].error").wait_for()
    assert running_class.evidence.count() == 0


def test_a_reused_photo_in_another_class_is_flagged(
    page, make_user, running_class, world, tmp_path
):
    other = training.make_class(world, organisation="inst2", status="running")
    upload_photo(other, seed=720, scene="practice")
    make_user("inst1", "clerk", username="clerk_r")
    make_user("gongan", "inspector", username="insp_r")
    reused = tmp_path / "practice.jpg"
    reused.write_bytes(picture(720, size=(800, 600)))

    log_in(page, "clerk_r")
    page.goto(f"/supervision/classes/{running_class.pk}/")
    _upload(page, reused, "photo", "practice")
    page.click("text=退出")

    log_in(page, "insp_r")
    page.goto("/supervision/signals/")
    assert page.locator("[data-testid=signal-row]").count() == 1
    with page.expect_navigation():
        page.locator("[data-testid=signal-row] a").click()
    # wait_for: the pictures load after the page (a bare is_visible() raced the navigation)
    page.locator("[data-testid=left-picture]").wait_for(state="visible")
    page.locator("[data-testid=right-picture]").wait_for(state="visible")
    review = page.locator("[data-testid=review-form]")
    review.locator("select[name=outcome]").select_option("confirmed")
    review.locator("textarea[name=note]").fill("电话核实：照片取自阳光学校的班级")
    with page.expect_navigation():
        review.locator("button[type=submit]").click()
    signal = Signal.objects.get()
    assert signal.status == "confirmed" and signal.training_class == running_class
    assert not Sanction.objects.exists()  # a signal is never a sanction by itself


def test_a_spot_check_with_two_failures_of_ten_brings_a_rectification_order(
    page, make_user, running_class, make_person, world
):
    training.enrol(running_class, make_person, 10)
    make_user("gongan", "inspector", username="insp_p")
    log_in(page, "insp_p")
    page.goto("/supervision/spot-checks/")
    form = page.locator("[data-testid=draw-form]")
    form.locator("select[name=organisation]").select_option(str(world["inst1"].pk))
    form.locator("select[name=subject]").select_option("trainees")
    form.locator("select[name=method]").select_option("phone")
    form.locator("input[name=size]").fill("10")
    form.locator("[data-testid=draw]").click()
    page.wait_for_url("**/spot-checks/*/")
    assert page.locator("[data-testid=spot-item]").count() == 10
    for index in range(10):
        row = page.locator("[data-testid=spot-item]").nth(index)
        if index < 2:
            row.locator("[data-testid=item-result]").select_option("failed")
            row.locator("[data-testid=item-note]").fill("本人称未参加培训")
        with page.expect_navigation():
            row.locator("[data-testid=item-save]").click()
    with page.expect_navigation():
        page.click("[data-testid=close-spot-check]")
    assert "GA23-SPT-1" in page.inner_text("[data-testid=sanction]")
    sanction = Sanction.objects.get()
    assert sanction.kind == "rectification" and sanction.organisation == world["inst1"]
    page.goto(f"/supervision/organisations/{world['inst1'].pk}/")
    assert page.locator("[data-testid=sanction-row]").count() == 1
