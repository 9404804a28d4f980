"""Shared writes: the access log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AccessAction, AccessLog


def access_log_record(
    *,
    actor,
    action: str,
    description: str,
    obj: models.Model | None = None,
    field: str = "",
    row_count: int = 1,
    remote_addr: str | None = None,
) -> AccessLog:
    is_token = getattr(actor, "is_api_token", False)
    is_user = not is_token and getattr(actor, "is_authenticated", False)
    return AccessLog.objects.create(
        user=actor if is_user else None,
        token_name=actor.name if is_token else ("" if is_user else "system"),
        organisation_id=getattr(actor, "organisation_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        field=field,
        description=description[:255],
        row_count=row_count,
        remote_addr=remote_addr,
    )


__all__ = ["AccessAction", "access_log_record"]
