"""A platform operator adds a video lesson through the resumable chunked upload (issue 17,
core/uploads.py): the lesson form sends a small WebM (generated with ffmpeg) in parts with a
progress bar, the finished upload becomes the lesson with the length ffprobe read, and a file
that is not a video is refused with the reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from upskill.core.models import Upload, UploadStatus
from upskill.learning.models import Lesson, LessonMedium
from upskill.learning.tests import factories

from .conftest import log_in


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPSKILL_UPLOAD_CHUNK_BYTES = 16 * 1024  # the video goes up in several chunks


def _fill(form, section, title: str, required: str, path) -> None:
    form.locator("[name=lesson-section]").select_option(str(section.pk))
    form.locator("[name=lesson-title]").fill(title)
    form.locator("[name=lesson-medium]").select_option("video")
    form.locator("[name=lesson-required_seconds]").fill(required)
    form.locator("[name=lesson-file]").set_input_files(str(path))


def test_the_operator_uploads_a_video_lesson_in_parts(page, world, make_user, tmp_path):
    operator = factories.operator(make_user)
    course = factories.course(make_user, publish=False)
    section = course.sections.get()
    video = factories.webm(tmp_path, seconds=6)
    assert video.stat().st_size > 2 * 16 * 1024  # more than two chunks

    log_in(page, operator.username)
    page.goto(f"/learning/courses/{course.pk}/")
    form = page.get_by_test_id("lesson-form")
    _fill(form, section, "1.2 安全操作视频", "5", video)
    with page.expect_navigation(url=f"**/learning/courses/{course.pk}/"):
        form.get_by_test_id("add-lesson").click()
    row = page.get_by_test_id("section").locator("tr", has_text="1.2 安全操作视频")
    expect(row).to_contain_text("6 秒")  # the length read from the file, not typed
    lesson = Lesson.objects.get(title="1.2 安全操作视频")
    assert (lesson.medium, lesson.duration_seconds, lesson.required_seconds) == (
        LessonMedium.VIDEO,
        6,
        5,
    )
    upload = Upload.objects.get(object_id=lesson.pk, purpose="learning.lesson")
    assert upload.status == UploadStatus.DONE and upload.parts > 2
    with lesson.file.open("rb") as handle:
        assert handle.read() == video.read_bytes()

    # a text file named .webm: refused with the reason, no lesson made
    fake = tmp_path / "notes.webm"
    fake.write_bytes(b"these are notes, not a video\n" * 100)
    form = page.get_by_test_id("lesson-form")
    _fill(form, section, "1.3 假视频", "5", fake)
    form.get_by_test_id("add-lesson").click()
    status = page.get_by_test_id("lesson-upload-status")
    expect(status).to_have_class("upload-status message error")
    expect(status).not_to_be_empty()
    assert not Lesson.objects.filter(title="1.3 假视频").exists()
