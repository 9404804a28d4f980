"""Assessment and certificates: pass marks (GA23-CRT-1), attempts and retakes (WH20-EXM-1), the
online theory exemption (HB61-ONL-1), certificates and their verification (HB61-CRT-1), the
score sheet import, and the hook that pushes certified trainees to employment (GA23-EMP-1)."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from upskill.assessment import services
from upskill.assessment.models import (
    Attempt,
    AttemptResult,
    Certificate,
    CertificateKind,
    Verification,
)
from upskill.assessment.pdf import certificate_pdf
from upskill.core import hooks
from upskill.core.imports import ImportRejected
from upskill.core.scoping import SYSTEM, visible
from upskill.organisations.models import Region

from .factories import certificate_of, examined_class

GONGAN = "421022"


def test_default_pass_marks_are_60_of_100_for_each_part(world):
    marks = services.pass_marks_for("中式烹调师", 4, GONGAN)
    assert (marks.full_marks, marks.theory, marks.practical) == (100, 60, 60)
    assert marks.source is None


def test_the_county_setting_comes_before_the_province(world, make_user):
    province = make_user("province", "policy_admin")
    services.pass_mark_set(
        actor=province,
        region=Region.objects.get(code="420000"),
        occupation_name="电工",
        level=4,
        theory_pass_mark=Decimal(65),
        practical_pass_mark=Decimal(65),
    )
    services.pass_mark_set(
        actor=make_user("gongan", "admin"),
        region=Region.objects.get(code=GONGAN),
        occupation_name="电工",
        level=4,
        theory_pass_mark=Decimal(70),
        practical_pass_mark=Decimal(75),
        online_theory_exempts=False,
    )
    gongan = services.pass_marks_for("电工", 4, GONGAN)
    assert (gongan.theory, gongan.practical, gongan.online_theory_exempts) == (70, 75, False)
    assert services.pass_marks_for("电工", 4, "420112").theory == 65  # Wuhan: the province's


def test_only_a_bureau_of_the_region_sets_pass_marks(world, make_user):
    with pytest.raises(PermissionDenied):
        services.pass_mark_set(
            actor=make_user("wuhan", "admin"),
            region=Region.objects.get(code=GONGAN),
            occupation_name="电工",
            level=4,
            theory_pass_mark=60,
            practical_pass_mark=60,
        )
    with pytest.raises(PermissionDenied):
        services.pass_mark_set(
            actor=make_user("inst1", "admin"),
            region=Region.objects.get(code=GONGAN),
            occupation_name="电工",
            level=4,
            theory_pass_mark=60,
            practical_pass_mark=60,
        )
    with pytest.raises(ValidationError):
        services.pass_mark_set(
            actor=make_user("gongan", "admin"),
            region=Region.objects.get(code=GONGAN),
            occupation_name="电工",
            level=4,
            theory_pass_mark=120,
            practical_pass_mark=60,
        )


def test_each_part_must_reach_its_pass_mark(world, make_person):
    session = examined_class(
        world, make_person, scores=((60, 60), (59.5, 90), (90, 59), (None, 80)), close=False
    )
    results = sorted(session.attempts.values_list("result", flat=True))
    assert results == ["absent", "failed", "failed", "passed"]  # exactly 60 passes


def test_a_score_outside_the_marks_is_refused(world, make_person):
    session = examined_class(world, make_person, scores=((None, None),), close=False)
    attempt = session.attempts.get()
    for bad in ("101", "-1", "abc", "60.55"):
        with pytest.raises(ValidationError):
            services.attempt_record(
                actor=SYSTEM, attempt=attempt, theory_score=bad, practical_score="70"
            )


def test_results_are_confirmed_only_when_everyone_is_marked(world, make_person):
    session = examined_class(world, make_person, scores=((80, 80), (None, None)), close=False)
    pending = session.attempts.filter(result="absent").get()
    pending.result = AttemptResult.PENDING
    pending.theory_absent = pending.practical_absent = False
    pending.save()
    with pytest.raises(ValidationError, match="no result yet"):
        services.session_close(actor=SYSTEM, session=session)


def test_a_failure_retakes_until_passed_and_every_attempt_is_kept(world, make_person):
    """WH20-EXM-1: one trainee fails, retakes twice; the passed one is not examined again."""
    session = examined_class(world, make_person, scores=((85, 80), (50, 70)))
    training_class = session.training_class
    assert Certificate.objects.filter(training_class=training_class).count() == 1
    retake = services.session_create(
        actor=SYSTEM,
        training_class=training_class,
        date=date(2023, 5, 26),
        place="考场",
        examiners="李考评",
    )
    (attempt,) = retake.attempts.all()
    assert retake.number == 2 and attempt.attempt_number == 2
    services.attempt_record(actor=SYSTEM, attempt=attempt, theory_score="55", practical_score="65")
    services.session_close(actor=SYSTEM, session=retake)
    third = services.session_create(
        actor=SYSTEM,
        training_class=training_class,
        date=date(2023, 6, 2),
        place="考场",
        examiners="李考评",
    )
    (attempt,) = third.attempts.all()
    assert attempt.attempt_number == 3
    services.attempt_record(actor=SYSTEM, attempt=attempt, theory_score="72", practical_score="65")
    assert services.session_close(actor=SYSTEM, session=third)[0].person == attempt.person
    assert Attempt.objects.filter(enrolment=attempt.enrolment).count() == 3
    with pytest.raises(ValidationError, match="Every trainee"):
        services.session_create(
            actor=SYSTEM,
            training_class=training_class,
            date=date(2023, 6, 9),
            place="考场",
            examiners="李考评",
        )


def test_a_retake_waits_for_the_confirmed_results(world, make_person):
    session = examined_class(world, make_person, scores=((50, 50),), close=False)
    with pytest.raises(ValidationError, match="Confirm the results of session 1"):
        services.session_create(
            actor=SYSTEM,
            training_class=session.training_class,
            date=date(2023, 5, 26),
            place="考场",
            examiners="李考评",
        )


def test_a_confirmed_session_cannot_be_changed(world, make_person):
    session = examined_class(world, make_person, scores=((40, 40),))
    with pytest.raises(ValidationError, match="retakes in a new session"):
        services.attempt_record(
            actor=SYSTEM, attempt=session.attempts.get(), theory_score="90", practical_score="90"
        )


def test_an_online_theory_result_exempts_the_theory_part(world, make_person):
    """HB61-ONL-1: only where the bureau allows it and when the result reaches the mark."""
    session = examined_class(world, make_person, scores=((None, None),), close=False)
    attempt = session.attempts.get()
    with pytest.raises(ValidationError, match="reaches the theory pass mark"):
        services.attempt_exempt_theory(
            actor=SYSTEM, attempt=attempt, online_score="58", reference="明蛙在线 R-1"
        )
    services.attempt_exempt_theory(
        actor=SYSTEM, attempt=attempt, online_score="88", reference="明蛙在线 R-2"
    )
    attempt = services.attempt_record(actor=SYSTEM, attempt=attempt, practical_score="75")
    assert attempt.theory_exempt and attempt.result == AttemptResult.PASSED


def test_no_exemption_where_the_bureau_does_not_allow_it(world, make_person, make_user):
    services.pass_mark_set(
        actor=make_user("gongan", "admin"),
        region=Region.objects.get(code=GONGAN),
        occupation_name="中式烹调师",
        level=4,
        theory_pass_mark=60,
        practical_pass_mark=60,
        online_theory_exempts=False,
    )
    session = examined_class(world, make_person, scores=((None, None),), close=False)
    with pytest.raises(ValidationError, match="HB61-ONL-1"):
        services.attempt_exempt_theory(
            actor=SYSTEM, attempt=session.attempts.get(), online_score="90", reference="x"
        )


def test_only_the_organisers_examiner_enters_scores(world, make_person, make_user):
    session = examined_class(world, make_person, scores=((None, None),), close=False)
    attempt = session.attempts.get()
    with pytest.raises(PermissionDenied):
        services.attempt_record(actor=make_user("inst1", "clerk"), attempt=attempt)
    with pytest.raises(PermissionDenied):  # the bureau sees it but does not mark it
        services.attempt_record(actor=make_user("gongan", "reviewer"), attempt=attempt)
    teacher = make_user("inst1", "teacher")
    attempt = services.attempt_record(
        actor=teacher, attempt=attempt, theory_score="61", practical_score="62.5"
    )
    assert attempt.practical_score == Decimal("62.5")


def test_the_certificate_carries_the_fields_and_an_unguessable_code(world, make_person):
    session = examined_class(world, make_person, scores=((80, 80), (70, 90)), name="黄秀英")
    first, second = Certificate.objects.filter(training_class=session.training_class).order_by(
        "serial"
    )
    assert first.kind == CertificateKind.TRAINING and first.title == "湖北省就业创业培训合格证"
    assert first.serial == f"{GONGAN}2023000001" and second.serial == f"{GONGAN}2023000002"
    assert first.holder_name == "黄秀英" and "*" in first.id_number_masked
    assert first.occupation_name == "中式烹调师" and first.level == 4
    assert first.training_start == date(2023, 5, 8) and first.institution_name
    assert first.issuing_body == "公安县人力资源和社会保障局"
    assert first.verification == Verification.VERIFIED
    assert (
        len(first.verification_code) >= 16 and first.verification_code != second.verification_code
    )
    assert first.verification_path == (
        f"/assessment/verify/{first.serial}/?code={first.verification_code}"
    )


def test_public_lookup_needs_the_number_and_the_code(world, make_person):
    certificate = certificate_of(examined_class(world, make_person))
    assert services.certificate_for_public(certificate.serial, certificate.verification_code)
    assert services.certificate_for_public(certificate.serial, "guess") is None
    assert services.certificate_for_public("4210222023999999", "x") is None


def test_the_pdf_embeds_a_chinese_truetype_font(world, make_person, tmp_path):
    certificate = certificate_of(examined_class(world, make_person, name="黄秀英"))
    url = "https://example.gov.cn" + certificate.verification_path
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf(certificate, url))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "湖北省就业创业培训合格证" in text and "黄秀英" in text and url in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    line = next(row for row in fonts.splitlines() if "WenQuanYi" in row)
    assert "TrueType" in line and " yes " in line  # embedded, not a viewer-dependent CID font


def _word_boxes(pdf_path) -> list[tuple[str, float, float, float, float]]:
    """(word, x0, y0, x1, y1) of every word pdftotext -bbox finds, in points from the top left."""
    import re

    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True
    ).stdout
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (word, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in re.findall(pattern, html)
    ]


def test_the_pdf_prints_the_code_and_keeps_the_address_clear_of_text_and_frame(
    world, make_person, tmp_path
):
    """HB61-CRT-1 (issue 15.11): the verification code is printed; the address, on one line even
    for a long host name, overlaps no other text, stays inside the inner frame and off the QR."""
    from reportlab.lib.pagesizes import A4, landscape

    from upskill.assessment.pdf import FRAME_INSET, qr_box

    certificate = certificate_of(examined_class(world, make_person, name="黄秀英"))
    url = "https://peixun-butie.rsj.gongan.jingzhou.hubei.gov.cn:8443" + (
        certificate.verification_path
    )
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf(certificate, url))
    words = _word_boxes(path)
    texts = [word for word, *_ in words]
    assert certificate.verification_code in " ".join(texts)
    assert url in texts  # one line, not cut
    width, height = landscape(A4)
    for word, x0, y0, x1, y1 in words:
        assert x0 > FRAME_INSET and x1 < width - FRAME_INSET, word
        assert y0 > FRAME_INSET and y1 < height - FRAME_INSET, word
    qx, qy, side = qr_box(width)
    qr_top, qr_bottom = height - qy - side, height - qy  # in pdftotext's coordinates
    for word, x0, y0, x1, y1 in words:
        assert x1 <= qx or x0 >= qx + side or y1 <= qr_top or y0 >= qr_bottom, word
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(words):
        for b, bx0, by0, bx1, by1 in words[i + 1 :]:
            overlap = min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5
            assert not overlap, (a, b)


def test_a_certificate_issued_elsewhere_counts_once_verified(world, make_person, make_user):
    person = make_person(name="刘强")
    clerk = make_user("inst1", "clerk")
    from upskill.registry.services import affiliation_ensure

    # the institution's trainee (an enrolment elsewhere in the suite; the basis is what counts)
    affiliation_ensure(
        person=person, organisation=clerk.organisation, kind="trainee", basis="enrolment"
    )
    certificate = services.certificate_record(
        actor=clerk,
        person=person,
        kind=CertificateKind.SKILL_LEVEL,
        serial="S000042101234567",
        occupation_name="电工",
        level=4,
        issuing_body="湖北省职业技能鉴定指导中心",
        issue_date=date(2023, 3, 1),
    )
    assert certificate.verification == Verification.PENDING
    assert visible(Certificate, clerk).filter(pk=certificate.pk).exists()
    with pytest.raises(PermissionDenied):
        services.certificate_verify(actor=clerk, certificate=certificate, verified=True)
    with pytest.raises(ValidationError):
        services.certificate_record(
            actor=clerk,
            person=person,
            kind=CertificateKind.SKILL_LEVEL,
            serial="S000042101234567",
            occupation_name="电工",
            issuing_body="x",
            issue_date=date(2023, 3, 1),
        )
    announced = []
    hooks.register(hooks.CERTIFICATE_ISSUED, lambda **kw: announced.append(kw["certificate"]))
    try:
        services.certificate_verify(
            actor=make_user("gongan", "reviewer"),
            certificate=certificate,
            verified=True,
            note="已在全国职业技能等级证书查询系统核验",
        )
    finally:
        hooks._callbacks[hooks.CERTIFICATE_ISSUED].pop()
    certificate.refresh_from_db()
    assert certificate.is_valid and announced == [certificate]


def test_the_issued_hook_is_called_inside_the_transaction(world, make_person):
    def refuse(**kwargs):
        raise ValidationError("refused by a hook")

    hooks.register(hooks.CERTIFICATE_ISSUED, refuse)
    try:
        session = examined_class(world, make_person, close=False)
        with pytest.raises(ValidationError):
            services.session_close(actor=SYSTEM, session=session)
    finally:
        hooks.unregister(hooks.CERTIFICATE_ISSUED, refuse)
    session.refresh_from_db()
    assert session.is_open and not Certificate.objects.exists()


def _sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2023年第1期中式烹调师培训班考核成绩表"])
    sheet.append(["序号", "姓名", "身份证号码", "理论成绩", "实操成绩"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "成绩.xlsx"
    return buffer


def test_score_import_is_all_or_nothing_with_row_errors(world, make_person, make_user):
    session = examined_class(world, make_person, scores=((None, None), (None, None)), close=False)
    a, b = session.attempts.select_related("enrolment__person").order_by("pk")
    pa, pb = a.enrolment.person, b.enrolment.person
    teacher = make_user("inst1", "teacher")
    bad = _sheet([[pa.name, pa.id_number, "88", "120"], ["别人", pb.id_number, "70", "70"]])
    with pytest.raises(ImportRejected) as refused:
        services.scores_import_run(actor=teacher, session=session, upload=bad)
    assert [(e.row, e.field) for e in refused.value.errors] == [
        (3, "Practical score"),
        (4, "Name"),
    ]
    assert not session.attempts.exclude(result="absent").exists()  # nothing written
    good = _sheet([[pa.name, pa.id_number, "88", "76"], [pb.name, pb.id_number, "缺考", "70"]])
    job = services.scores_import(actor=teacher, session=session, upload=good)
    assert job.status == "done", job.error
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.result, a.theory_score, b.result, b.theory_absent) == ("passed", 88, "absent", True)
