"""An online class names its platform, which must be in the platform catalogue in force with
all three permits valid on the class's dates (WH20-PLT-1, HB61-PRJ-1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from upskill.catalog.services import catalog_new_version, catalog_publish, platform_permits_set
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.training import services as training
from upskill.training.tests.factories import catalog_entries

from . import factories


def _refusal(hr, platform, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        factories.file_online_class(hr, platform=platform, **kwargs)
    return " ".join(caught.value.message_dict["platform"])


def test_wh20_plt_1_a_platform_with_all_three_permits_valid_files_the_class(world, make_user):
    factories.platform_catalog(world, **factories.VALID)
    hr = make_user("wh_ent1", "hr_clerk")
    training_class = factories.file_online_class(hr, platform=world["platform"])
    assert training_class.platform == world["platform"]


def test_wh20_plt_1_a_platform_with_two_permits_is_refused_naming_the_missing_one(world, make_user):
    factories.platform_catalog(world, **dict(factories.VALID, assessment_permit=""))
    hr = make_user("wh_ent1", "hr_clerk")
    message = _refusal(hr, world["platform"])
    assert "WH20-PLT-1" in message and "skill-level assessment" in message
    assert "vocational training" not in message


def test_wh20_plt_1_a_permit_that_ends_during_the_class_or_starts_after_it_refuses(
    world, make_user
):
    factories.platform_catalog(
        world,
        **dict(
            factories.VALID,
            training_permit_valid_until=date(2020, 8, 10),
            project_permit_valid_from=date(2020, 8, 5),
        ),
    )
    hr = make_user("wh_ent1", "hr_clerk")
    message = _refusal(hr, world["platform"])
    assert "vocational training (T-2020-003) expired on 2020-08-10" in message
    assert "project-based training (P-2020-001) is valid only from 2020-08-05" in message
    # a class inside both validities is filed
    factories.file_online_class(
        hr, platform=world["platform"], start=date(2020, 8, 5), end=date(2020, 8, 10)
    )


def test_wh20_plt_1_an_online_class_names_a_platform_listed_in_the_catalogue_in_force(
    world, make_user
):
    hr = make_user("wh_ent1", "hr_clerk")
    assert "names the platform" in _refusal(hr, None)
    assert "no online platform catalogue is published" in _refusal(hr, world["platform"])
    factories.platform_catalog(world, **factories.VALID)
    other = world["wh_ent2"]  # an organisation the catalogue does not list
    assert "is not in the online platform catalogue in force" in _refusal(hr, other)


def test_wh20_plt_1_the_platform_link_stays_across_catalogue_versions(world, make_user):
    catalog = factories.platform_catalog(world, **factories.VALID)
    draft = catalog_new_version(actor=SYSTEM, catalog=catalog, note="年中调整")
    entry = draft.platforms.get()
    assert entry.organisation == world["platform"]
    platform_permits_set(actor=SYSTEM, platform=entry, **dict(factories.VALID, training_permit=""))
    catalog_publish(actor=SYSTEM, catalog=draft)
    hr = make_user("wh_ent1", "hr_clerk")
    # the newer version is in force: its missing permit refuses the class
    assert "vocational training" in _refusal(hr, world["platform"])


def test_wh20_plt_1_submission_checks_the_platform_again(world, make_user):
    factories.platform_catalog(world, **factories.VALID)
    hr = make_user("wh_ent1", "hr_clerk")
    training_class = factories.file_online_class(hr, platform=world["platform"])
    catalog = training_class.platform.platform_entries.get().catalog
    draft = catalog_new_version(actor=SYSTEM, catalog=catalog)
    platform_permits_set(
        actor=SYSTEM, platform=draft.platforms.get(), **dict(factories.VALID, project_permit="")
    )
    catalog_publish(actor=SYSTEM, catalog=draft)
    with pytest.raises(ValidationError) as caught:
        training.class_transition(actor=hr, training_class=training_class, action="submit")
    assert any("project-based training" in m for m in caught.value.messages)


def test_a_class_of_a_classroom_programme_names_no_platform(world, make_user):
    factories.platform_catalog(world, **factories.VALID)
    hr = make_user("ent1", "hr_clerk")
    with pytest.raises(ValidationError) as caught:
        training.class_create(
            actor=hr,
            name="凯达纺织岗前培训班",
            catalog_entry=catalog_entries()["cook"],
            township=Region.objects.get(code="421022101"),
            venue="凯达纺织厂区培训室",
            platform=world["platform"],
            start_date=date(2023, 7, 3),
            end_date=date(2023, 7, 7),
            planned_places=10,
            assessment_method="实操考核",
        )
    assert "online programme" in " ".join(caught.value.message_dict["platform"])
