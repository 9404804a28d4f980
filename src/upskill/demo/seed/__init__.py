"""The demo: Gong'an County 2023 (GA23) and the Wuhan enterprise federation (WH20).

Everything goes through the same services the pages use. Idempotent: running it again on a
seeded database changes nothing. One module per stage, run in this order by :func:`seed`;
a later stage adds its own module and its call below.
"""

from __future__ import annotations

from django.db import transaction

from upskill.core.validators import DEMO_PASSWORD

from .advances import ADVANCE_CLASS, advances
from .assessment import assessment
from .catalogs import catalogs
from .classes import classes
from .exams import exams
from .learners import LearnerLogin, learner_logins, learners
from .online_course import online_course
from .organisations import Login, logins, organisations
from .persons import persons
from .poverty_class import POVERTY_CLASS, poverty_class
from .subsidies import subsidies
from .supervision import supervision
from .targets import targets
from .township_classes import township_classes
from .wuhan import enterprise_records
from .wuhan_enrolment import wuhan_enrolment

__all__ = [
    "ADVANCE_CLASS",
    "DEMO_PASSWORD",
    "POVERTY_CLASS",
    "LearnerLogin",
    "Login",
    "advances",
    "assessment",
    "catalogs",
    "classes",
    "enterprise_records",
    "exams",
    "learner_logins",
    "learners",
    "logins",
    "online_course",
    "organisations",
    "persons",
    "poverty_class",
    "seed",
    "subsidies",
    "supervision",
    "targets",
    "township_classes",
    "wuhan_enrolment",
]


@transaction.atomic
def seed() -> list[Login]:
    o = organisations()
    result = logins(o)
    persons(o)
    catalogs(o)
    classes(o)
    supervision(o)
    assessment(o)
    subsidies(o)
    poverty_class(o)
    enterprise_records(o)
    advances(o)
    result += wuhan_enrolment(o)
    learners(o)
    online_course(o)
    exams(o)
    targets(o)
    township_classes(o)
    return result
