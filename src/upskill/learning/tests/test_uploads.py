"""A lesson's video through core's resumable upload (core/uploads.py, issue 17): the operator
opens the upload with the lesson's fields, the chunks follow, and finishing makes the lesson
with the length ffprobe reads; a file that is not a video is refused with the reason and
nothing is kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from upskill.core.models import UploadStatus
from upskill.core.uploads import upload_whole
from upskill.learning import services
from upskill.learning.models import Lesson, LessonMedium

from . import factories


@pytest.fixture
def section(make_user):
    return factories.course(make_user, publish=False).sections.get()


def _upload(operator, section, path, *, required_seconds: int = 5, title: str = "1.2 视频"):
    return upload_whole(
        actor=operator,
        upload_file=path,
        open_upload=lambda size, name: services.lesson_upload_start(
            actor=operator,
            section=section,
            title=title,
            required_seconds=required_seconds,
            filename=name,
            size=size,
        ),
    )


def test_a_lesson_is_made_from_a_finished_upload_with_the_probed_length(
    section, make_user, tmp_path, settings
):
    settings.UPSKILL_UPLOAD_CHUNK_BYTES = 16 * 1024  # several chunks
    operator = factories.operator(make_user)
    video = factories.webm(tmp_path, seconds=6)
    upload = _upload(operator, section, video)
    assert upload.parts > 1 and upload.organisation_id == section.course.platform_id
    lesson = services.lesson_upload_finish(actor=operator, upload=upload)
    assert lesson.medium == LessonMedium.VIDEO and lesson.content_type == "video/webm"
    assert lesson.duration_seconds == 6 and lesson.required_seconds == 5
    assert (lesson.title, lesson.position, lesson.section) == ("1.2 视频", 2, section)
    with lesson.file.open("rb") as handle:
        assert handle.read() == video.read_bytes()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.object_id == lesson.pk
    assert upload.facts["duration_seconds"] == 6


def test_a_file_that_is_not_a_video_is_refused_and_nothing_is_kept(section, make_user, tmp_path):
    operator = factories.operator(make_user)
    fake = tmp_path / "lesson.webm"
    fake.write_bytes(b"just text, whatever its name says\n" * 50)
    upload = _upload(operator, section, fake)
    with pytest.raises(ValidationError, match="not a playable video"):
        services.lesson_upload_finish(actor=operator, upload=upload)
    assert not Lesson.objects.filter(medium=LessonMedium.VIDEO).exists()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED and "not a playable video" in upload.message


def test_the_required_time_must_fit_in_the_video(section, make_user, tmp_path):
    operator = factories.operator(make_user)
    upload = _upload(operator, section, factories.webm(tmp_path, seconds=3), required_seconds=10)
    with pytest.raises(ValidationError, match="longer than the video"):
        services.lesson_upload_finish(actor=operator, upload=upload)
    assert not Lesson.objects.filter(medium=LessonMedium.VIDEO).exists()


def test_opening_checks_the_name_the_size_and_who(section, make_user, settings):
    operator = factories.operator(make_user)

    def start(actor=operator, **kwargs):
        fields = {"title": "视频", "required_seconds": 5, "filename": "a.webm", "size": 10}
        return services.lesson_upload_start(actor=actor, section=section, **{**fields, **kwargs})

    with pytest.raises(ValidationError, match="WebM or MP4"):
        start(filename="a.exe")
    settings.UPSKILL_LEARNING_VIDEO_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="at most"):
        start(size=2048)
    with pytest.raises(ValidationError):
        start(required_seconds=0)
    from django.http import Http404

    with pytest.raises((Http404, PermissionDenied)):
        start(actor=make_user("wh_ent1", "hr_clerk"))
    assert start().purpose == services.LESSON_UPLOAD


def test_the_operators_page_opens_sends_and_finishes(section, make_user, client, tmp_path):
    client.force_login(factories.operator(make_user))
    course = section.course
    video = factories.webm(tmp_path, seconds=4).read_bytes()
    started = client.post(
        reverse("learning:lesson_upload_start", args=[course.pk]),
        {
            "lesson-section": section.pk,
            "lesson-title": "1.3 视频",
            "lesson-medium": "video",
            "lesson-delivery": "online",
            "lesson-required_seconds": "4",
            "filename": "clip.webm",
            "size": str(len(video)),
        },
    )
    assert started.status_code == 201, started.content
    session = started.json()
    sent = client.post(
        f"{session['url']}?offset=0", {"chunk": SimpleUploadedFile("chunk", video)}
    ).json()
    assert sent["offset"] == len(video)
    done = client.post(session["finish_url"])
    assert done.status_code == 201, done.content
    lesson = Lesson.objects.get(pk=done.json()["lesson"])
    assert lesson.duration_seconds == 4 and done.json()["url"] == f"/learning/courses/{course.pk}/"
    page = client.get(done.json()["url"]).content.decode()
    assert "1.3 视频" in page
    # a document is not sent in parts: the form posts it whole
    refused = client.post(
        reverse("learning:lesson_upload_start", args=[course.pk]),
        {
            "lesson-section": section.pk,
            "lesson-title": "讲义",
            "lesson-medium": "document",
            "lesson-delivery": "online",
            "lesson-required_seconds": "4",
            "filename": "a.pdf",
            "size": "10",
        },
    )
    assert refused.status_code == 400 and refused.json()["error"]
