"""Eligibility again when a claim is assembled (GA23-OBJ-1/2/3, WH20-OBJ-1, HB61-MIG-1): the
rules that admitted each trainee at enrolment run on the facts as they are now, and a trainee
they would not admit gets a refused line, explained in the same sentences as at enrolment and
with no item: no training subsidy, no allowance, and so no township fee (GA23-FEE-1)."""

from __future__ import annotations

from collections import defaultdict

from upskill import policy
from upskill.training.eligibility import enrolment_verdicts


def eligibility_results(rows: list[tuple], results: list, params: policy.ParameterSet) -> list:
    """The engine's results for ``rows`` (person, enrolment or None, record, date), with each
    trainee the eligibility rules refuse turned into a refusal citing those rules."""
    classes: dict[int, tuple] = {}
    enrolments: dict[int, list] = defaultdict(list)
    for _person, enrolment, _record, _on in rows:
        if enrolment is not None:
            classes[enrolment.training_class_id] = enrolment.training_class
            enrolments[enrolment.training_class_id].append(enrolment)
    verdicts = {}
    for class_id, training_class in classes.items():
        verdicts.update(enrolment_verdicts(training_class, enrolments[class_id], params))
    out = []
    for (_person, enrolment, _record, _on), result in zip(rows, results, strict=True):
        verdict = verdicts.get(enrolment.pk) if enrolment is not None else None
        if verdict is not None and not verdict.admitted and result.status != "invalid":
            earlier = result.reasons if result.status == "rejected" else []
            result = policy.Result(
                id=result.id,
                status="rejected",
                items=[],
                reasons=[refusal.reason for refusal in verdict.refusals] + earlier,
            )
        out.append(result)
    return out
