"""The synthetic province of the scale benchmarks (issue 18.5), built small."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from upskill.assessment.models import Attempt
from upskill.benchmarks import scale
from upskill.benchmarks.province import build
from upskill.core.models import Job
from upskill.registry.models import Person
from upskill.subsidies.models import Claim, ClaimItem, ClaimLine, PaymentItem
from upskill.training.models import Attendance, Enrolment, TrainingClass

pytestmark = pytest.mark.django_db


def test_a_small_province_is_built_through_the_bulk_paths_reused_and_measured(capsys) -> None:
    figures = {
        "persons": 130,
        "classes": 26,
        "records": 104,
        "counties_per_city": 1,
        "townships": 2,
    }
    result = build(**figures)
    synthetic = TrainingClass.objects.filter(venue="合成数据")
    assert synthetic.count() == 26
    enrolments = Enrolment.objects.filter(training_class__in=synthetic)
    assert enrolments.count() == 104  # 4 a class, from the class's own county
    assert all(e.person.county_id == e.training_class.township.parent_id for e in enrolments)
    persons = Person.objects.filter(county__name__contains="合成")
    assert persons.count() == 130
    assert len({p.id_number for p in persons}) == 130  # encrypted, readable, distinct
    assert Attendance.objects.filter(enrolment__in=enrolments).count() == 104 * 5
    assert Attempt.objects.filter(enrolment__in=enrolments).count() == 104
    lines = ClaimLine.objects.filter(claim__training_class__in=synthetic)
    assert lines.count() == 104
    accepted = lines.filter(status="accepted")
    assert accepted.exists()  # HB45's rules pay the passed trainees of 2019–2021
    paid = PaymentItem.objects.filter(item__line__in=lines).aggregate(total=Sum("amount"))["total"]
    items = ClaimItem.objects.filter(line__in=lines).aggregate(total=Sum("amount"))["total"]
    assert paid == items and paid > Decimal(0)
    for line in accepted[:10]:  # each line's total is its items' sum, as the engine priced it
        assert line.total == sum(item.amount for item in line.items.all())
    assert "104 records in 26 classes" in result["summary"]

    again = build(**figures)  # the second run finds it and adds nothing
    assert again == result
    assert TrainingClass.objects.filter(venue="合成数据").count() == 26
    assert Job.objects.filter(kind="bench.province").count() == 1
    assert "already built" in capsys.readouterr().out

    # the figures of ``make bench`` run on it and leave it as it was (issue 19)
    classes, claims = TrainingClass.objects.count(), Claim.objects.count()
    assert scale.assemble(size=4, seed=1) == 0
    assert "claim assembly of a class of 4 trainees: 4 lines" in capsys.readouterr().out
    assert (TrainingClass.objects.count(), Claim.objects.count()) == (classes, claims)
    assert scale.settle(region="42", year=2019) == 0
    assert "settle 42 2019:" in capsys.readouterr().out
    assert scale.dashboards(year=2019, runs=1, only=("county",)) == 0
    out = capsys.readouterr().out
    assert "  county       dashboard " in out and "slowest p95:" in out
