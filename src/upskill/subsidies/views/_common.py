"""What the pages of the subsidies app share."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def _today(request) -> date:
    return timezone.localdate()
