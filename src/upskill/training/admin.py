from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin, ScopedAdmin

from .models import (
    Attendance,
    Enrolment,
    LeaveRequest,
    Lesson,
    SurveyResponse,
    Teacher,
    TrainingClass,
    Transition,
)


@admin.register(Teacher)
class TeacherAdmin(ScopedAdmin):
    list_display = ("name", "organisation", "certificate_kind", "certificate_number", "is_active")
    search_fields = ("name",)
    # the phone is encrypted: shown masked, changed through the teacher's service
    exclude = ("phone",)
    readonly_fields = ("phone_masked",)


@admin.register(TrainingClass)
class TrainingClassAdmin(ReadOnlyScopedAdmin):
    list_display = ("name", "organisation", "township", "start_date", "end_date", "status")
    list_filter = ("status",)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyScopedAdmin):
    list_display = ("training_class", "from_status", "to_status", "user", "at", "reason")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyScopedAdmin):
    list_display = ("training_class", "date", "start_time", "end_time", "hours", "kind")


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyScopedAdmin):
    list_display = ("person", "training_class", "status", "created_at")
    raw_id_fields = ("person",)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyScopedAdmin):
    list_display = ("enrolment", "lesson", "status", "method", "signed_in_at", "signed_out_at")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyScopedAdmin):
    list_display = ("enrolment", "lesson", "reason", "status")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyScopedAdmin):
    list_display = ("enrolment", "submitted_at")
