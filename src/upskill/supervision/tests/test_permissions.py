"""What a user may do in the supervision of a class, computed once in the selectors
(``class_supervision_permissions``, ``signal_permissions``) for the pages and templates."""

from __future__ import annotations

from upskill.core.scoping import SYSTEM
from upskill.supervision import selectors
from upskill.supervision.models import Signal, SignalStatus


def test_the_bureau_inspects_and_the_organiser_uploads(make_class, make_user):
    training_class = make_class()  # organised by inst1, running
    inspector = selectors.class_supervision_permissions(
        actor=make_user("gongan", "inspector"), obj=training_class
    )
    assert inspector.inspect and not inspector.upload  # GA23-INS-1
    organiser = selectors.class_supervision_permissions(
        actor=make_user("inst1", "admin"), obj=training_class
    )
    assert organiser.upload and not organiser.inspect  # GA23-PHO-1, GA23-VID-1
    other = selectors.class_supervision_permissions(
        actor=make_user("inst2", "admin"), obj=training_class
    )
    assert not other.upload and not other.inspect
    draft = make_class(status="draft")
    assert not selectors.class_supervision_permissions(actor=SYSTEM, obj=draft).upload


def test_only_a_confirmed_signal_leads_to_the_blacklist(make_class):
    signal = Signal(training_class=make_class(), kind="duplicate_picture", key="k")
    assert not selectors.signal_permissions(actor=SYSTEM, obj=signal).blacklist
    signal.status = SignalStatus.CONFIRMED
    assert selectors.signal_permissions(actor=SYSTEM, obj=signal).blacklist  # HB45-BLK-1
