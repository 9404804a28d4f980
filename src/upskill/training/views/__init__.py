"""Pages of the training app: thin, they parse, call a service or selector, and render. One
module per sub-domain (classes, enrolment, attendance, records, teachers, notices); ``urls.py``
finds every page through this package's names.

Staff pages fetch through the scope (outside it 404, without the permission 403). The public
pages (enrolment notices, QR check-in, survey) need no account: the check-in and survey pages
are reached only through a signed, time-limited token, and ask the trainee's ID number and
name."""

from .attendance import checkin, leave_add, leave_decide, lesson_attendance, lesson_qr
from .classes import (
    class_create,
    class_detail,
    class_edit,
    class_list,
    class_transition,
)
from .curriculum import (
    lesson_add,
    lesson_remove,
    lessons_copy,
    lessons_import,
    lessons_paste,
    lessons_pattern,
)
from .enrolment import (
    enrol,
    enrol_found,
    enrol_offer,
    enrolment_withdraw,
    roster_export,
    roster_import,
)
from .notices import notices
from .records import first_lesson, survey, survey_link
from .teachers import teacher_create, teacher_list

__all__ = [
    "checkin",
    "class_create",
    "class_detail",
    "class_edit",
    "class_list",
    "class_transition",
    "enrol",
    "enrol_found",
    "enrol_offer",
    "enrolment_withdraw",
    "first_lesson",
    "leave_add",
    "leave_decide",
    "lesson_add",
    "lesson_attendance",
    "lesson_qr",
    "lesson_remove",
    "lessons_copy",
    "lessons_import",
    "lessons_paste",
    "lessons_pattern",
    "notices",
    "roster_export",
    "roster_import",
    "survey",
    "survey_link",
    "teacher_create",
    "teacher_list",
]
