"""A curriculum entered in bulk (issue 15.4): a weekly pattern of lessons between two dates
that skips the public holidays, rows pasted from Excel, a 课程表 spreadsheet through the shared
import (``core/imports.py``), and the lessons of an earlier class of the same organiser. Each
is all or nothing: every lesson is checked as :func:`.plans.lesson_create` checks one (dates,
times, class hours within the slot, overlaps, HB61-PRJ-1 and issue 15.6), every problem is
reported by row, and nothing is added unless there are none."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.core.imports import (
    Column,
    RowProblem,
    RowProblems,
    _header_key,
    clean_text,
    parse_day,
    read_rows,
    run_import,
)
from upskill.core.scoping import Actor, get_visible_or_404

from ..models import Lesson, LessonKind, Teacher, TrainingClass
from ..selectors import is_organiser
from .plans import _editable, lesson_problems, slot_hours

# The labels of a lesson's fields in a row's problems.
FIELD_LABELS = {
    "date": gettext_lazy("Date"),
    "start_time": gettext_lazy("Start"),
    "end_time": gettext_lazy("End"),
    "hours": gettext_lazy("Class hours"),
    "kind": gettext_lazy("Kind"),
    "content": gettext_lazy("Content"),
    "teacher": gettext_lazy("Teacher"),
}

# The words offices write for a lesson's kind (GA23-HRS-1: theory and practice).
_KIND_WORDS = {
    LessonKind.THEORY: ("理论", "理论教学", "理论课", "讲授", "theory"),
    LessonKind.PRACTICE: ("实操", "实践", "实训", "操作", "实际操作", "实操训练", "practice"),
}


def curriculum_columns() -> list[Column]:
    """The columns of a 课程表 (spreadsheet or rows pasted from Excel), in the order a paste
    without a header row is read."""
    return [
        Column("date", ("日期", "上课日期", "Date"), label=_("Date")),
        Column("start_time", ("开始时间", "开始", "上课时间", "Start"), label=_("Start")),
        Column("end_time", ("结束时间", "结束", "下课时间", "End"), label=_("End")),
        Column("hours", ("学时", "课时", "Class hours"), label=_("Class hours"), required=False),
        Column("kind", ("类型", "课程类型", "理论/实操", "Kind"), label=_("Kind")),
        Column("content", ("内容", "课程内容", "教学内容", "Content"), label=_("Content")),
        Column("teacher", ("教师", "授课教师", "Teacher"), label=_("Teacher"), required=False),
    ]


@dataclass(frozen=True)
class LessonDraft:
    """A lesson checked and ready to be added."""

    date: date
    start_time: time
    end_time: time
    hours: Decimal
    kind: str
    content: str
    teacher: Teacher | None


# -- the checks, shared by every way in ---------------------------------------------------


def _problems(
    training_class: TrainingClass, draft: LessonDraft, others: Sequence[Lesson]
) -> list[RowProblem]:
    found = lesson_problems(
        training_class,
        date=draft.date,
        start_time=draft.start_time,
        end_time=draft.end_time,
        hours=draft.hours,
        kind=draft.kind,
        teacher=draft.teacher,
        others=others,
    )
    if not draft.content.strip():
        found.setdefault("content", []).append(_("Give the content of the lesson."))
    return [
        RowProblem(str(FIELD_LABELS.get(name, name)), message)
        for name, messages in found.items()
        for message in messages
    ]


def _add_all(
    actor: Actor, training_class: TrainingClass, rows: Iterable[tuple[int, object]], parse
) -> list[Lesson]:
    """Check every row (``parse(values) -> LessonDraft``, raising RowProblem(s)) against the
    class and against the lessons before it, and add them all, or raise ImportRejected with
    every problem and add nothing."""
    others: list[Lesson] = list(training_class.lessons.all())

    def validate(_row: int, values) -> LessonDraft:
        draft = parse(values)
        problems = _problems(training_class, draft, others)
        if problems:
            raise RowProblems(problems)
        others.append(Lesson(date=draft.date, start_time=draft.start_time, end_time=draft.end_time))
        return draft

    def apply(checked: list[tuple[int, LessonDraft]]) -> list[Lesson]:
        made = []
        for _row, draft in checked:
            lesson = Lesson(training_class=training_class, **draft.__dict__)
            lesson.full_clean()
            lesson.save()  # one by one: each lesson keeps its history row
            made.append(lesson)
        return made

    rows = list(rows)
    if not rows:
        raise ValidationError(_("No lesson to add."))
    return run_import(rows=rows, validate=validate, apply=apply)


# -- a weekly pattern ------------------------------------------------------------------------


def holiday_name(day: date) -> str | None:
    """The name of the public holiday ``day`` falls on (State Council's notice, through
    ``chinese-calendar``), or None; a year the library does not cover has none."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    if not on_holiday or workday:
        return None
    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:
        return name or _("public holiday")


def weekly_dates(
    *, date_from: date, date_to: date, weekdays: Iterable[int], skip_holidays: bool = True
) -> tuple[list[date], list[tuple[date, str]]]:
    """The days from ``date_from`` to ``date_to`` falling on ``weekdays`` (0 Monday … 6
    Sunday), and apart the public holidays among them, skipped (with their names)."""
    wanted = set(weekdays)
    days: list[date] = []
    skipped: list[tuple[date, str]] = []
    day = date_from
    while day <= date_to:
        if day.weekday() in wanted:
            name = holiday_name(day) if skip_holidays else None
            if name:
                skipped.append((day, name))
            else:
                days.append(day)
        day += timedelta(days=1)
    return days, skipped


@dataclass(frozen=True)
class Generated:
    lessons: list[Lesson]
    skipped: list[tuple[date, str]]


@transaction.atomic
def lessons_generate(
    *,
    actor: Actor,
    training_class: TrainingClass,
    weekdays: Sequence[int],
    start_time: time,
    end_time: time,
    kind: str,
    content: str,
    date_from: date | None = None,
    date_to: date | None = None,
    hours: Decimal | None = None,
    teacher: Teacher | None = None,
    skip_holidays: bool = True,
) -> Generated:
    """One lesson on each chosen weekday between two dates (the class's own dates unless
    told), at the same time, skipping the public holidays; ``{n}`` in the content is the
    lesson's number in the pattern. Class hours left out are those the slot holds."""
    training_class = _editable(actor, training_class)
    if not weekdays:
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    date_from = date_from or training_class.start_date
    date_to = date_to or training_class.end_date
    if date_to < date_from:
        raise ValidationError({"date_to": _("The last day is before the first.")})
    days, skipped = weekly_dates(
        date_from=date_from, date_to=date_to, weekdays=weekdays, skip_holidays=skip_holidays
    )
    if not days:
        raise ValidationError(_("No day between these dates falls on the days chosen."))
    if hours is None:
        hours = slot_hours(start_time, end_time) if end_time > start_time else Decimal(0)

    def parse(number: int) -> LessonDraft:
        return LessonDraft(
            date=days[number - 1],
            start_time=start_time,
            end_time=end_time,
            hours=Decimal(hours),
            kind=kind,
            content=content.replace("{n}", str(number)).strip(),
            teacher=teacher,
        )

    lessons = _add_all(actor, training_class, [(n, n) for n in range(1, len(days) + 1)], parse)
    return Generated(lessons=lessons, skipped=skipped)


# -- rows from a spreadsheet or pasted from Excel ---------------------------------------------

_TIME = re.compile(r"^(\d{1,2})\s*[:：时点.]\s*(\d{2})(?:\s*[:：]\s*\d{2})?\s*分?$")
_RANGE = re.compile(r"^(.+?)\s*[-–—~～至到]\s*(.+)$")


def _parse_time(text: str) -> time:
    text = clean_text(text)
    match = _TIME.match(text)
    if match is None and re.fullmatch(r"\d{3,4}", text):
        match = re.match(r"(\d{1,2})(\d{2})", text)
    if match is None:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2)))


def _parse_kind(text: str) -> str:
    word = clean_text(text).casefold()
    for kind, words in _KIND_WORDS.items():
        if word in words or word == str(kind.label).casefold():
            return kind
    raise ValueError(word)


def _row_parser(training_class: TrainingClass):
    teachers = {
        t.name: t
        for t in Teacher.objects.filter(
            organisation_id=training_class.organisation_id, is_active=True
        )
    }
    labels = {column.key: column.name for column in curriculum_columns()}

    def parse(values: dict[str, str]) -> LessonDraft:
        problems: list[RowProblem] = []
        parsed: dict[str, object] = {}
        try:
            parsed["date"] = parse_day(values["date"])
            if parsed["date"] is None:
                raise ValueError
        except ValueError:
            problems.append(RowProblem(labels["date"], _("Write the date as 2023-05-08.")))
        start_text, end_text = values["start_time"], values["end_time"]
        if not end_text and (match := _RANGE.match(clean_text(start_text))):
            start_text, end_text = match.groups()  # "08:30-11:45" in one cell
        for key, text in (("start_time", start_text), ("end_time", end_text)):
            try:
                parsed[key] = _parse_time(text)
            except ValueError:
                problems.append(RowProblem(labels[key], _("Write the time as 08:30.")))
        try:
            hours_text = clean_text(values.get("hours", ""))
            parsed["hours"] = Decimal(hours_text) if hours_text else None
        except InvalidOperation:
            problems.append(RowProblem(labels["hours"], _("Write the class hours as a number.")))
        try:
            parsed["kind"] = _parse_kind(values["kind"])
        except ValueError:
            problems.append(
                RowProblem(labels["kind"], _("Write 理论 (theory) or 实操 (practice)."))
            )
        teacher_name = clean_text(values.get("teacher", ""))
        teacher = teachers.get(teacher_name) if teacher_name else None
        if teacher_name and teacher is None:
            problems.append(
                RowProblem(
                    labels["teacher"],
                    _("No active teacher of this organisation is called %(name)s.")
                    % {"name": teacher_name},
                )
            )
        if problems:
            raise RowProblems(problems)
        hours = parsed["hours"]
        if hours is None:
            hours = slot_hours(parsed["start_time"], parsed["end_time"])
        return LessonDraft(
            date=parsed["date"],
            start_time=parsed["start_time"],
            end_time=parsed["end_time"],
            hours=hours,
            kind=parsed["kind"],
            content=clean_text(values["content"]),
            teacher=teacher,
        )

    return parse


@transaction.atomic
def lessons_import(*, actor: Actor, training_class: TrainingClass, upload) -> list[Lesson]:
    """A 课程表 spreadsheet (.xlsx or .csv) through the shared import: all or nothing, every
    problem by row and column."""
    training_class = _editable(actor, training_class)
    rows = read_rows(upload, curriculum_columns())
    return _add_all(actor, training_class, rows, _row_parser(training_class))


@transaction.atomic
def lessons_paste(*, actor: Actor, training_class: TrainingClass, text: str) -> list[Lesson]:
    """Rows copied from Excel (tab-separated text) and pasted: with their header row, or
    without it in the columns' order (日期, 开始时间, 结束时间, 学时, 类型, 内容, 教师)."""
    training_class = _editable(actor, training_class)
    lines = [line for line in str(text or "").replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        raise ValidationError({"text": _("Paste the rows of the curriculum.")})
    columns = curriculum_columns()
    wanted = {_header_key(header): column.key for column in columns for header in column.headers}
    first = [_header_key(cell) for cell in lines[0].split("\t")]
    if any(cell in wanted for cell in first):
        order = [wanted.get(cell) for cell in first]  # the header row says which is which
        body = lines[1:]
        start = 2
    else:
        order = [column.key for column in columns]  # the columns' own order
        body = lines
        start = 1
    rows = []
    for number, line in enumerate(body, start=start):
        cells = line.split("\t")
        values = {column.key: "" for column in columns}
        for key, cell in zip(order, cells, strict=False):
            if key:
                values[key] = clean_text(cell)
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        raise ValidationError({"text": _("Paste the rows of the curriculum.")})
    return _add_all(actor, training_class, rows, _row_parser(training_class))


# -- the lessons of an earlier class ---------------------------------------------------------


@transaction.atomic
def lessons_copy(
    *, actor: Actor, training_class: TrainingClass, source: TrainingClass
) -> list[Lesson]:
    """The lessons of an earlier class of the same organiser, moved by the days between the
    two classes' start dates (same times, hours, kinds, contents; teachers still active)."""
    training_class = _editable(actor, training_class)
    source = get_visible_or_404(TrainingClass, actor, pk=source.pk)
    if source.organisation_id != training_class.organisation_id or not is_organiser(actor, source):
        raise ValidationError({"source": _("Copy only from a class of your own organisation.")})
    shift = training_class.start_date - source.start_date
    lessons = list(source.lessons.select_related("teacher"))
    if not lessons:
        raise ValidationError({"source": _("That class has no lessons.")})

    def parse(lesson: Lesson) -> LessonDraft:
        teacher = lesson.teacher if lesson.teacher and lesson.teacher.is_active else None
        return LessonDraft(
            date=lesson.date + shift,
            start_time=lesson.start_time,
            end_time=lesson.end_time,
            hours=lesson.hours,
            kind=lesson.kind,
            content=lesson.content,
            teacher=teacher,
        )

    return _add_all(
        actor, training_class, [(n, lesson) for n, lesson in enumerate(lessons, 1)], parse
    )
