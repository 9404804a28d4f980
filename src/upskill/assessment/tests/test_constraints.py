"""The database keeps an attempt's invariants even when the services are bypassed: no negative
score, and no exempted theory part without the online result it stands on (HB61-ONL-1)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from upskill.assessment.models import Attempt

from .factories import examined_class


def _refused(queryset, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_negative_scores_and_an_exemption_without_a_result_are_refused(world, make_person):
    session = examined_class(world, make_person, close=False)
    attempts = Attempt.objects.filter(session=session)
    _refused(attempts, theory_score=-1)
    _refused(attempts, practical_score=-0.5)
    _refused(attempts, theory_exempt=True, online_theory_score=None)
    assert attempts.filter(theory_score=80).count() == 1
