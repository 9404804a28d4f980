"""What every app shares: the access log of sensitive reveals and exports, background jobs,
and resumable chunked uploads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet
from .stored_text import render_stored_text


class AccessAction(models.TextChoices):
    REVEAL = "reveal", _("Full value revealed")
    EXPORT = "export", _("Export")
    # who looked up which ID number (registered or not), and who took a person on or let them go
    LOOKUP = "lookup", _("Look-up by ID number")
    LINK = "link", _("Affiliation made")
    UNLINK = "unlink", _("Affiliation ended")
    # an administrator removed a user's lost authenticator and recovery codes
    SECOND_FACTOR_RESET = "2fa_reset", _("Second factor reset")


class AccessLogQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """Access-log entries made by the organisations the viewer may see: an auditor reads the
        reveals and exports of its jurisdiction."""
        # The organisations' own scope, reached through the foreign key's model: core sits
        # below organisations and imports nothing of it.
        organisations = self.model._meta.get_field("organisation").related_model.objects
        return self.filter(organisation__in=organisations.scope_for(organisation))


class AccessLog(models.Model):
    """Append-only record of every full reveal or export of sensitive personal information.
    It holds what was looked at, never the value itself."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    token_name = models.CharField(_("API token"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    field = models.CharField(_("field"), max_length=64, blank=True)
    description = models.CharField(_("what"), max_length=255)
    # the message and parameters of ``description`` (core/stored_text.py), rendered in the
    # reader's language; ``description`` keeps it as written, for search
    # (null: rows written by SQL, and those before it was kept, have none)
    description_text = models.JSONField(_("what (message)"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=1)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        permissions = [("view_audit_trail", _("Can read the change history of records"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("access log entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("access log entries are append-only")

    @property
    def what(self) -> str:
        """What was looked at, in the reader's language (entries written before the message was
        kept: their stored text)."""
        return render_stored_text(self.description_text, self.description)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """A background job: only the organisation whose user or token started it."""
        return self.filter(organisation=organisation)


class Job(models.Model):
    """A background job (an import, a batch settlement, a report) with its progress, run by
    huey (``core/jobs.py``). Its result is JSON: a summary when done, the row-by-row report
    of a refused import when failed. It never holds a full ID or bank number."""

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    token = models.ForeignKey(
        "organisations.ApiToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("API token"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    language = models.CharField(max_length=16, blank=True)
    # "host:pid" of the worker process running it: a running job whose process is gone (killed,
    # crashed, the machine restarted) is marked failed (core/jobs.py jobs_fail_stale).
    worker = models.CharField(_("worker"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.title or self.kind} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def origin(self) -> str:
        """The page the job was started from (its page links back to it, issue 15.5)."""
        if isinstance(self.result, dict):
            return str(self.result.get("origin") or "")
        return ""

    @property
    def row_errors(self) -> list[dict]:
        """The row-by-row report of a refused import ([] otherwise): the problems kept (at
        most UPSKILL_IMPORT_MAX_PROBLEMS); pages and the API show it a page at a time."""
        if isinstance(self.result, dict):
            return list(self.result.get("errors") or [])
        return []

    @property
    def row_errors_total(self) -> int:
        """How many problems the refused import found (more than are kept, past the cap)."""
        if isinstance(self.result, dict):
            return int(self.result.get("errors_total") or len(self.result.get("errors") or []))
        return 0


class UploadStatus(models.TextChoices):
    OPEN = "open", _("Receiving")
    DONE = "done", _("Complete")
    REFUSED = "refused", _("Refused")


class UploadQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """An upload in progress: only the organisation whose user (or token) started it."""
        return self.filter(organisation=organisation)


class Upload(models.Model):
    """A chunked, resumable upload of one file (core/uploads.py): the chunks are stored as they
    arrive (``offset`` bytes so far) and assembled, streamed, when the last one is in. What it
    is for (``purpose``, e.g. ``supervision.evidence``, ``learning.lesson``) and that app's
    fields (``details``: the class and scene of an evidence photo, the section of a lesson) are
    read back by the app that finishes it; ``facts`` keeps what probing read from the file and
    ``object_id`` the record it became."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(_("purpose"), max_length=64)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    max_bytes = models.PositiveBigIntegerField(_("largest size accepted"))
    offset = models.PositiveBigIntegerField(_("bytes received"), default=0)
    parts = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.OPEN
    )
    message = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    facts = models.JSONField(null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__lte=F("size")), name="core_upload_within_size"
            ),
            models.CheckConstraint(
                condition=Q(size__lte=F("max_bytes")), name="core_upload_within_limit"
            ),
            models.CheckConstraint(
                condition=Q(status__in=UploadStatus.values), name="core_upload_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.offset}/{self.size})"

    def part_name(self, index: int) -> str:
        # under the purpose's app: an evidence upload's parts stay where they were stored
        # before uploads moved to core ("supervision/uploads/<id>/")
        return f"{self.purpose.split('.')[0]}/uploads/{self.pk}/{index:06d}.part"
