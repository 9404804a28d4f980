"""Which certificate a class's programme ends with (GA23-CRT-1, HB61-CRT-1), read from the
policy parameters (policy/certificates.py), and who of a class counts as certified for its
subsidy: the trainees who passed, or for a skill-level programme those holding a verified
职业技能等级证书 of the class's occupation and level (WH20-SUB-1/2 rest on it)."""

from __future__ import annotations

from upskill.policy import certificates as rules
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import TrainingClass

from .models import Certificate, CertificateKind, Verification
from .selectors import passed_enrolment_ids


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
    if not is_skill_level_class(training_class):
        return passed_enrolment_ids(training_class)
    occupation = training_class.occupation
    enrolments = dict(training_class.enrolments.values_list("person_id", "pk"))
    holders = Certificate.objects.filter(
        person_id__in=list(enrolments),
        kind=CertificateKind.SKILL_LEVEL,
        verification=Verification.VERIFIED,
        occupation_name=occupation.name,
        level=occupation.level,
        issue_date__gte=training_class.start_date,
    ).values_list("person_id", flat=True)
    return {enrolments[person_id] for person_id in holders}
