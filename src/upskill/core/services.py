"""Shared writes: the access log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AccessAction, AccessLog
from .scoping import Actor
from .stored_text import render_stored_text

Description = str | dict[str, Any]


def _description(description: Description) -> dict[str, Any]:
    """The entry's "what": a ``stored_text`` is kept as message and parameters (shown in the
    reader's language) and as text in the writer's language (searched); a plain text (a name and
    a masked number, no words) as it is."""
    if isinstance(description, dict):
        text = render_stored_text(description)
        return {"description": text[:255], "description_text": description}
    return {"description": description[:255], "description_text": None}


def _who(actor) -> dict:
    is_token = getattr(actor, "is_api_token", False)
    is_user = not is_token and getattr(actor, "is_authenticated", False)
    return {
        "user": actor if is_user else None,
        "token_name": actor.name if is_token else ("" if is_user else "system"),
        "organisation_id": getattr(actor, "organisation_id", None),
    }


def access_log_record(
    *,
    actor: Actor,
    action: str,
    description: Description,
    obj: models.Model | None = None,
    field: str = "",
    row_count: int = 1,
    remote_addr: str | None = None,
) -> AccessLog:
    return AccessLog.objects.create(
        **_who(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        field=field,
        **_description(description),
        row_count=row_count,
        remote_addr=remote_addr,
    )


def access_log_record_many(
    *, actor: Actor, action: str, entries: list[tuple[models.Model, Description]], field: str = ""
) -> int:
    """One entry per (object, description), inserted in bulk (an import linking 10,000
    trainees writes 10,000 entries in a few statements)."""
    if not entries:
        return 0
    who = _who(actor)
    content_type = ContentType.objects.get_for_model(entries[0][0])
    created = AccessLog.objects.bulk_create(
        [
            AccessLog(
                **who,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                field=field,
                **_description(description),
            )
            for obj, description in entries
        ],
        batch_size=1000,
    )
    return len(created)


__all__ = ["AccessAction", "access_log_record", "access_log_record_many"]
