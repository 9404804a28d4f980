"""Course completion feeds the claim (issue 17 item 6, WH20-PRG-1): an online class's record
for the policy engine takes its theory hours from the watched time, so the subsidy rests on
learning that happened; its practical hours stay those attendance marked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import translation

from upskill.core.scoping import SYSTEM
from upskill.learning import services as learning
from upskill.registry.services import person_account_create
from upskill.subsidies.selectors.claims import explanation_for_reader
from upskill.subsidies.selectors.records import class_facts, class_record
from upskill.subsidies.services import claim_assemble
from upskill.training.models import EnrolmentStatus

from .factories import finished_class, wh20_entries


def _course(make_user):
    """明蛙's published course for 劳动关系协调员 level 3: one 10-second document lesson."""
    operator = make_user("platform", "operator")
    course = learning.course_create(
        actor=operator, occupation_name="劳动关系协调员", level=3, title="劳动关系协调员（三级）"
    )
    section = learning.section_add(actor=operator, course=course, title="第一章")
    lesson = learning.lesson_add(
        actor=operator,
        section=section,
        title="1.1 劳动合同",
        medium="document",
        file=ContentFile(b"%PDF-1.4\n% demo\n", name="law.pdf"),
        required_seconds=10,
    )
    learning.course_publish(actor=operator, course=course)
    return lesson


def _watch(person, lesson, seconds: int, clock) -> None:
    account = person_account_create(
        actor=SYSTEM,
        person=person,
        username=f"online_{person.pk}",
        password="Test#Pass2023",
        check_password=False,
    )
    learning.playback_start(actor=account, lesson=lesson, device="phone")
    clock.advance(timedelta(seconds=15))
    learning.heartbeat_record(
        actor=account, lesson=lesson, device="phone", segments=[(0, seconds)], position=seconds
    )


def test_wh20_prg_1_half_the_watched_time_gives_half_the_theory_hours(
    world, make_user, make_person, clock
):
    clock.set_to(datetime(2020, 8, 20, 20, 0))
    full, half = make_person(name="王芳"), make_person(name="刘强")
    # two days of 2 theory and 4 practical hours, every lesson attended
    training_class = finished_class(
        world,
        [full, half],
        entry=wh20_entries()[3],
        start=date(2020, 8, 3),
        days=2,
        insured_months=24,
    )
    lesson = _course(make_user)
    _watch(full, lesson, 10, clock)
    _watch(half, lesson, 5, clock)
    enrolments = list(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
            "person", "training_class__catalog_entry__occupation", "training_class__organisation"
        )
    )
    facts = class_facts(training_class, enrolments)
    hours = {e.person_id: class_record(e, facts=facts)["attended_hours"] for e in enrolments}
    # theory 4 h in the share watched, practical 8 h as attended
    assert hours == {full.pk: Decimal("12.0"), half.pk: Decimal("10.0")}
    # nobody watched: only the practical hours remain
    nobody = make_person(name="陈静")
    other = finished_class(
        world, [nobody], entry=wh20_entries()[3], start=date(2020, 8, 10), days=2, insured_months=24
    )
    enrolment = other.enrolments.select_related("person").get()
    assert class_record(enrolment, facts=class_facts(other, [enrolment]))["attended_hours"] == 8


def test_wh20_prg_1_the_claim_lines_explanation_names_the_watched_hours(
    world, make_user, make_person, clock
):
    """The engine's explanation on the claim line says the hours were taken from the watched
    time, naming WH20-PRG-1, in the reader's language (zh and en from the stored facts)."""
    clock.set_to(datetime(2020, 8, 20, 20, 0))
    half = make_person(name="刘强")
    training_class = finished_class(
        world, [half], entry=wh20_entries()[3], start=date(2020, 8, 3), days=2, insured_months=24
    )
    _watch(half, _course(make_user), 5, clock)
    [line] = claim_assemble(actor=SYSTEM, training_class=training_class).lines.all()
    assert line.record["attended_hours"] == "10.0"
    notes = {}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            reasons = explanation_for_reader(line.explanation)["reasons"]
        notes[lang] = [r["message"] for r in reasons if r["rule"] == "WH20-PRG-1"]
    assert notes == {
        "zh-hans": [
            "考勤课时 10 课时，其中线上理论课时按实际观看时长计（武企联【2020】14号 三(三)，"
            "WH20-PRG-1）"
        ],
        "en": [
            "10 class hours attended, the online theory hours taken from the time actually "
            "watched (武企联【2020】14号 三(三), WH20-PRG-1)"
        ],
    }
