"""Supervision and evidence (GA23 五, HB61-TRC-1): inspections of classes (GA23-INS-1,
GA23-EXM-1), photos and videos uploaded by the organiser (GA23-PHO-1, GA23-VID-1) with the
facts read from the files, fraud signals for a person to review, spot checks of institutions
(GA23-SPT-1) and the sanctions that follow (GA23-SPT-1, HB45-BLK-1).

Who sees what (docs/roles.md):

* inspections and evidence: the bureau of the county the class is held in, and the class's
  own organiser;
* fraud signals and spot checks: the bureau only;
* sanctions: the bureau and the sanctioned institution itself; a public criticism (通报批评)
  is public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.core.stored_text import render_stored_text
from upskill.organisations.models import Organisation
from upskill.registry.models import Person
from upskill.training.models import Enrolment, TrainingClass, class_scope_q


def class_q(organisation: Organisation, path: str = "", organiser: bool = True) -> Q:
    """Classes of the organisation's county (a bureau) or, when ``organiser``, its own classes
    (an institution or enterprise); township centres see no supervision records. The class
    rule itself is training's (:func:`training.models.class_scope_q`)."""
    return class_scope_q(organisation, path, township=False, organiser=organiser)


# -- inspections (GA23-INS-1, GA23-EXM-1) -------------------------------------------------------


class InspectionKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    DURING = "during", _("During training")
    CLOSING = "closing", _("Closing")
    EXAM = "exam", _("Exam supervision")


class InspectionMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    VIDEO = "video", _("Remote video")


class InspectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Recorded")


class InspectionResult(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    ISSUES = "issues", _("Issues to correct")
    FAILED = "failed", _("Failed")


class InspectionQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Inspections: the bureau of the class's jurisdiction and the class's organiser; not the
        township centre."""
        return self.filter(class_q(organisation, "training_class__"))


class Inspection(models.Model):
    """An inspection of a class by the bureau, on site or by remote video (GA23-INS-1); the
    supervision of the final exam is an inspection of kind "exam" (GA23-EXM-1)."""

    training_class = models.ForeignKey(
        TrainingClass,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("class"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=InspectionMode.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.SCHEDULED,
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inspector"),
    )
    findings = models.TextField(_("findings"), blank=True)
    result = models.CharField(
        _("result"), max_length=16, choices=InspectionResult.choices, blank=True
    )
    bureau = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("bureau"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["training_class", "planned_at", "held_at", "pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        permissions = [("record_inspection", _("Can schedule and record inspections"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InspectionKind.values), name="inspection_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=InspectionMode.values), name="inspection_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InspectionStatus.values), name="inspection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(result__in=[*InspectionResult.values, ""]),
                name="inspection_result_valid",
            ),
            # a held inspection has its time and its result (GA23-INS-1)
            models.CheckConstraint(
                condition=~Q(status=InspectionStatus.DONE)
                | (Q(held_at__isnull=False) & ~Q(result="")),
                name="inspection_done_held_with_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.get_kind_display()} · {self.get_mode_display()}"


class ScreenshotLabel(models.TextChoices):
    BANNER = "banner", _("Class banner or screen")
    SIGN_IN = "sign_in", _("Sign-in sheet")
    TEACHER = "teacher", _("Teacher")
    PANORAMA = "panorama", _("Room panorama")
    CLOSE_UP = "close_up", _("Trainee close-ups")


class InspectionScreenshotQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the inspection: the bureau of the class's jurisdiction and the class's
        organiser."""
        return self.filter(class_q(organisation, "inspection__training_class__"))


class InspectionScreenshot(models.Model):
    """A screenshot saved during a remote video inspection, labelled by what it shows
    (GA23-INS-1: banner, sign-in sheet, teacher, panorama, trainee close-ups)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="screenshots")
    label = models.CharField(_("shows"), max_length=16, choices=ScreenshotLabel.choices)
    file = models.FileField(_("file"), upload_to="supervision/screenshots/%Y/%m/", max_length=255)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    objects = InspectionScreenshotQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["inspection", "label", "pk"]
        verbose_name = _("inspection screenshot")
        verbose_name_plural = _("inspection screenshots")
        constraints = [
            models.CheckConstraint(
                condition=Q(label__in=ScreenshotLabel.values), name="screenshot_label_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.get_label_display()}"


# -- evidence (GA23-PHO-1, GA23-VID-1) -----------------------------------------------------------


class Media(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")


class Scene(models.TextChoices):
    OPENING = "opening", _("Opening panorama with policy lesson")
    THEORY = "theory", _("Theory lesson")
    PRACTICE = "practice", _("Practical lesson")
    EXAM = "exam", _("Exam")


# Which scenes each medium documents (GA23-PHO-1: four photo scenes; GA23-VID-1: three videos).
SCENES = {
    Media.PHOTO: (Scene.OPENING, Scene.THEORY, Scene.PRACTICE, Scene.EXAM),
    Media.VIDEO: (Scene.THEORY, Scene.PRACTICE, Scene.EXAM),
}


class EvidenceQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Photos and videos: the bureau of the class's jurisdiction and the class's organiser; not
        the township centre."""
        return self.filter(class_q(organisation, "training_class__"))


class Evidence(models.Model):
    """A photo or video of a class uploaded by its organiser. Dimensions, time taken (EXIF when
    present), duration and codec are read from the file by the server, never taken from the
    uploader (GA23-PHO-1, GA23-VID-1)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("class")
    )
    media = models.CharField(_("medium"), max_length=8, choices=Media.choices)
    scene = models.CharField(_("scene"), max_length=16, choices=Scene.choices)
    specialty = models.CharField(_("specialty"), max_length=128)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    claimed_taken_at = models.DateTimeField(_("time given by the uploader"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="supervision/evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=64)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    exif_taken_at = models.DateTimeField(_("time taken (EXIF)"), null=True, blank=True)
    duration = models.DecimalField(
        _("duration in seconds"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    codec = models.CharField(_("codec"), max_length=32, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["training_class", "media", "scene", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        permissions = [("upload_evidence", _("Can upload photos and videos of classes"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(media__in=Media.values), name="evidence_media_valid"
            ),
            models.CheckConstraint(
                condition=Q(scene__in=Scene.values), name="evidence_scene_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.get_media_display()} · {self.get_scene_display()}"


class MediaHashQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the evidence: the bureau of the class's jurisdiction and the class's
        organiser."""
        return self.filter(class_q(organisation, "evidence__training_class__"))


class MediaHash(models.Model):
    """The difference hash (64 bits) of a photo or of one keyframe of a video, split into four
    16-bit bands so that near-identical pictures are found by an indexed lookup: two hashes at
    Hamming distance ≤ 3 share at least one band."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="hashes")
    frame = models.PositiveIntegerField(_("frame"), default=0)
    value = models.CharField(_("hash"), max_length=16)
    band0 = models.PositiveIntegerField(db_index=True)
    band1 = models.PositiveIntegerField(db_index=True)
    band2 = models.PositiveIntegerField(db_index=True)
    band3 = models.PositiveIntegerField(db_index=True)

    objects = MediaHashQuerySet.as_manager()

    class Meta:
        ordering = ["evidence", "frame"]
        verbose_name = _("picture hash")
        verbose_name_plural = _("picture hashes")
        constraints = [
            # one hash per photo, one per keyframe of a video
            models.UniqueConstraint(fields=["evidence", "frame"], name="media_hash_once_per_frame"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id}#{self.frame} {self.value}"


# The resumable upload of an evidence file is core's (core.models.Upload, core/uploads.py).


# -- fraud signals ------------------------------------------------------------------------------


class SignalKind(models.TextChoices):
    DUPLICATE_PICTURE = "duplicate_picture", _("Same picture in two classes")
    OVERLAPPING_LESSONS = "overlapping_lessons", _("Trainee present at overlapping lessons")
    CHECK_IN_BURST = "check_in_burst", _("Many QR check-ins within seconds")
    SHARED_DEVICE = "shared_device", _("Many trainees' check-ins from one device")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISMISSED = "dismissed", _("Dismissed")
    CONFIRMED = "confirmed", _("Confirmed")


class SignalQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Fraud signals: the bureau of the class's jurisdiction alone (not the organiser, not the
        township centre)."""
        return self.filter(class_q(organisation, "training_class__", organiser=False))


class Signal(models.Model):
    """Something that looks wrong, for a person at the bureau to review (never a sanction by
    itself): confirmed or dismissed with a note."""

    kind = models.CharField(_("kind"), max_length=32, choices=SignalKind.choices)
    key = models.CharField(max_length=128, unique=True)  # one signal per finding
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="signals", verbose_name=_("class")
    )
    other_class = models.ForeignKey(
        TrainingClass,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("other class"),
    )
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(
        _("review"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)

    objects = SignalQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("fraud signal")
        verbose_name_plural = _("fraud signals")
        permissions = [("review_signal", _("Can review fraud signals"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SignalKind.values), name="signal_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SignalStatus.values), name="signal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.training_class}"


# -- spot checks and sanctions (GA23-SPT-1, HB45-BLK-1) -------------------------------------------


class SpotSubject(models.TextChoices):
    TRAINEES = "trainees", _("Trainees")
    CLASSES = "classes", _("Classes")


class SpotMethod(models.TextChoices):
    PHONE = "phone", _("Telephone")
    ON_SITE = "on_site", _("On site")


class SpotCheckQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Spot checks: the bureau whose jurisdiction holds the checked institution; nobody else."""
        prefix = organisation.jurisdiction_prefix
        if prefix:
            return self.filter(organisation__region__code__startswith=prefix)
        return self.none()


class SpotCheck(models.Model):
    """A random sample of an institution's trainees or classes verified by telephone or on
    site (GA23-SPT-1). Closed, its failure rate is compared with the parameter in force."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="spot_checks",
        verbose_name=_("institution"),
    )
    subject = models.CharField(_("sample of"), max_length=16, choices=SpotSubject.choices)
    method = models.CharField(_("verified by"), max_length=16, choices=SpotMethod.choices)
    population = models.PositiveIntegerField(_("drawn from"), default=0)
    seed = models.CharField(max_length=32)
    drawn_on = models.DateField(_("drawn on"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    failure_rate = models.DecimalField(
        _("failure rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    threshold = models.DecimalField(
        _("highest acceptable rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    violation = models.BooleanField(_("above the acceptable rate"), default=False)

    objects = SpotCheckQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-drawn_on", "-pk"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        permissions = [("record_spotcheck", _("Can draw and record spot checks"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=SpotSubject.values), name="spot_check_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=SpotMethod.values), name="spot_check_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(failure_rate__isnull=True)
                | Q(failure_rate__gte=0, failure_rate__lte=1),
                name="spot_check_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.drawn_on}"


class SpotResult(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Failed")


class SpotCheckItemQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the spot check: the bureau alone."""
        return self.filter(spot_check__in=SpotCheck.objects.scope_for(organisation).values("pk"))


class SpotCheckItem(models.Model):
    """One sampled trainee (their enrolment) or class, and what the verification found."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    training_class = models.ForeignKey(
        TrainingClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=16, choices=SpotResult.choices, default=SpotResult.PENDING
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    objects = SpotCheckItemQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["spot_check", "pk"]
        verbose_name = _("spot check item")
        verbose_name_plural = _("spot check items")
        constraints = [
            # a sampled trainee (enrolment) or a sampled class, never both, each drawn once
            models.CheckConstraint(
                condition=Q(enrolment__isnull=True, training_class__isnull=False)
                | Q(enrolment__isnull=False, training_class__isnull=True),
                name="spot_item_trainee_or_class",
            ),
            models.UniqueConstraint(
                fields=["spot_check", "enrolment"], name="spot_item_trainee_once"
            ),
            models.UniqueConstraint(
                fields=["spot_check", "training_class"], name="spot_item_class_once"
            ),
            models.CheckConstraint(
                condition=Q(result__in=SpotResult.values), name="spot_item_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.enrolment or self.training_class)


class SanctionKind(models.TextChoices):
    RECTIFICATION = "rectification", _("Order to rectify at once")
    PUBLIC_CRITICISM = "public_criticism", _("Public criticism")
    BLACKLIST = "blacklist", _("Blacklist")


class SanctionQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A sanction: the sanctioned organisation and the bureaus of its jurisdiction; a public
        criticism: every organisation."""
        q = Q(organisation=organisation) | Q(kind=SanctionKind.PUBLIC_CRITICISM)
        prefix = organisation.jurisdiction_prefix
        if prefix:
            q |= Q(organisation__region__code__startswith=prefix)
        return self.filter(q)

    def in_force(self, on):
        return self.filter(
            Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Sanction(models.Model):
    """A consequence for an institution: an order to rectify after a failed spot check, a
    public criticism on the second violation (GA23-SPT-1), or a blacklist entry for confirmed
    fraud (HB45-BLK-1), which blocks new classes and claims while in force."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SanctionKind.choices)
    rule = models.CharField(_("rule"), max_length=16)
    reason = models.TextField(_("reason"))
    # a reason the product wrote (a failed spot check's): its message and figures
    # (core/stored_text.py), shown in the reader's language; ``reason`` keeps it in the default
    # language (the writer's). A blacklist's reason is the reviewer's own words, kept as typed.
    reason_text = models.JSONField(_("reason (message)"), default=dict, blank=True)
    spot_check = models.ForeignKey(
        SpotCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bureau = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    objects = SanctionQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        permissions = [("issue_sanction", _("Can blacklist institutions"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SanctionKind.values), name="sanction_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="sanction_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()}"

    @property
    def reason_shown(self) -> str:
        """The reason in the reader's language (a typed reason, or one stored before the message
        was kept: as stored)."""
        return render_stored_text(self.reason_text, self.reason)
