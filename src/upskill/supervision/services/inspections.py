"""Inspections (GA23-INS-1) and the exam supervision (GA23-EXM-1), recorded by the bureau;
a remote video inspection keeps labelled screenshots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404
from upskill.training.models import ClassStatus, TrainingClass

from .. import media as probe
from ..models import (
    Inspection,
    InspectionKind,
    InspectionMode,
    InspectionResult,
    InspectionScreenshot,
    InspectionStatus,
    ScreenshotLabel,
)
from ._common import RECORD_INSPECTION, _bureau_of, _check_choice, _local_copy, _safe_name


@transaction.atomic
def inspection_schedule(
    *, actor: Actor, training_class: TrainingClass, kind: str, mode: str, planned_at: datetime
) -> Inspection:
    """Put an inspection of a class in the bureau's plan (GA23-INS-1)."""
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=RECORD_INSPECTION, pk=training_class.pk
    )
    bureau = _bureau_of(actor)
    _check_choice(kind, InspectionKind, "kind", _("Choose the kind of inspection."))
    _check_choice(mode, InspectionMode, "mode", _("Choose on site or remote video."))
    return Inspection.objects.create(
        training_class=training_class,
        kind=kind,
        mode=mode,
        planned_at=planned_at,
        inspector=user_of(actor),
        bureau=bureau,
    )


@dataclass(frozen=True)
class Screenshot:
    label: str
    upload: object  # a Django UploadedFile, a File or a path


@transaction.atomic
def inspection_record(
    *,
    actor: Actor,
    training_class: TrainingClass | None = None,
    inspection: Inspection | None = None,
    kind: str = "",
    mode: str = "",
    held_at: datetime,
    findings: str,
    result: str,
    screenshots: Sequence[Screenshot] = (),
) -> Inspection:
    """Record an inspection held (a scheduled one, or a new one): when, by whom, the findings
    and the result (GA23-INS-1); the exam supervision is kind "exam" (GA23-EXM-1). A remote
    video inspection keeps screenshots labelled by what they show (banner, sign-in sheet,
    teacher, panorama, trainee close-ups) and needs at least one."""
    if inspection is not None:
        inspection = get_visible_or_404(
            Inspection.objects.select_for_update(), actor, perm=RECORD_INSPECTION, pk=inspection.pk
        )
        if inspection.status == InspectionStatus.DONE:
            raise ValidationError(_("This inspection was recorded already."))
        training_class = inspection.training_class
        kind, mode = kind or inspection.kind, mode or inspection.mode
    elif training_class is None:
        raise ValidationError(_("Choose the class."))
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=RECORD_INSPECTION, pk=training_class.pk
    )
    bureau = _bureau_of(actor)
    _check_choice(kind, InspectionKind, "kind", _("Choose the kind of inspection."))
    _check_choice(mode, InspectionMode, "mode", _("Choose on site or remote video."))
    _check_choice(result, InspectionResult, "result", _("Choose the result."))
    if training_class.status in (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.RETURNED):
        raise ValidationError(_("Only an approved class can be inspected."))
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"held_at": _("An inspection is recorded after it was held.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write down what the inspection found.")})
    if mode == InspectionMode.VIDEO and not screenshots:
        raise ValidationError(
            {
                "screenshots": _(
                    "GA23-INS-1: a remote video inspection keeps screenshots (class banner, "
                    "sign-in sheet, teacher, room panorama, trainee close-ups)."
                )
            }
        )
    inspection = inspection or Inspection(training_class=training_class, bureau=bureau)
    inspection.kind, inspection.mode = kind, mode
    inspection.held_at = held_at
    inspection.findings = findings.strip()
    inspection.result = result
    inspection.status = InspectionStatus.DONE
    inspection.inspector = user_of(actor) or inspection.inspector
    inspection.bureau = inspection.bureau or bureau
    inspection.save()
    for shot in screenshots:
        _screenshot_save(inspection, shot.label, shot.upload)
    return inspection


def _screenshot_save(inspection: Inspection, label: str, upload) -> InspectionScreenshot:
    _check_choice(label, ScreenshotLabel, "label", _("Say what the screenshot shows."))
    with _local_copy(upload, settings.UPSKILL_EVIDENCE_PHOTO_MAX_BYTES) as (path, _size, _digest):
        try:
            facts = probe.probe_image(path)
        except probe.MediaRefused as exc:
            raise ValidationError({"screenshots": str(exc)}) from None
        shot = InspectionScreenshot(
            inspection=inspection, label=label, width=facts.width, height=facts.height
        )
        with open(path, "rb") as handle:
            shot.file.save(
                _safe_name(getattr(upload, "name", "") or "shot.png"), File(handle), save=False
            )
    shot.save()
    return shot


@transaction.atomic
def inspection_screenshot_add(
    *, actor: Actor, inspection: Inspection, label: str, upload
) -> InspectionScreenshot:
    inspection = get_visible_or_404(Inspection, actor, perm=RECORD_INSPECTION, pk=inspection.pk)
    _bureau_of(actor)
    return _screenshot_save(inspection, label, upload)
