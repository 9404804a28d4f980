"""`make demo` keeps working: the whole demo is seeded through the services on an empty
database, every stage reaches its intended state, and seeding again changes nothing."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_seeds_every_stage_and_is_idempotent():
    from upskill.demo.seed import ADVANCE_CLASS, seed
    from upskill.demo.seed.township_classes import TOWNSHIP_CLASS_SUFFIX
    from upskill.enterprise.models import EnterpriseRecord
    from upskill.subsidies.models import Advance, Claim, LedgerEntry, PaymentBatch
    from upskill.subsidies.selectors import submission_problems
    from upskill.training.models import TrainingClass

    logins = seed()
    assert len(logins) == 27  # with the platform operator; the superuser `upskill demo` makes
    # 明蛙's online course (WH20-PRG-1): one learner complete, one behind on the weekly report
    from upskill.learning.models import Course, LessonProgress, WeeklyProgress

    course = Course.objects.get(platform__name="明蛙线上职业培训平台")
    assert (course.occupation_name, course.level, course.published) == ("安全评价师", 3, True)
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 3
    assert WeeklyProgress.objects.filter(behind=True).count() == 1
    classes = dict(TrainingClass.objects.values_list("name", "status"))
    in_townships = {name for name in classes if name.endswith(TOWNSHIP_CLASS_SUFFIX)}
    assert len(in_townships) == 13 and {classes[name] for name in in_townships} == {"finished"}
    assert [s for name, s in classes.items() if name not in in_townships].count("finished") == 2
    # GA23-EVAL-1: every township has done something, the bottom three differ and none is zero
    from upskill.organisations.models import User
    from upskill.reports.selectors import institution_evaluation, township_evaluation

    county = User.objects.get(username="ga_admin")
    ranked = township_evaluation(actor=county, year=2023).rows
    bottom = [row.score for row in ranked if row.flagged]
    assert len(bottom) == 3 and all(bottom) and len(set(bottom)) == 3
    # GA23 六(三): the institutions are weighted and ranked
    institutions = institution_evaluation(actor=county, year=2023)
    assert institutions.weighted and len(institutions.rows) >= 3
    claims = sorted(
        (claim.kind, claim.claimant.name, claim.status)
        for claim in Claim.objects.select_related("claimant")
    )
    if shutil.which("ffprobe"):  # the videos of the checklist need ffmpeg (`make demo` has it)
        assert claims == [
            ("institution", "公安县职业技术培训学校", "payable"),  # the cook class
            ("institution", "公安县职业技术培训学校", "payable"),  # the poverty class
            ("township", "埠河镇人社服务中心", "draft"),
            ("township", "斗湖堤镇人社服务中心", "submitted"),
        ]
        township_draft = Claim.objects.get(kind="township", status="draft")
        # its clerk has the application form to upload before submitting (HB61-DOC-1)
        assert any("HB61-DOC-1" in p for p in submission_problems(township_draft))
        assert PaymentBatch.objects.filter(payee="trainee").exists()
    assert EnterpriseRecord.objects.exists() and LedgerEntry.objects.exists()
    # HB45-ADV-1: the Wuhan 2020 project-based class is running with its advance paid
    advance = Advance.objects.get()
    assert (advance.training_class.name, advance.training_class.status) == (
        ADVANCE_CLASS,
        "running",
    )
    assert (advance.status, advance.amount) == ("paid", Decimal("450.00"))
    assert LedgerEntry.objects.filter(kind="advance", amount=Decimal("450.00")).exists()

    # the Wuhan enrolment stage (WH20-ENR-1, WH20-OBJ-1, WH20-LVE-1): the late application and
    # the list with the 11-month employee refused, four employees enrolled, one left
    from upskill.nominations.models import Application, Nomination

    (application,) = Application.objects.all()
    assert (application.enterprise.name, application.status) == (
        "武汉江城精密机械有限公司",
        "scheduled",
    )
    assert sorted(Nomination.objects.values_list("status", flat=True)) == [
        "enrolled",
        "enrolled",
        "enrolled",
        "withdrawn",
    ]
    assert not Nomination.objects.filter(insured_months__lt=12).exists()
    left = Nomination.objects.get(status="withdrawn")
    assert left.deduction == left.advanced - left.exam_fee_kept > 0
    # the online theory exam (WH20-EXM-1): 60 questions, an open exam, one learner passed and
    # one failed and waiting to retake
    from upskill.exams.models import Blueprint, ExamAttempt, Question

    assert Question.objects.count() == 60
    assert Blueprint.objects.get().active
    assert list(ExamAttempt.objects.order_by("pk").values_list("passed", flat=True)) == [
        True,
        False,
    ]

    counts = (TrainingClass.objects.count(), Claim.objects.count(), LedgerEntry.objects.count())
    seed()
    assert counts == (
        TrainingClass.objects.count(),
        Claim.objects.count(),
        LedgerEntry.objects.count(),
    )
    assert ExamAttempt.objects.count() == 2


def test_without_ffmpeg_the_demo_leaves_the_claims_as_drafts_saying_why(monkeypatch):
    """`upskill demo` on a machine without ffmpeg (no generated videos): the checklist stays
    red (GA23-VID-1), so the organisers' claims stay drafts, and nothing fails."""
    from upskill.demo.seed import seed
    from upskill.subsidies.models import Claim
    from upskill.subsidies.selectors import submission_problems

    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "ffmpeg" else real_which(name)
    )
    seed()
    claims = list(Claim.objects.order_by("pk"))
    assert [(c.kind, c.status) for c in claims] == [
        ("institution", "draft"),
        ("institution", "draft"),
    ]
    assert all(any("GA23-VID-1" in p for p in submission_problems(c)) for c in claims)
