"""What waits in the catalogues (core/queues.py): catalogue versions still drafts, not yet
published (HB45-CAT-1). Counted with the catalogue list's own selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors
from .models import PUBLISH_CATALOG


def catalogues_unpublished(user) -> int:
    return selectors.catalog_list(actor=user).filter(published_at__isnull=True).order_by().count()


ENTRIES = (
    QueueEntry(
        "catalog.unpublished",
        _("Catalogues not yet published"),
        "catalog:catalog_list",
        catalogues_unpublished,
        perm=PUBLISH_CATALOG,
        order=60,
    ),
)
