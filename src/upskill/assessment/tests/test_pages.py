"""Pages of the assessment app: the examiner's score sheet (htmx rows), the certificate PDF, the
public verification page (masked, "not found", rate limit), the worker's archive, the API."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from upskill.assessment.models import Attempt
from upskill.assessment.throttle import VERIFY_LIMIT

from .factories import certificate_of, examined_class


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_examiner_scores_a_row_with_htmx(world, make_person, make_user, client):
    session = examined_class(world, make_person, scores=((None, None),), close=False)
    attempt = session.attempts.get()
    client.force_login(make_user("inst1", "teacher"))
    page = client.get(f"/assessment/sessions/{session.pk}/")
    assert page.status_code == 200 and 'data-testid="close-session"' in page.content.decode()
    response = client.post(
        f"/assessment/attempts/{attempt.pk}/score/",
        {"theory_score": "75", "practical_score": "58"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'class="result-failed"' in response.content.decode()
    response = client.post(
        f"/assessment/attempts/{attempt.pk}/score/",
        {"theory_score": "175", "practical_score": "58"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="row-error"' in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).theory_score == 75


def test_the_bureau_reads_the_sheet_without_inputs(world, make_person, make_user, client):
    session = examined_class(world, make_person, scores=((70, 70),), close=False)
    client.force_login(make_user("gongan", "reviewer"))
    body = client.get(f"/assessment/sessions/{session.pk}/").content.decode()
    assert 'name="theory_score"' not in body and "70" in body


def test_the_pdf_and_the_public_page(world, make_person, make_user, client):
    certificate = certificate_of(examined_class(world, make_person, name="黄秀英"))
    client.force_login(make_user("inst1", "clerk"))
    pdf = client.get(f"/assessment/certificates/{certificate.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    found = client.get(certificate.verification_path)
    body = found.content.decode()
    assert found.status_code == 200 and "湖北省就业创业培训合格证" in body
    assert "黄*英" in body and "黄秀英" not in body and certificate.id_number_masked in body
    wrong = client.get(f"/assessment/verify/{certificate.serial}/?code=guessed")
    assert wrong.status_code == 404 and "verify-not-found" in wrong.content.decode()
    unknown = client.get("/assessment/verify/?serial=4210222023999999&code=x")
    assert unknown.status_code == 404
    api = client.get(
        f"/api/certificates/verify?serial={certificate.serial}&code={certificate.verification_code}"
    )
    assert api.status_code == 200 and api.json()["holder_name"] == "黄*英"


def test_the_public_page_is_rate_limited(world, client):
    for _n in range(VERIFY_LIMIT):
        assert client.get("/assessment/verify/?serial=1&code=2").status_code == 404
    assert client.get("/assessment/verify/?serial=1&code=2").status_code == 429


def test_the_archive_collects_every_section(world, make_person, make_user, client):
    session = examined_class(world, make_person, scores=((80, 80),))
    person = session.attempts.get().enrolment.person
    client.force_login(make_user("gongan", "reviewer"))
    detail = client.get(f"/registry/persons/{person.pk}/").content.decode()
    assert f"/assessment/archive/{person.pk}/" in detail
    body = client.get(f"/assessment/archive/{person.pk}/").content.decode()
    for key in ("trainings", "attendance", "assessments", "certificates", "employment"):
        assert f'data-testid="section-{key}"' in body
    assert "中式烹调师培训班" in body and certificate_of(session).serial in body
    client.force_login(make_user("inst1", "clerk"))  # sees the person, not the archive
    assert client.get(f"/assessment/archive/{person.pk}/").status_code == 403


def test_sessions_and_attempts_over_the_api(world, make_person, make_user, client):
    session = examined_class(world, make_person, scores=((None, None),), close=False)
    attempt = session.attempts.get()
    client.force_login(make_user("inst1", "teacher"))
    response = client.put(
        f"/api/exam-attempts/{attempt.pk}",
        {"theory_score": "66", "practical_score": "77"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["result"] == "passed"
    closed = client.post(f"/api/exam-sessions/{session.pk}/close")
    assert closed.status_code == 200 and closed.json()[0]["title"] == "湖北省就业创业培训合格证"
    listed = client.get(f"/api/exam-sessions?class_id={session.training_class_id}")
    assert listed.json()["items"][0]["status"] == "closed"


def test_the_bureau_sets_pass_marks_on_its_page(world, make_user, client):
    from upskill.assessment.models import PassMark
    from upskill.organisations.models import Region

    client.force_login(make_user("gongan", "admin"))
    response = client.post(
        "/assessment/pass-marks/",
        {
            "region": Region.objects.get(code="421022").pk,
            "occupation_name": "电工",
            "level": 4,
            "full_marks": "100",
            "theory_pass_mark": "60",
            "practical_pass_mark": "70",
            "online_theory_exempts": "on",
        },
    )
    assert response.status_code == 302
    assert PassMark.objects.get(occupation_name="电工").practical_pass_mark == 70
    client.force_login(make_user("inst1", "clerk"))
    assert client.post("/assessment/pass-marks/", {}).status_code == 403


def test_a_certificate_is_recorded_and_verified_on_the_pages(world, make_person, make_user, client):
    from upskill.assessment.models import Certificate

    person = make_person(name="刘强")
    client.force_login(make_user("gongan", "reviewer"))
    response = client.post(
        "/assessment/certificates/new/",
        {
            "id_number": person.id_number,
            "kind": "skill_level",
            "serial": "S0000421023000777",
            "occupation_name": "电工",
            "level": "4",
            "issuing_body": "湖北省职业技能鉴定指导中心",
            "issue_date": "2023-03-01",
        },
    )
    certificate = Certificate.objects.get(serial="S0000421023000777")
    assert response.status_code == 302 and certificate.verification == "pending"
    assert 'data-testid="verify-yes"' in client.get(response.url).content.decode()
    client.post(f"/assessment/certificates/{certificate.pk}/verify/", {"verified": "1"})
    certificate.refresh_from_db()
    assert certificate.verification == "verified"
