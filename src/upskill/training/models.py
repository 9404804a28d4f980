"""Training projects and classes (HB61-PRJ-1): teachers, class plans with their curriculum,
enrolment, attendance per lesson (GA23-SYS-1, GA23-DAY-1), leave, the first lesson and the
satisfaction survey (GA23-SYS-1).

Who sees a class (docs/roles.md): the organisation that runs it (institution or enterprise); the
bureau of the county the class is held in; the township centre of the township it is held in.
A township centre also sees its residents' enrolments in classes held elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.fields import EncryptedTextField, PhoneMaskField
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.registry.models import Person

# Who organises classes (HB61-PRJ-1): designated institutions and enterprises.
ORGANISER_KINDS = (OrganisationKind.INSTITUTION, OrganisationKind.ENTERPRISE)


def class_scope_q(
    organisation: Organisation, path: str = "", *, township: bool = True, organiser: bool = True
) -> Q:
    """The classes an organisation may see (docs/roles.md), as a filter on ``<path>``TrainingClass:
    a bureau those of its jurisdiction; a township centre those held in its township (unless
    ``township`` is false); an institution or enterprise its own (unless ``organiser`` is
    false). Later apps whose records hang on a class call this with their flags, so the rule
    is written once."""
    prefix = organisation.jurisdiction_prefix
    if prefix:
        return Q(**{f"{path}township__code__startswith": prefix})
    if township and organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
        return Q(**{f"{path}township_id": organisation.region_id})
    if organiser and organisation.kind in ORGANISER_KINDS:
        return Q(**{f"{path}organisation_id": organisation.pk})
    return Q(pk__in=[])


class TeacherQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the teachers of the organisations of its jurisdiction; a township centre: the
        teachers of classes held in its township; an institution or enterprise: its own; anyone
        else: none."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(organisation__region__code__startswith=prefix)
        if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
            return self.filter(
                pk__in=TrainingClass.teachers.through.objects.filter(
                    trainingclass__township_id=organisation.region_id
                ).values("teacher_id")
            )
        if organisation.kind in (OrganisationKind.INSTITUTION, OrganisationKind.ENTERPRISE):
            return self.filter(organisation=organisation)
        return self.none()


class Teacher(models.Model):
    """A teacher of an institution or enterprise, with the qualification they teach under."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="teachers",
        verbose_name=_("teaches for"),
    )
    name = models.CharField(_("name"), max_length=64)
    # Encrypted at rest; screens show the masked copy (138****1960).
    phone = EncryptedTextField(_("phone"), purpose="teacher.phone", blank=True)
    phone_masked = PhoneMaskField(_("phone"), source="phone")
    certificate_kind = models.CharField(
        _("certificate kind"),
        max_length=64,
        help_text=_("e.g. vocational skill level certificate, teacher qualification"),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=64)
    occupation = models.ForeignKey(
        "catalog.Occupation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation of the certificate"),
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TeacherQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["organisation", "name", "pk"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "certificate_kind", "certificate_number"],
                name="teacher_certificate_unique",
            )
        ]
        indexes = [models.Index(fields=["name", "id"], name="training_teacher_name_id")]

    def __str__(self) -> str:
        return self.name


class ClassStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class ClassAction(models.TextChoices):
    """The moves of a class plan (``transitions.TRANSITIONS``, HB61-PRJ-1); the label is the
    button's."""

    SUBMIT = "submit", _("Submit for approval")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return with reason")
    START = "start", _("Start the class")
    FINISH = "finish", _("Finish the class")
    CANCEL = "cancel", _("Cancel the class")


# States in which the plan (dates, venue, teachers, curriculum) may still be edited.
EDITABLE_STATES = (ClassStatus.DRAFT, ClassStatus.RETURNED)
# States in which trainees may be enrolled.
ENROLLING_STATES = (ClassStatus.APPROVED, ClassStatus.RUNNING)


class TrainingClassQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A bureau: the classes held in its jurisdiction; a township centre: the classes held in
        its township; an institution or enterprise: the classes it organises; anyone else: none."""
        return self.filter(class_scope_q(organisation))

    def published(self):
        """Enrolment notices (GA23-PUB-1): approved classes not yet started."""
        return self.filter(status=ClassStatus.APPROVED)


class TrainingClass(models.Model):
    """A class plan filed by an institution or enterprise and approved by the bureau of the
    county it is held in, before anything starts (HB61-PRJ-1)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="classes", verbose_name=_("organiser")
    )
    name = models.CharField(_("class name"), max_length=128)
    catalog_entry = models.ForeignKey(
        "catalog.CatalogEntry",
        on_delete=models.PROTECT,
        related_name="classes",
        verbose_name=_("training project"),
    )
    township = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("township of the venue"),
    )
    venue = models.CharField(_("venue"), max_length=255)
    # An online class is trained on a platform (WH20-PLT-1): the platform's organisation, the
    # link that stays across versions of the platform catalogue.
    platform = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platform_classes",
        limit_choices_to={"kind": "platform"},
        verbose_name=_("online platform"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    planned_places = models.PositiveIntegerField(_("planned places"))
    teachers = models.ManyToManyField(
        Teacher, blank=True, related_name="classes", verbose_name=_("teachers")
    )
    assessment_method = models.TextField(_("assessment method"))
    status = models.CharField(
        _("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.DRAFT
    )
    status_reason = models.TextField(_("reason of the last decision"), blank=True)
    # The first lesson: the policy briefing (GA23-SYS-1).
    first_lesson_date = models.DateField(_("first lesson date"), null=True, blank=True)
    first_lesson_content = models.TextField(_("first lesson content"), blank=True)
    first_lesson_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrainingClassQuerySet.as_manager()
    history = audit_history(excluded_fields=["updated_at"], m2m_fields=[teachers])

    class Meta:
        ordering = ["-start_date", "name", "pk"]
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        permissions = [
            ("review_trainingclass", _("Can approve or return class plans")),
            ("record_first_lesson", _("Can record the first lesson of a class")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="class_period"
            ),
            # only the states of the table (transitions.py, HB61-PRJ-1)
            models.CheckConstraint(
                condition=Q(status__in=ClassStatus.values), name="class_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"]),
            # the classes list's sort columns (training/lists.py), the primary key last
            models.Index(fields=["start_date", "id"], name="training_class_start_id"),
            models.Index(fields=["name", "id"], name="training_class_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def county_code(self) -> str:
        return self.township.code[:6]

    @property
    def program(self) -> str:
        return self.catalog_entry.program

    @property
    def occupation(self):
        return self.catalog_entry.occupation

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES


class ClassRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the class: visible with a class the viewer may see."""
        return self.filter(class_scope_q(organisation, "training_class__"))


class Transition(models.Model):
    """One change of a class's state: who, when, why (HB61-PRJ-1)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ClassStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ClassStatus.choices)
    action = models.CharField(_("action"), max_length=16, choices=ClassAction.choices)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ClassRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["training_class", "at", "pk"]
        verbose_name = _("class state change")
        verbose_name_plural = _("class state changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ClassAction.values), name="transition_action_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training_class} {self.from_status} → {self.to_status}"


class LessonKind(models.TextChoices):
    THEORY = "theory", _("Theory")
    PRACTICE = "practice", _("Practice")


class Lesson(models.Model):
    """One lesson of the curriculum (GA23-HRS-1: theory and practice)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="lessons"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1)
    kind = models.CharField(_("kind"), max_length=16, choices=LessonKind.choices)
    teacher = models.ForeignKey(
        Teacher,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("teacher"),
    )
    content = models.CharField(_("content"), max_length=255)

    objects = ClassRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["training_class", "date", "start_time", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="lesson_times"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="lesson_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.content}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the class; a township centre also sees its residents' enrolments in classes held
        elsewhere."""
        q = class_scope_q(organisation, "training_class__")
        if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
            q |= Q(person__township_id=organisation.region_id)
        return self.filter(q)

    def scope_for_person(self, person: Person):
        """Their own enrolments."""
        return self.filter(person=person)

    def active(self):
        return self.filter(status=EnrolmentStatus.ENROLLED)


class Enrolment(models.Model):
    """A person in a class. The categories and insurance months are those checked at enrolment
    with the policy engine (HB45-CAP-1)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    categories = models.JSONField(_("categories"), default=list, blank=True)
    insured_months = models.PositiveIntegerField(
        _("unemployment-insurance months"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["training_class", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], name="enrolment_unique_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training_class}"


class EnrolmentRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the enrolment: visible with an enrolment the viewer may see."""
        return self.filter(enrolment__in=Enrolment.objects.scope_for(organisation).values("pk"))

    def scope_for_person(self, person: Person):
        """Those of their own enrolments."""
        return self.filter(enrolment__person=person)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")


class AttendanceMethod(models.TextChoices):
    TEACHER = "teacher", _("Marked by the teacher")
    QR = "qr", _("QR check-in")


class Attendance(models.Model):
    """A trainee at a lesson: sign-in and sign-out (GA23-SYS-1). Every change, corrections by
    the teacher with their reason included, is kept in the history."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=AttendanceMethod.choices)
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    reason = models.CharField(_("reason of the correction"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnrolmentRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["lesson", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "enrolment"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.lesson} · {self.get_status_display()}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LeaveRequest(models.Model):
    """A trainee's leave from a lesson, asked by the trainee or recorded by the teacher and
    approved by the institution; an approved leave marks the lesson "on leave"."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="leave_requests"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="leave_requests")
    reason = models.CharField(_("reason"), max_length=255)
    requested_by_trainee = models.BooleanField(_("asked by the trainee"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    objects = EnrolmentRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        permissions = [("decide_leaverequest", _("Can approve or refuse leave requests"))]
        constraints = [
            # a decided leave says when; a pending one has not been decided
            models.CheckConstraint(
                condition=Q(status=LeaveStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=LeaveStatus.PENDING) & Q(decided_at__isnull=False)),
                name="leave_decided_at",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.lesson}"


# The satisfaction survey's questions (GA23-SYS-1): each answered 1 (poor) to 5 (very good).
SURVEY_QUESTIONS = (
    ("content", _("The content of the training was useful to me")),
    ("teachers", _("The teachers explained clearly")),
    ("practice", _("There was enough practical work")),
    ("organisation", _("The class was well organised (venue, times, materials)")),
)


class SurveyResponse(models.Model):
    """One trainee's satisfaction survey, answered before the class is finished (GA23-SYS-1)."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="survey_response"
    )
    answers = models.JSONField(_("answers"))
    comment = models.TextField(_("comment"), blank=True)
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("answered"), auto_now_add=True)

    objects = EnrolmentRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["enrolment"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.submitted_at:%Y-%m-%d}"
