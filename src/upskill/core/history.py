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


def bulk_create_audited(objs: list, model, *, actor, batch_size: int = 500) -> list:
    """``bulk_create`` the objects and write their "created" audit-trail rows in bulk, with the
    same values a ``save()`` records (who, which organisation or API token, the full values;
    encrypted fields encrypted). For imports of thousands of rows: the history rows are
    inserted with one ``executemany`` per batch instead of one model instance each.
    Call inside a transaction."""
    from django.db import connections, router
    from django.utils import timezone

    created = model._default_manager.bulk_create(objs, batch_size=batch_size)
    if not created:
        return created
    history_model = model.history.model
    using = router.db_for_write(history_model)
    connection = connections[using]
    is_token = getattr(actor, "is_api_token", False)
    user_id = actor.pk if getattr(actor, "is_authenticated", False) and not is_token else None
    constants = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user_id,
        "history_organisation_id": getattr(actor, "organisation_id", None),
        "history_token": actor.name if is_token else "",
    }
    fields = [f for f in history_model._meta.concrete_fields if not f.primary_key]
    # (attname, field to prepare the object's value with, or None and the prepared constant)
    plan = [
        (f.attname, None, f.get_db_prep_save(constants[f.attname], connection))
        if f.attname in constants
        else (f.attname, f, None)
        for f in fields
    ]
    if any(obj.pk is None for obj in created):
        raise ValueError("bulk_create returned no primary keys: use bulk_create_with_history")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(history_model._meta.db_table)} "  # noqa: S608
        f"({columns}) VALUES ({placeholders})"
    )
    rows = [
        [
            value if field is None else field.get_db_prep_save(getattr(obj, attname), connection)
            for attname, field, value in plan
        ]
        for obj in created
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
    return created
