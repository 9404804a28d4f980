"""Audit trail wiring for django-simple-history.

Every audited model declares ``history = audit_history()``; each historical row then records
who (user), for which organisation, through which API token, and the full before/after values.
Encrypted fields are copied as the same encrypted field, so history tables never hold plaintext.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .actor import current_actor


class AuditFields(models.Model):
    history_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("acting organisation"),
    )
    history_token = models.CharField(_("API token"), max_length=64, blank=True)

    class Meta:
        abstract = True


def audit_history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(bases=[AuditFields], **kwargs)


@receiver(pre_create_historical_record)
def _record_actor(sender, instance, history_instance, **kwargs) -> None:
    actor = current_actor()
    if actor is None:
        return
    if getattr(actor, "is_api_token", False):
        history_instance.history_token = actor.name
        history_instance.history_user = None
    elif getattr(history_instance, "history_user", None) is None and getattr(
        actor, "is_authenticated", False
    ):
        history_instance.history_user = actor
    history_instance.history_organisation_id = getattr(actor, "organisation_id", None)
