"""The database keeps a vacancy's and a referral's invariants even when the services are
bypassed: at least one place, no negative wage (GA23-EMP-1)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from upskill.employment import services
from upskill.employment.models import Vacancy


def _refused(queryset, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_a_vacancy_has_places_and_no_negative_wage(world, make_user):
    counsellor = make_user("hrsc", "counsellor")
    vacancy = services.vacancy_create(
        actor=counsellor, employer="公安县荆江大酒店", title="厨师", wage_min="3200"
    )
    rows = Vacancy.objects.filter(pk=vacancy.pk)
    _refused(rows, places=0)
    _refused(rows, wage_min=-1)
    assert rows.get().places == 1
