"""What every app shares: the access log of sensitive reveals and exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet


class AccessAction(models.TextChoices):
    REVEAL = "reveal", _("Full value revealed")
    EXPORT = "export", _("Export")


class AccessLogQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        # An auditor sees the reveals and exports made by organisations in their scope.
        from upskill.organisations.models import Organisation

        return self.filter(organisation__in=Organisation.objects.scope_for(organisation))


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
    row_count = models.PositiveIntegerField(_("rows"), default=1)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        permissions = [("view_audit_trail", _("Can read the change history of records"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.description}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("access log entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("access log entries are append-only")
