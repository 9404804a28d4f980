"""The work queues of supervision (core/queues.py, supervision/queues.py): the inspector counts
the running classes still missing an opening, during or closing inspection (GA23-INS-1) and the
fraud signals to review; each equals the data, in scope."""

from __future__ import annotations

import pytest

from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM
from upskill.supervision import services
from upskill.supervision.models import Signal, SignalStatus

from .factories import inspect, picture_file, upload_photo

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {item.key: item.count for item in queue_for(user)}


def test_the_inspector_counts_inspections_due_and_signals(make_class, make_user, client):
    complete, partial = make_class(), make_class(organisation="inst2")
    make_class(status="approved")  # not running: nothing due yet
    for kind in ("opening", "during", "closing"):
        inspect(complete, kind)
    inspect(partial, "opening")
    upload_photo(complete, seed=7, scene="practice")
    services.evidence_upload(
        actor=SYSTEM,
        training_class=partial,
        media="photo",
        scene="practice",
        specialty="中式烹调师",
        upload=picture_file(7, name="copy.png", size=(400, 300), fmt="PNG"),
    )

    inspector = make_user("gongan", "inspector")
    counts = _counts(inspector)
    assert counts["supervision.inspections_due"] == 1  # the class with its opening only
    assert counts["supervision.signals_to_review"] == (
        Signal.objects.filter(status=SignalStatus.OPEN).count()
    )
    assert counts["supervision.signals_to_review"] == 1
    client.force_login(inspector)
    page = client.get("/").content.decode()
    assert 'data-testid="count-supervision.inspections_due">1<' in page
    listed = client.get("/supervision/signals/?status=open").context["page"].paginator.count
    assert listed == counts["supervision.signals_to_review"]
    # the organiser uploads evidence but reviews no signal
    assert "supervision.signals_to_review" not in _counts(make_user("inst1", "clerk"))
