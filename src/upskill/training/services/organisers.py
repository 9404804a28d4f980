"""Who may organise a class and who may recruit its trainees.

- A training institution files a subsidised class only while designated in the catalogue in
  force for the county and year, for the occupation (HB45-CAT-1; ``catalog.selectors``).
- Enterprises file their own classes (pre-job, post-skill), outside the designation catalogue.
- The county employment training centre organises poverty-alleviation classes with the
  township centres (GA23 三(五)); it does not approve a class it organises itself.
- A township centre recruits and enrols trainees for classes held in its township (组织招生,
  GA23 三(五)); the organiser keeps every other action on the class.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from upskill.catalog.selectors import designation_problems, platform_problems
from upskill.core.scoping import get_visible_or_404
from upskill.organisations.models import Organisation, OrganisationKind, Region

from ..models import ENROLLING_STATES, ORGANISER_KINDS, TrainingClass
from ..permissions import ADD_ENROLMENT
from ..selectors import class_recruiter

TRAINING_CENTRE = OrganisationKind.TRAINING_CENTRE
# The programme the county employment training centre organises (GA23 三(五)).
TRAINING_CENTRE_PROGRAMS = ("poverty",)


def organiser_problems(
    *, organisation: Organisation | None, catalog_entry, township: Region, start_date: date
) -> list[str]:
    """Why ``organisation`` may not file (or submit) a class of ``catalog_entry`` held in
    ``township`` from ``start_date``: the kind of organiser (GA23 三(五)) and the designated
    institution catalogue (HB45-CAT-1). Empty when it may."""
    if organisation is None:
        return [_("Only an institution or an enterprise files class plans.")]
    if organisation.kind == OrganisationKind.TRAINING_CENTRE:
        if catalog_entry.program not in TRAINING_CENTRE_PROGRAMS:
            return [
                _(
                    "GA23 三(五): the employment training centre organises poverty-alleviation "
                    "classes (with the township centres), not “%(program)s”."
                )
                % {"program": catalog_entry.get_program_display()}
            ]
        return []
    if organisation.kind not in ORGANISER_KINDS:
        return [_("Only an institution or an enterprise files class plans.")]
    return designation_problems(
        organisation=organisation,
        occupation_name=catalog_entry.occupation.name,
        township=township,
        on=start_date,
    )


# The programmes trained on an online platform (WH20-PLT-1).
ONLINE_PROGRAMS = ("online_skill_level",)


def online_platform_problems(
    *, catalog_entry, platform: Organisation | None, township: Region, start: date, end: date
) -> list[str]:
    """Why a class of ``catalog_entry`` may not be filed (or submitted) on ``platform``: a
    class of an online programme names a platform in the platform catalogue in force with all
    three permits valid on the class's dates (WH20-PLT-1, HB61-PRJ-1); any other class names
    none."""
    if catalog_entry.program not in ONLINE_PROGRAMS:
        if platform is not None:
            return [_("Only a class of an online programme is trained on an online platform.")]
        return []
    return platform_problems(platform=platform, township=township, start=start, end=end)


def recruiting_classes_q(organisation: Organisation) -> Q:
    """The classes an organisation recruits for, as a filter on TrainingClass: its own, and for a
    township centre those held in its township (GA23 三(五))."""
    q = Q(organisation=organisation)
    if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
        q |= Q(township_id=organisation.region_id)
    return q


def class_recruiting_get(*, actor, training_class: TrainingClass) -> TrainingClass:
    """The class if the actor may enrol trainees into it now: its organiser, or the township
    centre of the township it is held in (组织招生, GA23 三(五)); only while it is enrolling."""
    training_class = get_visible_or_404(
        TrainingClass, actor, perm=ADD_ENROLMENT, pk=training_class.pk
    )
    if not class_recruiter(actor=actor, training_class=training_class):
        raise PermissionDenied(ADD_ENROLMENT)
    if training_class.status not in ENROLLING_STATES:
        raise ValidationError(
            _("Trainees are enrolled once the class is approved (HB61-PRJ-1); it is “%(s)s”.")
            % {"s": training_class.get_status_display()}
        )
    return training_class
