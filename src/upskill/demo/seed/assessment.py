"""Stage 6: exam sessions, certificates, and the employment service that follows them
(referrals, vacancies, follow-ups; GA23-EMP-1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.assessment import services as exams
from upskill.assessment.models import ExamSession
from upskill.employment import services as employment
from upskill.employment.models import Referral
from upskill.organisations.models import Organisation, Region, User
from upskill.registry.models import Person
from upskill.training.models import TrainingClass


def assessment(o: dict[str, Organisation]) -> int:
    """Results and certificates of the finished 中式烹调师 class (GA23-CRT-1): the first exam
    with two failures and an absence, one online theory exemption (HB61-ONL-1), a retake
    (WH20-EXM-1); a skill-level certificate issued elsewhere, verified by the bureau
    (HB61-CRT-1); the county HR service centre's vacancy list and follow-ups of the certified
    trainees pushed to its queue (GA23-EMP-1). Made by the demo users through the services."""
    if ExamSession.objects.exists():
        return 0
    cook = TrainingClass.objects.filter(
        organisation=o["inst1"], status="finished", catalog_entry__occupation__name="中式烹调师"
    ).first()
    if cook is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    clerk, teacher = users["inst1_clerk"], users["inst1_teacher"]
    counsellor, reviewer = users["ga_hrsc"], users["ga_reviewer"]

    first = exams.session_create(
        actor=clerk,
        training_class=cook,
        date=cook.end_date,
        place="公安县职业技术培训学校实训楼二楼考场",
        examiners="李国华（考评员）、张敏（考评员）",
    )
    attempts = list(first.attempts.select_related("enrolment__person").order_by("enrolment_id"))
    for index, attempt in enumerate(attempts):
        if index == 2:  # passed the online theory test on the platform (HB61-ONL-1)
            exams.attempt_exempt_theory(
                actor=teacher, attempt=attempt, online_score="86", reference="明蛙在线 2023-0412"
            )
            exams.attempt_record(actor=teacher, attempt=attempt, practical_score="78")
        elif index == 5:
            exams.attempt_record(
                actor=teacher, attempt=attempt, theory_absent=True, practical_absent=True
            )
        else:
            theory = Decimal(62 + (index * 7) % 33)
            practical = (
                Decimal(55 + (index * 11) % 40)
                if index in (4, 9)
                else Decimal(66 + (index * 5) % 30)
            )
            exams.attempt_record(
                actor=teacher, attempt=attempt, theory_score=theory, practical_score=practical
            )
    exams.session_close(actor=teacher, session=first)
    retake = exams.session_create(
        actor=clerk,
        training_class=cook,
        date=date(2023, 5, 12),
        place="公安县职业技术培训学校实训楼二楼考场",
        examiners="李国华（考评员）",
    )
    for attempt in retake.attempts.order_by("enrolment_id"):
        exams.attempt_record(
            actor=teacher, attempt=attempt, theory_score="74", practical_score="71"
        )
    exams.session_close(actor=teacher, session=retake)

    # a skill-level certificate issued elsewhere, recorded for a skill-upgrade subsidy
    holder = Person.objects.filter(county__code="421022").exclude(enrolments__isnull=False).first()
    if holder is not None:
        recorded = exams.certificate_record(
            actor=reviewer,
            person=holder,
            kind="skill_level",
            serial="S000042102300123",
            occupation_name="电工",
            level=4,
            issuing_body="湖北省职业技能鉴定指导中心",
            issue_date=date(2023, 3, 15),
        )
        exams.certificate_verify(
            actor=reviewer,
            certificate=recorded,
            verified=True,
            note="已在职业技能等级证书全国联网查询系统核验",
        )

    douhudi = Region.objects.get(code="421022101")
    buhe = Region.objects.get(code="421022102")
    openings = (
        ("公安县荆江大酒店", "中餐厨师", "中式烹调师", douhudi, 3800, 5000, 3),
        ("公安县油江饭店", "帮厨", "中式烹调师", douhudi, 3000, 3800, 2),
        ("湖北公安凯达纺织有限公司", "挡车工", "纺织工", douhudi, 3500, 4800, 20),
        ("公安县荆楚农业科技有限公司", "电商专员", "电子商务师", buhe, 3200, 4500, 2),
        ("公安县福康养老院", "养老护理员", "养老护理员", buhe, 3000, 3600, 5),
    )
    vacancies = [
        employment.vacancy_create(
            actor=counsellor,
            employer=employer,
            title=title,
            job_type=job_type,
            township=township,
            wage_min=Decimal(low),
            wage_max=Decimal(high),
            places=places,
            contact=f"0716-523100{number}",
        )
        for number, (employer, title, job_type, township, low, high, places) in enumerate(
            openings, start=1
        )
    ]
    referrals = list(Referral.objects.filter(centre=o["hrsc"]).order_by("pk"))
    outcomes = [
        ("employed", vacancies[0]),
        ("employed", vacancies[1]),
        ("self_employed", None),
        ("not_seeking", None),
        ("interviewed", vacancies[0]),
        ("contacted", None),
    ]
    for referral, (kind, vacancy) in zip(referrals, outcomes, strict=False):
        employment.referral_wishes_set(
            actor=counsellor,
            referral=referral,
            job_type="厨师",
            township=douhudi,
            wage="3500",
        )
        employment.follow_up_record(
            actor=counsellor, referral=referral, kind="contacted", on=date(2023, 5, 22)
        )
        if vacancy is not None:
            employment.recommendation_create(actor=counsellor, referral=referral, vacancy=vacancy)
        if kind != "contacted":
            employment.follow_up_record(
                actor=counsellor,
                referral=referral,
                kind=kind,
                on=date(2023, 6, 5),
                vacancy=vacancy if kind == "employed" else None,
                employed_from=date(2023, 6, 8) if kind == "employed" else None,
                note="开办个体早餐店" if kind == "self_employed" else "",
            )
    return len(referrals)
