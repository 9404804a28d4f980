"""Employment services (GA23-EMP-1): certified trainees are pushed to the county HR service
centre's queue through the certificate hook; wishes, recommendations, follow-ups; vacancy
import; and the conversion rate per class, institution and occupation."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from upskill.assessment import services as assessment
from upskill.assessment.models import CertificateKind
from upskill.assessment.tests.factories import certificate_of, examined_class
from upskill.core.imports import ImportRejected
from upskill.core.scoping import visible
from upskill.employment import selectors, services
from upskill.employment.models import Referral, ReferralStatus, Vacancy
from upskill.registry.models import Person


def test_a_certified_trainee_is_pushed_to_the_centre_and_the_centre_sees_them(
    world, make_person, make_user
):
    session = examined_class(world, make_person, scores=((80, 80), (40, 40)))
    referral = Referral.objects.get()
    assert referral.centre == world["hrsc"] and referral.status == ReferralStatus.QUEUED
    assert referral.certificate == certificate_of(session)
    counsellor = make_user("hrsc", "counsellor")
    assert visible(Person, counsellor).filter(pk=referral.person_id).exists()
    failed = session.attempts.get(result="failed").enrolment.person
    assert not visible(Person, counsellor).filter(pk=failed.pk).exists()


def test_kinds_that_do_not_count_are_not_pushed_until_verified(world, make_person, make_user):
    person = make_person()
    reviewer = make_user("gongan", "reviewer")
    operation = assessment.certificate_record(
        actor=reviewer,
        person=person,
        kind=CertificateKind.SPECIAL_OPERATION,
        serial="T1",
        occupation_name="电工作业",
        issuing_body="荆州市应急管理局",
        issue_date=date(2023, 1, 5),
    )
    assessment.certificate_verify(actor=reviewer, certificate=operation, verified=True)
    ability = assessment.certificate_record(
        actor=reviewer,
        person=person,
        kind=CertificateKind.SPECIAL_ABILITY,
        serial="Z1",
        occupation_name="农村电商",
        issuing_body="公安县职业技能鉴定所",
        issue_date=date(2023, 2, 5),
    )
    assert not Referral.objects.exists()  # special operation does not count; ability unverified
    assessment.certificate_verify(actor=reviewer, certificate=ability, verified=True)
    assert Referral.objects.get().certificate == ability


def _referral(world, make_person):
    examined_class(world, make_person, scores=((80, 80),))
    return Referral.objects.get()


def test_wishes_recommendations_and_follow_ups(world, make_person, make_user):
    referral = _referral(world, make_person)
    counsellor = make_user("hrsc", "counsellor")
    from upskill.organisations.models import Region

    douhudi = Region.objects.get(code="421022101")
    referral = services.referral_wishes_set(
        actor=counsellor, referral=referral, job_type="厨师", township=douhudi, wage="3500"
    )
    assert referral.wished_wage == Decimal("3500.00") and referral.status == "following"
    far = services.vacancy_create(
        actor=counsellor, employer="某物流公司", title="司机", wage_min=5000
    )
    near = services.vacancy_create(
        actor=counsellor,
        employer="公安县荆江大酒店",
        title="厨师",
        job_type="中式烹调师",
        township=douhudi,
        wage_min="3200",
        wage_max="4000",
    )
    assert selectors.matching_vacancies(actor=counsellor, referral=referral)[0] == near
    services.recommendation_create(actor=counsellor, referral=referral, vacancy=near)
    services.follow_up_record(
        actor=counsellor, referral=referral, kind="contacted", on=date(2023, 6, 1)
    )
    with pytest.raises(ValidationError):  # employed needs the employer and the start date
        services.follow_up_record(
            actor=counsellor, referral=referral, kind="employed", on=date(2023, 6, 10)
        )
    services.follow_up_record(
        actor=counsellor,
        referral=referral,
        kind="employed",
        on=date(2023, 6, 10),
        vacancy=near,
        employed_from=date(2023, 6, 12),
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("closed", "employed")
    assert referral.follow_ups.last().employer == "公安县荆江大酒店"
    assert far.is_open


def test_the_bureau_reads_the_queue_but_only_the_centre_works_it(world, make_person, make_user):
    referral = _referral(world, make_person)
    reviewer = make_user("gongan", "reviewer")
    assert visible(Referral, reviewer).filter(pk=referral.pk).exists()
    with pytest.raises(PermissionDenied):
        services.follow_up_record(
            actor=reviewer, referral=referral, kind="contacted", on=date(2023, 6, 1)
        )
    with pytest.raises(PermissionDenied):
        services.vacancy_create(actor=make_user("gongan", "admin"), employer="x", title="y")


def test_conversion_rate_counts_not_seeking_in_the_denominator(world, make_person, make_user):
    """GA23-EMP-1: (employed + self-employed) / certified; not seeking shown, still counted."""
    session = examined_class(world, make_person, scores=((80, 80),) * 4 + ((10, 10),))
    counsellor = make_user("hrsc", "counsellor")
    referrals = list(Referral.objects.order_by("pk"))
    assert len(referrals) == 4
    outcomes = [
        ("employed", {"employer": "凯达纺织", "employed_from": date(2023, 7, 1)}),
        ("self_employed", {}),
        ("not_seeking", {}),
    ]
    for referral, (kind, extra) in zip(referrals, outcomes, strict=False):
        services.follow_up_record(
            actor=counsellor, referral=referral, kind=kind, on=date(2023, 7, 3), **extra
        )
    rate = selectors.class_conversion(actor=counsellor, class_id=session.training_class_id)
    assert (rate.certified, rate.employed, rate.self_employed, rate.not_seeking) == (4, 1, 1, 1)
    assert rate.rate == Decimal("50.0")
    rates = selectors.conversion_rates(actor=make_user("gongan", "reviewer"))
    assert rates.by_institution[0].rate == Decimal("50.0")
    assert rates.by_occupation[0].certified == 4
    assert selectors.conversion_rates(actor=make_user("wuhan", "reviewer")).total.certified == 0


def _csv(text: str) -> io.BytesIO:
    buffer = io.BytesIO(text.encode("utf-8-sig"))
    buffer.name = "岗位.csv"
    return buffer


def test_vacancy_import_is_all_or_nothing(world, make_user):
    counsellor = make_user("hrsc", "counsellor")
    bad = _csv(
        "公安县2023年企业用工岗位信息表\n"
        "用人单位,岗位名称,工种,工作地点,最低月薪,最高月薪,招聘人数\n"
        "湖北公安凯达纺织有限公司,挡车工,纺织工,斗湖堤镇,3000,4200,10\n"
        "公安县荆江大酒店,厨师,中式烹调师,火星镇,3500,3000,2\n"
    )
    with pytest.raises(ImportRejected) as refused:
        services.vacancies_import_run(actor=counsellor, upload=bad)
    assert {e.row for e in refused.value.errors} == {4}
    assert not Vacancy.objects.exists()
    good = _csv(
        "用人单位,岗位名称,工种,工作地点,最低月薪,最高月薪,招聘人数\n"
        "湖北公安凯达纺织有限公司,挡车工,纺织工,斗湖堤镇,3000,4200,10\n"
        "公安县荆江大酒店,厨师,中式烹调师,埠河镇,3500,4500,2\n"
    )
    job = services.vacancies_import(actor=counsellor, upload=good)
    assert job.status == "done", job.error
    assert Vacancy.objects.filter(centre=world["hrsc"]).count() == 2
