"""Test data of the reports app, made through the services (used by the tests and the scope
cases). Classes are walked to ``running`` through the training services; a finished class is
then marked finished directly (its compliance checks belong to the subsidies tests)."""

from __future__ import annotations

from datetime import date

from upskill.core.scoping import SYSTEM


def gongan_targets(world):
    """Gong'an's 2023 plan (GA23-TGT-1): 10,000 in all; employment/entrepreneurship 8,000 (its
    township part 6,000, designated institutions 2,000); enterprise post-skill 2,000."""
    from upskill.organisations.models import Region
    from upskill.reports.services import target_set

    county = Region.objects.get(code="421022")
    total = target_set(actor=SYSTEM, region=county, line="total", year_from=2023, quantity=10_000)
    employment = target_set(
        actor=SYSTEM,
        region=county,
        line="employment",
        year_from=2023,
        quantity=8_000,
        parent=total,
    )
    enterprise = target_set(
        actor=SYSTEM,
        region=county,
        line="enterprise",
        year_from=2023,
        quantity=2_000,
        parent=total,
    )
    return {"total": total, "employment": employment, "enterprise": enterprise}


def finished(training_class) -> None:
    from upskill.core import hooks
    from upskill.training.models import TrainingClass

    TrainingClass.objects.filter(pk=training_class.pk).update(status="finished")
    # marked directly, so the progress summary is told as class_transition tells it
    hooks.call(hooks.CLASS_FIGURES_CHANGED, class_ids=[training_class.pk])


def records(
    world,
    make_person,
    *,
    entry="cook",
    organisation="inst1",
    township="421022101",
    n=2,
    start=date(2023, 5, 8),
    end=date(2023, 5, 19),
    finish=True,
):
    """``n`` enrolments in a class held in ``township`` (finished unless told otherwise)."""
    from upskill.training.tests.factories import enrol, make_class

    training_class = make_class(
        world,
        entry=entry,
        organisation=organisation,
        township_code=township,
        status="running",
        start=start,
        end=end,
    )
    enrolments = enrol(training_class, make_person, n=n)
    if finish:
        finished(training_class)
    return training_class, enrolments
