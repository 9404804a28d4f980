"""Writes of the training app, one module per sub-domain. Every function takes the acting user
or token first.

- :mod:`.teachers`: teachers of an institution or enterprise;
- :mod:`.plans`: class plans, their curriculum and their states (:func:`class_transition`, the
  one place a class changes state, HB61-PRJ-1);
- :mod:`.rosters`: roster rows checked against the registry and the policy engine, enrolled in
  bulk; the roster import's run;
- :mod:`.enrolment`: one trainee, a roster file as a background job, a trainee leaving;
- :mod:`.attendance`: the tablet page, the QR check-in and leave (GA23-SYS-1);
- :mod:`.curriculum`: a curriculum in bulk: a weekly pattern, rows pasted from Excel, a 课程表
  spreadsheet, an earlier class's lessons (issue 15.4);
- :mod:`.organisers`: who organises a class (HB45-CAT-1, GA23 三(五)) and who recruits for it;
- :mod:`.records`: the first lesson and the satisfaction survey (GA23-SYS-1).

The reads (the plan check, the actor's moves, the signed links of the public pages) are in
``training.selectors``; the permission codenames in ``training.permissions``, re-exported here
for the pages and the API.
"""

from ..permissions import (
    ADD_CLASS,
    ADD_ENROLMENT,
    ADD_LEAVE,
    ADD_TEACHER,
    CHANGE_ATTENDANCE,
    CHANGE_CLASS,
    CHANGE_TEACHER,
    DECIDE_LEAVE,
    RECORD_FIRST_LESSON,
    REVIEW_CLASS,
    VIEW_CLASS,
)
from .attendance import (
    CHECKIN_CLOSES_AFTER,
    CHECKIN_OPENS_BEFORE,
    SIGN_OUT_FROM_BEFORE_END,
    CheckIn,
    attendance_check_in,
    attendance_mark,
    attendance_mark_all_present,
    leave_request_create,
    leave_request_decide,
    marking_opens_at,
)
from .curriculum import (
    Generated,
    curriculum_columns,
    holiday_name,
    lessons_copy,
    lessons_generate,
    lessons_import,
    lessons_paste,
    weekly_dates,
)
from .enrolment import enrolment_create, enrolment_withdraw, roster_import
from .organisers import (
    TRAINING_CENTRE_PROGRAMS,
    organiser_problems,
    recruiting_classes_q,
)
from .plans import (
    PLAN_FIELDS,
    class_create,
    class_transition,
    class_update,
    lesson_create,
    lesson_problems,
    lesson_remove,
    minutes_per_class_hour,
    slot_hours,
    start_is_late,
)
from .records import first_lesson_record, survey_answer
from .rosters import (
    ENROLMENT_RULES,
    INSURANCE_PROGRAMS,
    ROSTER_CHUNK,
    ROSTER_ONLY_CATEGORIES,
    RosterChecker,
    RosterRow,
    RowProblem,
    roster_apply,
    roster_columns,
    roster_import_run,
    split_words,
)
from .teachers import teacher_create, teacher_update

__all__ = [
    "ADD_CLASS",
    "ADD_ENROLMENT",
    "ADD_LEAVE",
    "ADD_TEACHER",
    "CHANGE_ATTENDANCE",
    "CHANGE_CLASS",
    "CHANGE_TEACHER",
    "CHECKIN_CLOSES_AFTER",
    "CHECKIN_OPENS_BEFORE",
    "DECIDE_LEAVE",
    "ENROLMENT_RULES",
    "INSURANCE_PROGRAMS",
    "PLAN_FIELDS",
    "RECORD_FIRST_LESSON",
    "REVIEW_CLASS",
    "ROSTER_CHUNK",
    "ROSTER_ONLY_CATEGORIES",
    "SIGN_OUT_FROM_BEFORE_END",
    "TRAINING_CENTRE_PROGRAMS",
    "VIEW_CLASS",
    "CheckIn",
    "Generated",
    "RosterChecker",
    "RosterRow",
    "RowProblem",
    "attendance_check_in",
    "attendance_mark",
    "attendance_mark_all_present",
    "class_create",
    "class_transition",
    "class_update",
    "curriculum_columns",
    "enrolment_create",
    "enrolment_withdraw",
    "first_lesson_record",
    "holiday_name",
    "leave_request_create",
    "leave_request_decide",
    "lesson_create",
    "lesson_problems",
    "lesson_remove",
    "lessons_copy",
    "lessons_generate",
    "lessons_import",
    "lessons_paste",
    "marking_opens_at",
    "minutes_per_class_hour",
    "organiser_problems",
    "recruiting_classes_q",
    "roster_apply",
    "roster_columns",
    "roster_import",
    "roster_import_run",
    "slot_hours",
    "split_words",
    "start_is_late",
    "survey_answer",
    "teacher_create",
    "teacher_update",
    "weekly_dates",
]
