"""The change history of any audited object, with sensitive values masked."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

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


def _related_names(model, pks) -> str:
    names = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=pks)}
    return "、".join(names.get(pk, f"#{pk}") for pk in pks)


def _shown(field, value):
    """A stored value as the reader reads it (issue 15.9): a choice by its label, a link to
    another record by that record's name, a many-to-many change by the names it links, yes/no,
    numbers in the one format; never a code or a Python repr."""
    from .templatetags.upskill import num

    if value in (None, "", [], {}):
        return ""
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        labels = dict(field.flatchoices)
        if isinstance(value, list):
            return "、".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if isinstance(field, models.ManyToManyField) and isinstance(value, list):
        target = field.m2m_reverse_field_name()
        pks = [row.get(target) for row in value if isinstance(row, dict)]
        return _related_names(field.related_model, pks)
    if isinstance(field, models.ForeignKey):
        return _related_names(field.related_model, [value])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, Decimal, float)):
        return num(value)
    if isinstance(value, (date, datetime)):
        return formats.localize(value)
    if isinstance(value, dict):
        return "；".join(f"{key}：{_shown(None, item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(_shown(None, item) for item in value)
    return str(value)


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
                        "old": _shown(field, _mask(field, change.old)),
                        "new": _shown(field, _mask(field, change.new)),
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
