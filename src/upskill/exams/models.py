"""The online theory exam (WH20-EXM-1, HB61-ONL-1).

A platform's operator keeps a **question bank** per occupation and level: single choice,
multiple choice and true/false **questions**, each with its options, its key (``answer``), an
explanation (解析), a knowledge area (知识点) and a difficulty (难度). A **blueprint** is one exam
of the platform for an occupation and level: its **parts** say how many questions of which type
and knowledge area are drawn and what each is worth, with the pass mark, the time limit and the
waiting time between attempts.

A learner enrolled in an online class of the platform, occupation and level takes an **exam
attempt**: the server draws its own **paper** (random per attempt, options shuffled), stores
it, saves each choice as it is given and ends the attempt at its deadline. The key stays on the
server: a paper question stores which original option each displayed one is, and the learner
only ever sends and receives displayed positions.

Who sees what (docs/roles.md): the platform its own banks, blueprints and the attempts on them;
a bureau or the class's organiser the attempts of the classes it sees (read-only); a learner
their own attempts and the blueprints of the classes they are enrolled in.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from upskill.catalog.models import OccupationLevel
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.learning.models import enrolled_q
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.registry.models import Person
from upskill.training.models import Enrolment, TrainingClass, class_scope_q

VIEW_BANK = "exams.view_questionbank"
MANAGE_BANK = "exams.change_questionbank"
VIEW_ATTEMPT = "exams.view_examattempt"


def retake_wait_minutes() -> int:
    """The waiting time between two attempts when a blueprint sets none (WH20-EXM-1: retakes
    are unlimited; the platform spaces them)."""
    return int(getattr(settings, "UPSKILL_EXAM_RETAKE_WAIT_MINUTES", 60))


class PlatformOwnedQuerySet(ScopedQuerySet):
    """Banks and blueprints and what hangs on them; ``platform_path`` leads to the platform."""

    platform_path = ""

    def scope_for(self, organisation: Organisation):
        """The platform its own; no other organisation (the questions are the platform's)."""
        if organisation.kind != OrganisationKind.PLATFORM:
            return self.none()
        return self.filter(**{f"{self.platform_path}platform": organisation})


class QuestionBank(models.Model):
    """A platform's questions for one occupation and level (named by occupation name and level,
    as courses are, so it outlives catalogue versions)."""

    platform = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="question_banks",
        limit_choices_to={"kind": OrganisationKind.PLATFORM},
        verbose_name=_("online platform"),
    )
    occupation_name = models.CharField(_("occupation"), max_length=128)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlatformOwnedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["platform", "occupation_name", "level"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "occupation_name", "level"], name="bank_one_per_occupation"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Difficulty(models.IntegerChoices):
    EASY = 1, pgettext_lazy("difficulty", "Easy")
    MEDIUM = 2, pgettext_lazy("difficulty", "Medium")
    HARD = 3, pgettext_lazy("difficulty", "Hard")


class QuestionQuerySet(PlatformOwnedQuerySet):
    platform_path = "bank__"


class Question(models.Model):
    """One question: its options in the order written and the key as indexes into them."""

    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=pgettext_lazy("question", "bank"),
    )
    kind = models.CharField(_("type"), max_length=16, choices=QuestionKind.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list)
    answer = models.JSONField(
        pgettext_lazy("question", "key"), default=list
    )  # sorted indexes into options
    explanation = models.TextField(pgettext_lazy("question", "explanation"), blank=True)
    knowledge_area = models.CharField(_("knowledge area"), max_length=64, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = QuestionQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["bank", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["bank", "kind", "knowledge_area"], name="question_draw")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.stem[:60]


class BlueprintQuerySet(PlatformOwnedQuerySet):
    def scope_for_person(self, person: Person):
        """The active blueprints of the classes the learner is enrolled in."""
        return self.filter(enrolled_q(person, open_flag="active"))


class Blueprint(models.Model):
    """One exam of a platform for an occupation and level: its parts, the pass mark, the time
    limit and the waiting time between attempts (WH20-EXM-1; blank: the default setting
    ``UPSKILL_EXAM_RETAKE_WAIT_MINUTES``)."""

    platform = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exam_blueprints",
        limit_choices_to={"kind": OrganisationKind.PLATFORM},
        verbose_name=_("online platform"),
    )
    occupation_name = models.CharField(_("occupation"), max_length=128)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=1)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"))
    wait_minutes = models.PositiveIntegerField(
        _("waiting time between attempts (minutes)"),
        null=True,
        blank=True,
        help_text=_("Blank: the platform default (WH20-EXM-1)."),
    )
    active = models.BooleanField(_("open to learners"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BlueprintQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["platform", "occupation_name", "level", "pk"]
        verbose_name = _("exam blueprint")
        verbose_name_plural = _("exam blueprints")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_minutes__gt=0), name="blueprint_time_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gt=0), name="blueprint_pass_mark_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def wait(self) -> timedelta:
        minutes = self.wait_minutes if self.wait_minutes is not None else retake_wait_minutes()
        return timedelta(minutes=minutes)

    @property
    def full_marks(self) -> Decimal:
        return sum((part.count * part.points for part in self.parts.all()), Decimal(0))


class BlueprintPartQuerySet(PlatformOwnedQuerySet):
    platform_path = "blueprint__"


class BlueprintPart(models.Model):
    """``count`` questions of ``kind`` (of ``knowledge_area``; blank: any), ``points`` each."""

    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="parts", verbose_name=_("blueprint")
    )
    kind = models.CharField(_("type"), max_length=16, choices=QuestionKind.choices)
    knowledge_area = models.CharField(
        _("knowledge area"), max_length=64, blank=True, help_text=_("Blank: any.")
    )
    count = models.PositiveSmallIntegerField(_("questions"))
    points = models.DecimalField(_("points each"), max_digits=5, decimal_places=1)

    objects = BlueprintPartQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["blueprint", "pk"]
        verbose_name = _("blueprint part")
        verbose_name_plural = _("blueprint parts")
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="part_count_positive"),
            models.CheckConstraint(condition=Q(points__gt=0), name="part_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.count}"


class AttemptQuerySet(ScopedQuerySet):
    """Exam attempts; ``attempt_path`` leads to the attempt."""

    attempt_path = ""

    def scope_for(self, organisation: Organisation):
        """The platform: the attempts on its blueprints; a bureau, township centre or the
        class's organiser: the attempts of the classes it sees (read-only)."""
        path = self.attempt_path
        if organisation.kind == OrganisationKind.PLATFORM:
            return self.filter(**{f"{path}blueprint__platform": organisation})
        return self.filter(class_scope_q(organisation, f"{path}training_class__"))

    def scope_for_person(self, person: Person):
        """Their own."""
        return self.filter(**{f"{self.attempt_path}person": person})


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Ended at the deadline")


class ExamAttempt(models.Model):
    """A learner's attempt: its own paper, the deadline, and once closed its score and whether
    it passed. Retakes are unlimited after the blueprint's waiting time (WH20-EXM-1); the
    passing score becomes the theory part of the assessment (HB61-ONL-1)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="exam_attempts", verbose_name=_("learner")
    )
    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("exam")
    )
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="online_exam_attempts"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="online_exam_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("ended"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    full_marks = models.DecimalField(_("full marks"), max_digits=6, decimal_places=1)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=1)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("online exam attempt")
        verbose_name_plural = _("online exam attempts")
        indexes = [
            models.Index(fields=["status", "deadline"], name="exam_attempt_open"),
            models.Index(fields=["person", "blueprint"], name="exam_attempt_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "blueprint"],
                condition=Q(status="open"),
                name="exam_attempt_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.blueprint} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN

    @property
    def reference(self) -> str:
        """How the assessment names this result (HB61-ONL-1)."""
        return f"{self.blueprint.platform.name} · EXAM-{self.pk}"


class PaperQuestionQuerySet(AttemptQuerySet):
    attempt_path = "attempt__"


class PaperQuestion(models.Model):
    """One question of an attempt's paper: the original option shown at each position
    (``order``), the points, and the choice given (displayed positions) with when it was
    saved; graded when the attempt closes."""

    attempt = models.ForeignKey(
        ExamAttempt, on_delete=models.CASCADE, related_name="paper", verbose_name=_("attempt")
    )
    position = models.PositiveSmallIntegerField(_("number"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.JSONField(default=list)  # displayed position -> original option index
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    choice = models.JSONField(default=list)  # displayed positions chosen
    saved_at = models.DateTimeField(null=True, blank=True)
    awarded = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    objects = PaperQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("paper question")
        verbose_name_plural = _("paper questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="paper_one_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.position}"
