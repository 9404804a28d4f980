"""Certificates by programme (GA23-CRT-1, HB61-CRT-1, WH20-SUB-1/2): confirming a session
issues 湖北省就业创业培训合格证 only where the programme issues it; a skill-level trainee who fails
gets it; the skill-upgrade subsidy counts only a verified 职业技能等级证书 of the class's
occupation and level."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.assessment import services
from upskill.assessment.models import Certificate, CertificateKind
from upskill.assessment.programmes import certified_enrolment_ids
from upskill.core.scoping import SYSTEM
from upskill.training import services as training
from upskill.training.tests.factories import catalog_entries, make_class


def _session(training_class, enrolments, scores):
    session = services.session_create(
        actor=SYSTEM,
        training_class=training_class,
        date=date(2023, 5, 19),
        place="实训楼一楼考场",
        examiners="李考评、王考评",
    )
    attempts = {a.enrolment_id: a for a in session.attempts.all()}
    for enrolment, (theory, practical) in zip(enrolments, scores, strict=True):
        services.attempt_record(
            actor=SYSTEM,
            attempt=attempts[enrolment.pk],
            theory_score=Decimal(theory),
            practical_score=Decimal(practical),
        )
    return session


def _enrol(training_class, people, **extra):
    return [
        training.enrolment_create(
            actor=SYSTEM,
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
            **extra,
        )
        for person in people
    ]


def test_ga23_crt_1_a_pre_job_class_issues_no_training_certificate(world, make_person):
    training_class = make_class(
        world,
        entry="electrician",
        status="running",
        lessons=(("theory", 8), *(("practice", 8),) * 4),  # a lesson fits its slot (15.6)
    )
    enrolments = _enrol(training_class, [make_person(name="张伟")])
    session = _session(training_class, enrolments, [(80, 75)])
    assert services.session_close(actor=SYSTEM, session=session) == []
    assert not Certificate.objects.filter(training_class=training_class).exists()


def _skill_level_class(world):
    from upskill.catalog.models import CatalogEntry

    entries = catalog_entries()
    # filed as a classroom class first (an online class names its platform, WH20-PLT-1)
    training_class = make_class(world, status="running")
    entry = CatalogEntry.objects.create(
        catalog=entries["cook"].catalog,
        program="online_skill_level",
        occupation=entries["cook"].occupation,
        standard_hours=Decimal(80),
    )
    training_class.catalog_entry = entry
    training_class.save()
    return training_class


def test_hb61_crt_1_skill_level_pass_waits_for_the_evaluator_a_fail_gets_the_training_cert(
    world, make_person
):
    training_class = _skill_level_class(world)
    passed, failed = _enrol(
        training_class, [make_person(name="刘强"), make_person(name="陈静")], insured_months=24
    )
    session = _session(training_class, [passed, failed], [(80, 75), (30, 40)])
    [issued] = services.session_close(actor=SYSTEM, session=session)
    assert (issued.person, issued.kind) == (failed.person, CertificateKind.TRAINING)

    # WH20-SUB-1 (level 4; WH20-SUB-2 for level 3) rests on the skill-level certificate: passing
    # the session is not enough
    assert certified_enrolment_ids(training_class) == set()
    occupation = training_class.occupation
    recorded = services.certificate_record(
        actor=SYSTEM,
        person=passed.person,
        kind=CertificateKind.SKILL_LEVEL,
        serial="S000012023050001",
        occupation_name=occupation.name,
        level=occupation.level,
        issuing_body="湖北省职业技能鉴定指导中心",
        issue_date=date(2023, 6, 1),
    )
    assert certified_enrolment_ids(training_class) == set()  # not verified yet
    services.certificate_verify(actor=SYSTEM, certificate=recorded, verified=True)
    assert certified_enrolment_ids(training_class) == {passed.pk}
