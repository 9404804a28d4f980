"""Parameter versions that administrators add without a deploy. The shipped YAML files of
``upskill.policy`` are the defaults; these rows are handed to the engine as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet


class ParameterVersionQuerySet(ScopedQuerySet):
    def scope_for(self, organisation):
        """Policy parameter versions: every organisation (the policy in force is public law)."""
        return self.all()

    def scope_for_person(self, person):
        """All (the policy in force is public law)."""
        return self.all()

    def in_effect(self):
        return self.filter(withdrawn_at__isnull=True)


class ParameterVersion(models.Model):
    parameter = models.CharField(_("parameter"), max_length=128)
    region_code = models.CharField(_("region code"), max_length=6)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    value = models.JSONField(_("value"))
    document = models.CharField(_("document number"), max_length=128)
    clause = models.CharField(_("clause"), max_length=64, blank=True)
    rule = models.CharField(_("rule id"), max_length=32)
    note = models.TextField(_("note"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=255, blank=True)

    objects = ParameterVersionQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["parameter", "region_code", "valid_from"]
        verbose_name = _("parameter version")
        verbose_name_plural = _("parameter versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="parameterversion_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parameter} {self.region_code} {self.valid_from}–{self.valid_until or ''}"

    def as_engine_version(self) -> dict:
        return {
            "parameter": self.parameter,
            "region": self.region_code,
            "from": self.valid_from,
            "until": self.valid_until,
            "value": self.value,
            "reference": {"document": self.document, "clause": self.clause, "rule": self.rule},
        }
