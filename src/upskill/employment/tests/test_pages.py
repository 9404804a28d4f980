"""Pages of the employment app: the queue, a referral worked to "employed", vacancies, rates."""

from __future__ import annotations

from datetime import date

from upskill.assessment.tests.factories import examined_class
from upskill.employment.models import Referral


def test_the_counsellor_works_a_referral_to_employed(world, make_person, make_user, client):
    session = examined_class(world, make_person, scores=((80, 80),), name="王芳")
    referral = Referral.objects.get()
    client.force_login(make_user("hrsc", "counsellor"))
    assert "王芳" in client.get("/employment/").content.decode()
    client.post(
        "/employment/vacancies/",
        {"employer": "公安县荆江大酒店", "title": "厨师", "job_type": "中式烹调师", "places": 2},
    )
    detail = client.get(f"/employment/referrals/{referral.pk}/").content.decode()
    assert "公安县荆江大酒店" in detail
    rates = client.get("/employment/rates/").content.decode()
    assert "0.0 %" in rates
    response = client.post(
        f"/employment/referrals/{referral.pk}/follow-up/",
        {
            "kind": "employed",
            "on": "2023-06-10",
            "employer": "公安县荆江大酒店",
            "employed_from": "2023-06-12",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "employed"
    rates = client.get("/employment/rates/").content.decode()
    assert f'data-testid="rate-class-{session.training_class_id}"' in rates and "100.0 %" in rates


def test_the_api_gives_the_queue_follow_ups_and_rates(world, make_person, make_user, client):
    examined_class(world, make_person, scores=((80, 80),))
    referral = Referral.objects.get()
    client.force_login(make_user("hrsc", "counsellor"))
    assert client.get("/api/referrals").json()["items"][0]["id"] == referral.pk
    vacancy = client.post(
        "/api/vacancies",
        {"employer": "凯达纺织", "title": "挡车工"},
        content_type="application/json",
    ).json()
    created = client.post(
        "/api/follow-ups",
        {
            "referral_id": referral.pk,
            "kind": "self_employed",
            "date": str(date(2023, 6, 1)),
            "vacancy_id": vacancy["id"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get("/api/employment-rates").json()["total"]["self_employed"] == 1
    client.force_login(make_user("gongan", "reviewer"))
    assert client.get(f"/api/referrals/{referral.pk}").status_code == 200
    assert client.get(f"/api/vacancies/{vacancy['id']}").status_code == 404
