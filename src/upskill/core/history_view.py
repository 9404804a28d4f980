"""The change history of any audited object, with sensitive values masked."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from django.shortcuts import render

from .fields import EncryptedTextField, LookupHashField, PhoneMaskField
from .masking import mask_account, mask_id_number, mask_phone
from .scoping import get_visible_or_404


def _mask(field, value):
    if value in (None, ""):
        return value
    if isinstance(field, EncryptedTextField):
        if "phone" in field.purpose:
            return mask_phone(value)
        return mask_id_number(value) if "id_number" in field.purpose else mask_account(value)
    return value


def history_entries(obj) -> list[dict]:
    """Newest first: who, when, which organisation, what changed (before → after)."""
    model = type(obj)
    fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "attname")}
    records = list(
        obj.history.select_related("history_user", "history_organisation").order_by(
            "-history_date", "-history_id"
        )
    )
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = fields.get(change.field)
                if isinstance(field, LookupHashField | PhoneMaskField):
                    continue  # derived from the encrypted field, whose change shows masked
                label = field.verbose_name if field is not None else change.field
                changes.append(
                    {
                        "field": label,
                        "old": _mask(field, change.old),
                        "new": _mask(field, change.new),
                    }
                )
        entries.append(
            {
                "record": record,
                "type": record.get_history_type_display(),
                "changes": changes,
                "reason": record.history_change_reason,
            }
        )
    return entries


def object_history(request, model_label: str, pk: int):
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not hasattr(model, "history") or not model.__module__.startswith("upskill."):
        raise Http404
    obj = get_visible_or_404(model, request.user, perm="core.view_audit_trail", pk=pk)
    return render(
        request,
        "core/history.html",
        {"object": obj, "entries": history_entries(obj), "model_name": model._meta.verbose_name},
    )
