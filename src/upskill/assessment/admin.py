from django.contrib import admin

from upskill.core.admin import ReadOnlyScopedAdmin

from .models import Attempt, Certificate, ExamSession, PassMark


@admin.register(PassMark)
class PassMarkAdmin(ReadOnlyScopedAdmin):
    list_display = ("region", "occupation_name", "level", "theory_pass_mark", "practical_pass_mark")
    search_fields = ("occupation_name",)


@admin.register(ExamSession)
class ExamSessionAdmin(ReadOnlyScopedAdmin):
    list_display = ("training_class", "number", "date", "status")
    list_filter = ("status",)


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyScopedAdmin):
    list_display = ("session", "enrolment", "attempt_number", "result")
    list_filter = ("result",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "serial",
        "kind",
        "holder_name",
        "id_number_masked",
        "issue_date",
        "verification",
    )
    list_filter = ("kind", "verification", "source")
    search_fields = ("serial", "holder_name")
    exclude = ("verification_code",)
