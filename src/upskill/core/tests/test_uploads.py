"""The resumable chunked upload every app's large files go through (core/uploads.py): chunks
stored in order, a chunk sent twice or out of order refused with where to resume, the size
limits, the assembled file handed to its purpose's app, and a refusal that leaves nothing
half-written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from upskill.core import uploads
from upskill.core.media import MediaRefused, ffprobe
from upskill.core.models import Job, Upload, UploadStatus
from upskill.core.scoping import SYSTEM

PURPOSE = "core.test"


@pytest.fixture(autouse=True)
def _purpose(settings):
    settings.UPSKILL_UPLOAD_CHUNK_BYTES = 4
    uploads.purpose_register(PURPOSE, perm="registry.view_person", finish="core:upload")
    with translation.override("en"):  # the messages are matched in English
        yield
    uploads.PURPOSES.pop(PURPOSE, None)


def _open(world, data: bytes, *, max_bytes: int = 100, name: str = "clip.webm") -> Upload:
    return uploads.upload_open(
        actor=SYSTEM,
        purpose=PURPOSE,
        organisation=world["rural"],
        filename=name,
        size=len(data),
        max_bytes=max_bytes,
        details={"what": "a test"},
    )


def _send(upload: Upload, data: bytes) -> Upload:
    offset = 0
    while offset < len(data):
        upload = uploads.upload_append(
            actor=SYSTEM, upload=upload, offset=offset, chunk=data[offset : offset + 4]
        )
        offset = upload.offset
    return upload


def _job_of(upload: Upload, path: str, size: int, digest: str) -> uploads.Made:
    with open(path, "rb") as handle:
        content = handle.read()
    job = Job.objects.create(kind="test.upload", title=content.decode())
    return uploads.Made(job, {"size": size, "sha256": digest})


def test_chunks_in_order_are_assembled_and_handed_to_the_purpose(world):
    data = b"0123456789abc"
    upload = _send(_open(world, data), data)
    assert (upload.offset, upload.parts) == (13, 4)
    assert default_storage.exists(upload.part_name(0))
    assert upload.part_name(0).startswith("core/uploads/")
    job = uploads.upload_finish(actor=SYSTEM, upload=upload, make=_job_of)
    assert job.title == data.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.object_id == job.pk
    assert upload.facts["size"] == 13 and len(upload.facts["sha256"]) == 64
    assert upload.details == {"what": "a test"}
    assert not any(default_storage.exists(upload.part_name(i)) for i in range(4))
    with pytest.raises(ValidationError, match="finished"):
        uploads.upload_append(actor=SYSTEM, upload=upload, offset=13, chunk=b"x")


def test_a_chunk_sent_twice_or_out_of_order_is_refused_with_where_to_resume(world):
    data = b"0123456789"
    upload = uploads.upload_append(actor=SYSTEM, upload=_open(world, data), offset=0, chunk=b"0123")
    with pytest.raises(uploads.OffsetMismatch) as again:
        uploads.upload_append(actor=SYSTEM, upload=upload, offset=0, chunk=b"0123")
    assert again.value.offset == 4
    with pytest.raises(uploads.OffsetMismatch) as ahead:
        uploads.upload_append(actor=SYSTEM, upload=upload, offset=8, chunk=b"89")
    assert ahead.value.offset == 4
    upload.refresh_from_db()
    assert (upload.offset, upload.parts) == (4, 1)  # neither was stored
    assert not default_storage.exists(upload.part_name(1))
    # finishing before the last chunk is in: told where the upload stands
    with pytest.raises(uploads.OffsetMismatch):
        uploads.upload_finish(actor=SYSTEM, upload=upload, make=_job_of)
    upload = _send_from(upload, data, 4)
    assert uploads.upload_finish(actor=SYSTEM, upload=upload, make=_job_of).title == "0123456789"


def _send_from(upload: Upload, data: bytes, offset: int) -> Upload:
    while offset < len(data):
        upload = uploads.upload_append(
            actor=SYSTEM, upload=upload, offset=offset, chunk=data[offset : offset + 4]
        )
        offset = upload.offset
    return upload


def test_size_limits(world):
    with pytest.raises(ValidationError, match="at most"):
        _open(world, b"x" * 101)
    with pytest.raises(ValidationError, match="empty"):
        _open(world, b"")
    upload = _open(world, b"0123")
    with pytest.raises(ValidationError, match="A chunk has at most"):
        uploads.upload_append(actor=SYSTEM, upload=upload, offset=0, chunk=b"01234")
    upload = uploads.upload_append(actor=SYSTEM, upload=upload, offset=0, chunk=b"01")
    with pytest.raises(ValidationError, match="larger than announced"):
        uploads.upload_append(actor=SYSTEM, upload=upload, offset=2, chunk=b"234")
    with pytest.raises(PermissionDenied):  # a purpose no app registered
        uploads.upload_open(
            actor=SYSTEM,
            purpose="nobody.nothing",
            organisation=world["rural"],
            filename="a",
            size=1,
            max_bytes=1,
        )


def _video_job(upload: Upload, path: str, size: int, digest: str) -> uploads.Made:
    job = Job.objects.create(kind="test.video")  # written first: undone by the refusal
    if ffprobe(path) is None:
        raise MediaRefused("This file is not a playable video, whatever its name says.")
    return uploads.Made(job, {})


def test_not_a_video_is_refused_and_nothing_is_half_written(world):
    data = b"plain text, not a video"
    upload = _send(_open(world, data, name="lesson.webm"), data)
    with pytest.raises(ValidationError, match="not a playable video") as refused:
        uploads.upload_finish(actor=SYSTEM, upload=upload, make=_video_job)
    assert "file" in refused.value.message_dict
    assert not Job.objects.filter(kind="test.video").exists()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED and "not a playable video" in upload.message
    assert upload.object_id is None
    assert not any(default_storage.exists(upload.part_name(i)) for i in range(upload.parts))
    # the refused upload takes nothing more: its reason is the answer
    with pytest.raises(ValidationError, match="not a playable video"):
        uploads.upload_append(actor=SYSTEM, upload=upload, offset=upload.offset, chunk=b"x")


def test_the_upload_endpoint_says_where_it_stands(world, make_user, client):
    data = b"01234567"
    upload = _open(world, data)
    client.force_login(make_user("rural", "clerk"))
    url = f"/uploads/{upload.pk}/"
    answer = client.get(url).json()
    assert answer["offset"] == 0 and answer["chunk_size"] == 4 and answer["url"] == url
    sent = client.post(f"{url}?offset=0", {"chunk": SimpleUploadedFile("c", b"0123")})
    assert sent.status_code == 200 and sent.json()["offset"] == 4
    again = client.post(f"{url}?offset=0", {"chunk": SimpleUploadedFile("c", b"0123")})
    assert again.status_code == 409 and again.json()["offset"] == 4
    assert client.post(url).status_code == 400  # no chunk
    # a user of the organisation without the purpose's permission: 403; of another one: 404
    client.force_login(make_user("rural", "clerk"))
    uploads.PURPOSES[PURPOSE] = uploads.Purpose("core.view_job", "core:upload")
    assert client.get(url).status_code == 403
    client.force_login(make_user("gongan", "admin"))
    assert client.get(url).status_code == 404
