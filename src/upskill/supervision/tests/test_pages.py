"""Pages, the upload endpoints the page's script uses, and the JSON API of supervision."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for
from upskill.supervision import selectors, services
from upskill.supervision.models import Evidence, Sanction

from .factories import clip, complete_records, inspect, picture, upload_photo, upload_video


def _start(client, training_class, data: bytes, name: str, media="photo", scene="theory"):
    return client.post(
        reverse("supervision:upload_start", args=[training_class.pk]),
        {
            "media": media,
            "scene": scene,
            "specialty": "中式烹调师",
            "filename": name,
            "size": str(len(data)),
        },
    )


def _chunk(client, url: str, offset: int, data: bytes):
    return client.post(f"{url}?offset={offset}", {"chunk": SimpleUploadedFile("chunk", data)})


def test_the_page_script_uploads_in_chunks_and_resumes(client, make_class, make_user, settings):
    settings.UPSKILL_UPLOAD_CHUNK_BYTES = 2048
    training_class = make_class()
    client.force_login(make_user("inst1", "clerk"))
    data = picture(31, size=(500, 400), fmt="PNG")
    answer = _start(client, training_class, data, "opening.png", scene="opening")
    assert answer.status_code == 201, answer.content
    session = answer.json()
    assert session["offset"] == 0 and session["chunk_size"] == 2048
    assert _chunk(client, session["url"], 0, data[:2048]).json()["offset"] == 2048
    # the same chunk again (the answer was lost): 409 and where to resume
    again = _chunk(client, session["url"], 0, data[:2048])
    assert again.status_code == 409 and again.json()["offset"] == 2048
    assert client.get(session["url"]).json()["offset"] == 2048
    offset = 2048
    while offset < len(data):
        offset = _chunk(client, session["url"], offset, data[offset : offset + 2048]).json()[
            "offset"
        ]
    done = client.post(session["finish_url"])
    assert done.status_code == 201, done.content
    evidence = Evidence.objects.get(pk=done.json()["evidence"])
    assert (evidence.width, evidence.height) == (500, 400)
    file = client.get(reverse("supervision:evidence_file", args=[evidence.pk]))
    assert b"".join(file.streaming_content) == data
    assert file["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_what_it_says_is_refused_with_a_message(client, make_class, make_user):
    training_class = make_class()
    client.force_login(make_user("inst1", "clerk"))
    data = b"just some text, not a video\n" * 20
    session = _start(client, training_class, data, "exam.mp4", media="video", scene="exam").json()
    _chunk(client, session["url"], 0, data)
    refused = client.post(session["finish_url"])
    assert refused.status_code == 400
    assert "not a playable video" in refused.json()["error"]
    assert not Evidence.objects.exists()
    assert _start(client, training_class, data, "exam.exe").status_code == 400


def test_class_page_for_the_inspector_and_the_clerk(client, make_class, make_user, tmp_path):
    training_class = make_class()
    inspect(training_class, "opening", mode="video")
    upload_photo(training_class, seed=32, scene="practice")
    upload_video(training_class, clip(tmp_path, 30), scene="theory")
    url = reverse("supervision:class_page", args=[training_class.pk])
    client.force_login(make_user("gongan", "inspector"))
    page = client.get(url).content.decode()
    assert 'data-testid="inspection-form"' in page and 'data-testid="upload-form"' not in page
    assert 'data-testid="compliance"' in page and 'data-ok="false"' in page
    assert "GA23-VID-1" in page and "✘" in page
    client.force_login(make_user("inst1", "clerk"))
    page = client.get(url).content.decode()
    assert 'data-testid="upload-form"' in page and 'data-testid="inspection-form"' not in page
    fragment = client.get(reverse("supervision:compliance", args=[training_class.pk]))
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    # a township centre sees the class in training, but not its supervision records
    client.force_login(make_user("township:421022101", "clerk"))
    assert client.get(url).status_code == 403


def test_inspector_records_an_inspection_with_screenshots(client, make_class, make_user):
    training_class = make_class()
    client.force_login(make_user("gongan", "inspector"))
    response = client.post(
        reverse("supervision:inspection_record", args=[training_class.pk]),
        {
            "kind": "opening",
            "mode": "video",
            "held_at": "2023-05-08T09:00",
            "findings": "横幅清晰，签到表完整",
            "result": "satisfactory",
            "shot_banner": SimpleUploadedFile("banner.jpg", picture(33)),
            "shot_sign_in": SimpleUploadedFile("sign.png", picture(34, fmt="PNG")),
        },
    )
    assert response.status_code == 302
    inspection = training_class.inspections.get()
    assert sorted(inspection.screenshots.values_list("label", flat=True)) == ["banner", "sign_in"]
    detail = client.get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert detail.content.decode().count('data-testid="screenshot"') == 2


def test_signals_spot_checks_and_the_institution_section(
    client, make_class, make_user, enrol, world
):
    mine, other = make_class(), make_class(organisation="inst2")
    enrol(mine, 4)
    upload_photo(mine, seed=35)
    upload_photo(other, seed=35)
    inspector = make_user("gongan", "inspector")
    client.force_login(inspector)
    listing = client.get(reverse("supervision:signal_list")).content.decode()
    assert listing.count('data-testid="signal-row"') == 1
    signal = selectors.signals(actor=inspector).get()
    detail = client.get(reverse("supervision:signal_detail", args=[signal.pk])).content.decode()
    assert 'data-testid="left-picture"' in detail and 'data-testid="right-picture"' in detail
    client.post(
        reverse("supervision:signal_review", args=[signal.pk]),
        {"outcome": "dismissed", "note": "同一场地的横幅，正常"},
    )
    signal.refresh_from_db()
    assert signal.status == "dismissed"
    assert client.post(reverse("supervision:signal_scan")).status_code == 302
    response = client.post(
        reverse("supervision:spot_check_list"),
        {"organisation": world["inst1"].pk, "subject": "trainees", "method": "phone", "size": 4},
    )
    assert response.status_code == 302
    section = client.get(
        reverse("supervision:institution", args=[world["inst1"].pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="institution-supervision"' in section and "<html" not in section
    # the institution sees its sanctions, not the bureau's spot checks or signals
    services.sanction_blacklist(actor=SYSTEM, organisation=world["inst1"], reason="虚假培训")
    client.force_login(make_user("inst1", "admin"))
    own = client.get(reverse("supervision:institution", args=[world["inst1"].pk]))
    assert b'data-testid="blacklisted"' in own.content and b"spot-check" not in own.content
    assert client.get(reverse("supervision:signal_list")).status_code == 403


def test_public_criticism_is_public(client, world):
    Sanction.objects.create(
        organisation=world["inst2"],
        kind="public_criticism",
        rule="GA23-SPT-1",
        reason="GA23-SPT-1: 第二次抽查不合格率超过10%",
        valid_from="2023-09-01",
    )
    page = client.get(reverse("supervision:public_criticisms"))
    assert page.status_code == 200 and world["inst2"].name in page.content.decode()


def test_api_upload_and_compliance_with_a_partner_token(client, make_class, world, enrol):
    training_class = make_class()
    enrolments = enrol(training_class, 1)
    complete_records(training_class, enrolments)
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        role=role_for(world["inst1"].kind, "clerk"),
        name="机构系统",
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    data = picture(36)
    started = client.post(
        "/api/supervision/uploads",
        {
            "class_id": training_class.pk,
            "media": "photo",
            "scene": "opening",
            "specialty": "中式烹调师",
            "filename": "opening.jpg",
            "size": len(data),
        },
        content_type="application/json",
        **auth,
    )
    assert started.status_code == 201, started.content
    upload_id = started.json()["id"]
    wrong = client.post(
        f"/api/supervision/uploads/{upload_id}/chunks?offset=5",
        {"chunk": SimpleUploadedFile("c", data)},
        **auth,
    )
    assert wrong.status_code == 409 and wrong.json()["offset"] == 0
    client.post(
        f"/api/supervision/uploads/{upload_id}/chunks?offset=0",
        {"chunk": SimpleUploadedFile("c", data)},
        **auth,
    )
    finished = client.post(f"/api/supervision/uploads/{upload_id}/finish", **auth)
    assert finished.status_code == 201 and finished.json()["width"] == 320
    checklist = client.get(
        f"/api/supervision/classes/{training_class.pk}/compliance", **auth
    ).json()
    assert checklist["ok"] is False
    items = {i["key"]: i for i in checklist["items"]}
    assert items["first_lesson"]["ok"] and not items["photos"]["ok"]
    assert client.get("/api/supervision/evidence", **auth).json()["count"] == 1
    assert client.get("/api/supervision/signals", **auth).status_code == 403


def test_class_list_and_the_section_on_the_organisation_page(client, make_class, make_user, world):
    training_class = make_class()
    inspect(training_class, "opening")
    upload_photo(training_class, seed=37)
    make_class(organisation="inst2")
    client.force_login(make_user("inst1", "clerk"))
    listing = client.get(reverse("supervision:class_list")).content.decode()
    assert listing.count('data-testid="supervision-class"') == 1
    assert reverse("supervision:class_page", args=[training_class.pk]) in listing
    client.force_login(make_user("gongan", "inspector"))
    listing = client.get(reverse("supervision:class_list")).content.decode()
    assert listing.count('data-testid="supervision-class"') == 2
    page = client.get(reverse("organisations:detail", args=[world["inst1"].pk])).content.decode()
    assert reverse("supervision:institution", args=[world["inst1"].pk]) in page
    client.force_login(make_user("township:421022101", "clerk"))
    assert client.get(reverse("supervision:class_list")).status_code == 403
