"""Fraud signals, raised for a person at the bureau to review and never sanctions by
themselves: near-duplicate pictures, overlapping lessons, check-in bursts, shared devices.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm, visible
from upskill.training.models import Attendance, AttendanceMethod, AttendanceStatus, TrainingClass

from .. import media as probe
from ..models import Evidence, MediaHash, Signal, SignalKind, SignalStatus
from ._common import REVIEW_SIGNAL, _bureau_of


def duplicates_flag(*, actor: Actor, evidence: Evidence) -> list[Signal]:
    """Flag the same or nearly the same picture (difference hash within
    ``UPSKILL_SIGNAL_HASH_DISTANCE`` bits) already used as evidence of another class. The
    threshold is tight: the same venue and banner are legitimately photographed again."""
    limit = settings.UPSKILL_SIGNAL_HASH_DISTANCE
    raised: dict[int, Signal] = {}
    for mine in evidence.hashes.all():
        value = int(mine.value, 16)
        if not probe.informative(value):
            continue
        b = probe.bands(value)
        candidates = (
            MediaHash.objects.filter(Q(band0=b[0]) | Q(band1=b[1]) | Q(band2=b[2]) | Q(band3=b[3]))
            .exclude(evidence__training_class_id=evidence.training_class_id)
            .select_related("evidence")
        )
        for other in candidates:
            distance = probe.hamming(value, int(other.value, 16))
            if distance > limit or other.evidence_id in raised:
                continue
            first, second = sorted((evidence.pk, other.evidence_id))
            signal, _created = Signal.objects.get_or_create(
                key=f"picture:{first}:{second}",
                defaults={
                    "kind": SignalKind.DUPLICATE_PICTURE,
                    "training_class_id": evidence.training_class_id,
                    "other_class_id": other.evidence.training_class_id,
                    "evidence": evidence,
                    "other_evidence": other.evidence,
                    "details": {
                        "distance": distance,
                        "frame": mine.frame,
                        "other_frame": other.frame,
                    },
                },
            )
            raised[other.evidence_id] = signal
    return list(raised.values())


def _attendance_scope(actor, training_class: TrainingClass | None):
    classes = visible(TrainingClass, actor)
    if training_class is not None:
        classes = classes.filter(pk=training_class.pk)
    return Attendance.objects.filter(lesson__training_class__in=classes.values("pk"))


def signals_scan(*, actor: Actor, training_class: TrainingClass | None = None) -> int:
    """Look through the attendance of the classes the bureau sees (or of one class) for: a
    trainee present at overlapping lessons of two classes; QR self check-ins of many trainees
    within seconds at one lesson (the teacher's marks are bulk by nature and not looked at);
    many trainees' self check-ins from one device in a class. Returns how many new signals were
    raised; each finding is raised once."""
    require_perm(actor, REVIEW_SIGNAL)
    _bureau_of(actor)
    attendance = _attendance_scope(actor, training_class)
    before = Signal.objects.count()
    _scan_overlaps(attendance)
    _scan_bursts(attendance)
    _scan_devices(attendance)
    return Signal.objects.count() - before


def _scan_overlaps(attendance) -> None:
    present = attendance.filter(status=AttendanceStatus.PRESENT)
    persons = present.values("enrolment__person_id")
    rows = list(
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT, enrolment__person_id__in=persons
        ).values_list(
            "enrolment__person_id",
            "lesson_id",
            "lesson__training_class_id",
            "lesson__date",
            "lesson__start_time",
            "lesson__end_time",
        )
    )
    by_day: dict[tuple, list] = defaultdict(list)
    for person, lesson, klass, day, start, end in rows:
        by_day[(person, day)].append((start, end, lesson, klass))
    for (person, day), lessons in by_day.items():
        lessons.sort()
        for i, (start, end, lesson, klass) in enumerate(lessons):
            for start2, _end2, lesson2, klass2 in lessons[i + 1 :]:
                if start2 >= end:
                    break
                if klass2 == klass:
                    continue
                first, second = sorted((lesson, lesson2))
                Signal.objects.get_or_create(
                    key=f"overlap:{person}:{first}:{second}",
                    defaults={
                        "kind": SignalKind.OVERLAPPING_LESSONS,
                        "training_class_id": klass,
                        "other_class_id": klass2,
                        "person_id": person,
                        "details": {
                            "date": day.isoformat(),
                            "lessons": [lesson, lesson2],
                            "times": [f"{start:%H:%M}-{end:%H:%M}", f"{start2:%H:%M}"],
                        },
                    },
                )


def _scan_bursts(attendance) -> None:
    window = timedelta(seconds=settings.UPSKILL_SIGNAL_BURST_SECONDS)
    need = settings.UPSKILL_SIGNAL_BURST_TRAINEES
    rows = list(
        attendance.filter(method=AttendanceMethod.QR, signed_in_at__isnull=False)
        .order_by("lesson_id", "signed_in_at")
        .values_list("lesson_id", "lesson__training_class_id", "enrolment_id", "signed_in_at")
    )
    by_lesson: dict[int, list] = defaultdict(list)
    for lesson, klass, enrolment, at in rows:
        by_lesson[lesson].append((at, enrolment, klass))
    for lesson, checkins in by_lesson.items():
        start = 0
        best: list = []
        for end in range(len(checkins)):
            while checkins[end][0] - checkins[start][0] > window:
                start += 1
            group = checkins[start : end + 1]
            if len({e for _at, e, _k in group}) >= need and len(group) > len(best):
                best = group
        if best:
            Signal.objects.get_or_create(
                key=f"burst:{lesson}",
                defaults={
                    "kind": SignalKind.CHECK_IN_BURST,
                    "training_class_id": best[0][2],
                    "details": {
                        "lesson": lesson,
                        "trainees": len({e for _at, e, _k in best}),
                        "seconds": int((best[-1][0] - best[0][0]).total_seconds()),
                        "from": best[0][0].isoformat(),
                    },
                },
            )


def _scan_devices(attendance) -> None:
    need = settings.UPSKILL_SIGNAL_DEVICE_TRAINEES
    rows = (
        attendance.filter(method=AttendanceMethod.QR)
        .exclude(device_id="")
        .values_list("lesson__training_class_id", "device_id", "enrolment_id")
    )
    trainees: dict[tuple, set] = defaultdict(set)
    for klass, device, enrolment in rows:
        trainees[(klass, device)].add(enrolment)
    for (klass, device), enrolments in trainees.items():
        if len(enrolments) >= need:
            digest = hashlib.sha256(device.encode()).hexdigest()[:16]
            signal, created = Signal.objects.get_or_create(
                key=f"device:{klass}:{digest}",
                defaults={
                    "kind": SignalKind.SHARED_DEVICE,
                    "training_class_id": klass,
                    "details": {"device": device[:12], "trainees": len(enrolments)},
                },
            )
            if not created and signal.details.get("trainees") != len(enrolments):
                signal.details = {**signal.details, "trainees": len(enrolments)}
                signal.save(update_fields=["details"])


@transaction.atomic
def signal_review(*, actor: Actor, signal: Signal, outcome: str, note: str) -> Signal:
    """A person at the bureau dismisses or confirms a signal, with a note. Confirming is not a
    sanction: the blacklist is a separate decision (:func:`sanction_blacklist`)."""
    signal = get_visible_or_404(
        Signal.objects.select_for_update(), actor, perm=REVIEW_SIGNAL, pk=signal.pk
    )
    _bureau_of(actor)
    if outcome not in (SignalStatus.DISMISSED, SignalStatus.CONFIRMED):
        raise ValidationError({"outcome": _("Choose dismissed or confirmed.")})
    if not note.strip():
        raise ValidationError({"note": _("Write down why.")})
    signal.status = outcome
    signal.note = note.strip()
    signal.reviewed_by = user_of(actor)
    signal.reviewed_at = timezone.now()
    signal.save()
    return signal
