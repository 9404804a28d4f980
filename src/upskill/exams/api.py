"""The online exam over JSON, with the same scope as the pages (outside it 404, without the
permission 403). The platform: its question banks, their questions and the Excel import. The
learner (their session, under ``/api/me/``): start an attempt, read its paper (options in the
drawn order, never the key), save a choice, submit, read the result."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from upskill.core.api import JobRef, RejectedOut, actor_of, permitted_actor
from upskill.core.imports import ImportRejected, size_message
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, person_of, visible
from upskill.core.uploads import upload_too_large

from . import selectors, services
from .models import MANAGE_BANK, VIEW_BANK, Blueprint, ExamAttempt, QuestionBank

router = Router(tags=["exams"])


class BankOut(Schema):
    id: int
    occupation_name: str
    level: int
    title: str
    question_count: int


class QuestionOut(Schema):
    id: int
    kind: str
    stem: str
    options: list[str]
    answer: list[int]
    explanation: str
    knowledge_area: str
    difficulty: int


@router.get("/exams/banks", response=list[BankOut])
@paginate(PageNumberPagination)
def bank_list(request):
    """The platform's question banks with their number of questions."""
    return selectors.banks_of(actor=permitted_actor(request, VIEW_BANK)).order_by("pk")


@router.get("/exams/banks/{bank_id}/questions", response=list[QuestionOut])
@paginate(PageNumberPagination)
def question_list(
    request, bank_id: int, kind: str = "", knowledge_area: str = "", difficulty: str = ""
):
    """The bank's questions (the platform's own, key included), filtered."""
    actor = actor_of(request)
    bank = get_visible_or_404(QuestionBank, actor, perm=VIEW_BANK, pk=bank_id)
    return selectors.questions_of(
        actor=actor, bank=bank, kind=kind, knowledge_area=knowledge_area, difficulty=difficulty
    )


@router.post(
    "/exams/banks/{bank_id}/import", response={202: JobRef, 400: RejectedOut, 413: RejectedOut}
)
def bank_import(request, bank_id: int, file: File[UploadedFile | None] = None):
    """Import questions (题型, 题干, 选项, 答案, 解析, 知识点, 难度) from an .xlsx or .csv file
    (multipart field ``file``), all or nothing. Answers 202 with the background job; follow it
    at ``GET /api/jobs/{id}``: when it has failed, ``row_errors`` lists every problem by row
    and column, and nothing was imported."""
    actor = actor_of(request)
    bank = get_visible_or_404(QuestionBank, actor, perm=MANAGE_BANK, pk=bank_id)
    if upload_too_large(request):
        message = size_message()
        return Status(
            413, {"detail": message, "errors": [{"row": 0, "field": "", "message": message}]}
        )
    if file is None:
        message = _("Attach the question sheet as the multipart field 'file'.")
        return Status(
            400, {"detail": message, "errors": [{"row": 0, "field": "file", "message": message}]}
        )
    try:
        job = services.questions_import(actor=actor, bank=bank, upload=file)
    except ImportRejected as exc:
        return Status(400, {"detail": str(exc), "errors": exc.as_list()})
    return Status(202, {"job_id": job.pk, "status": job.status, "url": f"/api/jobs/{job.pk}"})


# --- the learner ---------------------------------------------------------------------------------


class PaperQuestionOut(Schema):
    position: int
    kind: str
    stem: str
    options: list[str]
    choice: list[int]
    points: Decimal


class ExamAttemptOut(Schema):
    id: int
    exam_id: int
    exam: str
    number: int
    status: str
    started_at: datetime
    deadline: datetime
    closed_at: datetime | None
    full_marks: Decimal
    pass_mark: Decimal
    score: Decimal | None
    passed: bool | None

    @staticmethod
    def resolve_exam_id(obj: ExamAttempt) -> int:
        return obj.blueprint_id

    @staticmethod
    def resolve_exam(obj: ExamAttempt) -> str:
        return obj.blueprint.title


class PaperOut(ExamAttemptOut):
    paper: list[PaperQuestionOut]

    @staticmethod
    def resolve_paper(obj: ExamAttempt) -> list[dict]:
        return [
            {
                "position": line.position,
                "kind": line.kind,
                "stem": line.stem,
                "options": [text for _shown, text in line.options],
                "choice": line.choice,
                "points": line.points,
            }
            for line in selectors.paper_of(obj)
        ]


class AreaOut(Schema):
    area: str
    right: int
    total: int
    points: Decimal


class ResultOut(ExamAttemptOut):
    areas: list[AreaOut]

    @staticmethod
    def resolve_areas(obj: ExamAttempt) -> list[dict]:
        return [area.__dict__ for area in selectors.result_by_area(obj)]


class ChoiceIn(Schema):
    choice: list[int]


class SavedOut(Schema):
    position: int
    choice: list[int]


def _learner(request):
    actor = actor_of(request)
    if person_of(actor) is None:  # staff and tokens: the learner's records do not exist (404)
        raise Http404
    return actor


def _attempt(actor, attempt_id: int) -> ExamAttempt:
    return get_visible_or_404(
        ExamAttempt.objects.select_related("blueprint__platform"), actor, pk=attempt_id
    )


@router.post("/me/exams/{exam_id}/attempts", response={201: PaperOut})
def attempt_start(request, exam_id: int):
    """Start an attempt (or resume the open one): the server draws the paper (WH20-EXM-1)."""
    actor = _learner(request)
    blueprint = get_visible_or_404(Blueprint, actor, pk=exam_id)
    return Status(201, services.attempt_start(actor=actor, blueprint=blueprint))


@router.get("/me/exam-attempts/{attempt_id}", response=PaperOut)
def attempt_detail(request, attempt_id: int):
    """The attempt and its paper (the options in the order drawn; the key stays on the
    server). Past its deadline the attempt is closed now."""
    actor = _learner(request)
    attempt = _attempt(actor, attempt_id)
    return services.attempt_touch(actor=actor, attempt=attempt)


@router.put("/me/exam-attempts/{attempt_id}/questions/{position}", response=SavedOut)
def attempt_save(request, attempt_id: int, position: int, payload: ChoiceIn):
    """Save the choice on one question (the displayed option positions), as given."""
    actor = _learner(request)
    attempt = _attempt(actor, attempt_id)
    return services.attempt_save(
        actor=actor, attempt=attempt, position=position, choice=payload.choice
    )


@router.post("/me/exam-attempts/{attempt_id}/submit", response=ResultOut)
def attempt_submit(request, attempt_id: int):
    """Hand the paper in; graded on the server (a multiple-choice question all or nothing)."""
    actor = _learner(request)
    attempt = _attempt(actor, attempt_id)
    return services.attempt_submit(actor=actor, attempt=attempt)


@router.get("/me/exam-attempts/{attempt_id}/result", response=ResultOut)
def attempt_result(request, attempt_id: int):
    """A closed attempt's score, whether it passed, and how many right per knowledge area."""
    actor = _learner(request)
    attempt = services.attempt_touch(actor=actor, attempt=_attempt(actor, attempt_id))
    if attempt.is_open:
        raise ValidationError(_("The attempt is still in progress."))
    return attempt


@router.get("/me/exam-attempts", response=list[ExamAttemptOut])
@paginate(PageNumberPagination)
def attempt_list(request):
    """The learner's own attempts, newest first."""
    actor = _learner(request)
    return visible(ExamAttempt, actor).select_related("blueprint")
