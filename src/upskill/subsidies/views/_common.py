"""What the pages of the subsidies app share."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _today(request) -> date:
    return timezone.localdate()
