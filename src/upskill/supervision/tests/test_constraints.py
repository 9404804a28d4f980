"""The supervision tables hold their invariants themselves: a write that bypasses the services
(the admin, a data migration, a script) cannot store what the services would refuse."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from upskill.supervision.models import Inspection, Sanction, SpotCheck, SpotCheckItem


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_held_inspection_has_its_time_and_result(make_class):
    training_class = make_class()

    def held(**fields):
        return lambda: Inspection.objects.create(
            training_class=training_class, kind="opening", mode="on_site", status="done", **fields
        )

    _refused(held(held_at=timezone.now()))  # no result (GA23-INS-1)
    _refused(held(result="satisfactory"))  # no time
    _refused(
        lambda: Inspection.objects.create(training_class=training_class, kind="party", mode="x")
    )
    done = held(held_at=timezone.now(), result="satisfactory")()
    assert done.pk is not None


def test_a_spot_check_item_is_a_trainee_or_a_class_drawn_once(world, make_class):
    training_class = make_class()
    spot_check = SpotCheck.objects.create(
        organisation=world["inst1"],
        subject="classes",
        method="on_site",
        seed="s",
        drawn_on=date(2023, 9, 1),
    )
    _refused(lambda: SpotCheckItem.objects.create(spot_check=spot_check))
    SpotCheckItem.objects.create(spot_check=spot_check, training_class=training_class)
    _refused(
        lambda: SpotCheckItem.objects.create(spot_check=spot_check, training_class=training_class)
    )
    _refused(lambda: SpotCheck.objects.filter(pk=spot_check.pk).update(failure_rate="1.5"))


def test_a_sanction_ends_after_it_starts(world):
    _refused(
        lambda: Sanction.objects.create(
            organisation=world["inst1"],
            kind="blacklist",
            rule="HB45-BLK-1",
            reason="GA23-SPT-1",
            valid_from=date(2023, 9, 1),
            valid_until=date(2023, 8, 1),
        )
    )
