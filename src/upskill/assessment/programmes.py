"""Which certificate a class's programme ends with (GA23-CRT-1, HB61-CRT-1), read from the
policy parameters (policy/certificates.py), and who of a class counts as certified for its
subsidy: the trainees who passed, or for a skill-level programme those holding a verified
职业技能等级证书 of the class's occupation and level (WH20-SUB-1/2 rest on it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from upskill import policy
from upskill.policy import certificates as rules
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import Enrolment, TrainingClass

from .models import Attempt, AttemptResult, Certificate, CertificateKind, Verification


def class_certificate(training_class: TrainingClass, passed: bool) -> str | None:
    """The kind the product issues to a trainee of the class on a confirmed result, or None."""
    return rules.issued_certificate(
        training_class.program,
        passed,
        training_class.county_code,
        training_class.end_date,
        parameters_in_effect(),
    )


def is_skill_level_class(training_class: TrainingClass) -> bool:
    return rules.is_skill_level(
        training_class.program,
        training_class.county_code,
        training_class.end_date,
        parameters_in_effect(),
    )


def certified_enrolment_ids(training_class: TrainingClass) -> set[int]:
    """The enrolments whose training counts as completed for the subsidy: a passed assessment,
    or in a skill-level programme (HB61-CRT-1) a verified skill-level certificate of the class's
    occupation and level issued by the evaluation body on or after the class began."""
    return certified_enrolment_ids_many([training_class])[training_class.pk]


def certified_enrolment_ids_many(
    classes: Sequence[TrainingClass], params: policy.ParameterSet | None = None
) -> dict[int, set[int]]:
    """:func:`certified_enrolment_ids` for many classes (a settlement's), in three queries
    whatever their number: class pk → enrolment ids."""
    params = params or parameters_in_effect()
    certified: dict[int, set[int]] = {c.pk: set() for c in classes}
    skill = {
        c.pk: c
        for c in classes
        if rules.is_skill_level(c.program, c.county_code, c.end_date, params)
    }
    passed = Attempt.objects.filter(
        session__training_class__in=[c.pk for c in classes if c.pk not in skill],
        result=AttemptResult.PASSED,
    ).values_list("session__training_class_id", "enrolment_id")
    for class_pk, enrolment_pk in passed:
        certified[class_pk].add(enrolment_pk)
    if not skill:
        return certified
    enrolments = list(
        Enrolment.objects.filter(training_class__in=list(skill)).values_list(
            "training_class_id", "person_id", "pk"
        )
    )
    held = defaultdict(list)  # person → (occupation, level, issued) of verified certificates
    for person_pk, occupation, level, issued in Certificate.objects.filter(
        person_id__in={person_pk for _, person_pk, _ in enrolments},
        kind=CertificateKind.SKILL_LEVEL,
        verification=Verification.VERIFIED,
    ).values_list("person_id", "occupation_name", "level", "issue_date"):
        held[person_pk].append((occupation, level, issued))
    for class_pk, person_pk, enrolment_pk in enrolments:
        training_class = skill[class_pk]
        occupation = training_class.occupation
        if any(
            name == occupation.name
            and level == occupation.level
            and issued >= training_class.start_date
            for name, level, issued in held.get(person_pk, ())
        ):
            certified[class_pk].add(enrolment_pk)
    return certified
