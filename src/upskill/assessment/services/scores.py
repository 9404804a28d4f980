"""The score sheet import (``core/imports.py``): all or nothing, run now or as a background job
(:mod:`upskill.assessment.tasks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from upskill.core.imports import Column, ImportRejected, RowProblem, read_rows, run_import
from upskill.core.jobs import import_job_start
from upskill.core.scoping import Actor, get_visible_or_404
from upskill.registry.identity import IdentityError, parse_resident_id
from upskill.registry.services import id_number_hash

# the module: the task runs scores_import_run of this one (see tasks.py)
from .. import tasks
from ..models import Attempt, ExamSession
from ._common import ENTER_SCORES, _organiser
from .sessions import _parse_score, attempt_record

# Cells of a score sheet that mean "absent" (缺考).
ABSENT_WORDS = frozenset({"缺考", "缺席", "缺", "absent", "ABSENT", "Absent"})


def score_columns() -> list[Column]:
    return [
        Column("name", ("姓名", "学员姓名", "考生姓名", "Name"), _lazy("Name")),
        Column(
            "id_number",
            ("身份证号码", "身份证号", "公民身份号码", "证件号码", "ID number"),
            _lazy("ID number"),
        ),
        Column(
            "theory",
            ("理论成绩", "理论知识成绩", "理论", "理论考试成绩", "Theory score"),
            _lazy("Theory score"),
        ),
        Column(
            "practical",
            ("实操成绩", "技能操作成绩", "实操", "实际操作成绩", "Practical score"),
            _lazy("Practical score"),
        ),
    ]


@dataclass(frozen=True)
class ScoreRow:
    attempt: Attempt
    theory: Decimal | None
    practical: Decimal | None
    theory_absent: bool
    practical_absent: bool


def scores_import_run(*, actor: Actor, session: ExamSession, upload, progress=None) -> dict:
    """Read and record a score sheet for a session now, all or nothing: each row names a trainee
    of the session by ID number and name, with the theory and practical scores (or 缺考); every
    bad row is reported with its row number and nothing is written."""
    session = get_visible_or_404(
        ExamSession.objects.select_related("training_class"),
        actor,
        perm=ENTER_SCORES,
        pk=session.pk,
    )
    _organiser(actor, session.training_class, ENTER_SCORES)
    if not session.is_open:
        raise ImportRejected.file(_("The results of this session are already confirmed."))
    columns = score_columns()
    labels = {column.key: column.name for column in columns}
    rows = read_rows(upload, columns)
    attempts = {
        attempt.enrolment.person.id_number_hash: attempt
        for attempt in session.attempts.select_related("enrolment__person")
    }
    seen: set[int] = set()

    def cell(values: dict[str, str], key: str, attempt: Attempt) -> tuple[Decimal | None, bool]:
        text = (values.get(key) or "").strip()
        if text in ABSENT_WORDS:
            return None, True
        if key == "theory" and attempt.theory_exempt and text in ("", "免考", "免试"):
            return None, False
        try:
            score = _parse_score(text, session.full_marks, key)
        except ValidationError as exc:
            raise RowProblem(labels[key], " ".join(exc.messages)) from None
        if score is None:
            raise RowProblem(labels[key], _("Give the score, or 缺考 for an absent trainee."))
        return score, False

    def validate(number: int, values: dict[str, str]) -> ScoreRow:
        try:
            resident = parse_resident_id(values.get("id_number", ""))
        except IdentityError as exc:
            raise RowProblem(labels["id_number"], str(exc)) from None
        attempt = attempts.get(id_number_hash(resident.number))
        if attempt is None:
            raise RowProblem(labels["id_number"], _("This person is not examined in this session."))
        if attempt.pk in seen:
            raise RowProblem(labels["id_number"], _("This trainee is listed twice."))
        seen.add(attempt.pk)
        if " ".join((values.get("name") or "").split()) != attempt.enrolment.person.name:
            raise RowProblem(
                labels["name"], _("The name differs from the one registered for this ID number.")
            )
        theory, theory_absent = cell(values, "theory", attempt)
        practical, practical_absent = cell(values, "practical", attempt)
        return ScoreRow(attempt, theory, practical, theory_absent, practical_absent)

    def apply(checked: list[tuple[int, ScoreRow]]) -> int:
        for _number, row in checked:
            attempt_record(
                actor=actor,
                attempt=row.attempt,
                theory_score=row.theory,
                practical_score=row.practical,
                theory_absent=row.theory_absent,
                practical_absent=row.practical_absent,
            )
        return len(checked)

    recorded = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    return {"rows": len(rows), "recorded": recorded}


def scores_import(*, actor: Actor, session: ExamSession, upload):
    """Import a score sheet as a background job (core/jobs.py); returns the Job, whose page shows
    the progress and then the result or every bad row."""
    session = get_visible_or_404(ExamSession, actor, perm=ENTER_SCORES, pk=session.pk)
    _organiser(actor, session.training_class, ENTER_SCORES)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="assessment.scores_import",
        title=lambda filename: (
            _("Exam scores: %(file)s → %(cls)s, session %(n)d")
            % {"file": filename[:100], "cls": session.training_class.name, "n": session.number}
        ),
        task=tasks.scores_import_task,
        default_name="scores",
        session_id=session.pk,
    )
