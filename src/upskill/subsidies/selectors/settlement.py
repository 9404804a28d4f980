"""The batch settlement: the policy engine's batch path over a county's finished classes of a
year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from upskill import policy
from upskill.core.scoping import SYSTEM, Actor, visible
from upskill.policy.batch import ITEM_KINDS, evaluate_frame, frame_from_records, row_lists
from upskill.policy.records import read_record
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass

from ..models import (
    ClaimLine,
    LineStatus,
)
from .records import class_facts_many, class_record, persons_history

CLASS_CHUNK = 200


def settlement_region_allowed(*, actor: Actor, region: str) -> bool:
    """Whether the actor may settle ``region``: a bureau settles the regions of its jurisdiction
    (the region's code starts with its jurisdiction prefix); the system and a superuser any."""
    if actor is SYSTEM or getattr(actor, "is_superuser", False):
        return True
    organisation = getattr(actor, "organisation", None)
    prefix = organisation.jurisdiction_prefix if organisation is not None else None
    return bool(prefix) and region.startswith(prefix)


def settle(
    *,
    actor: Actor,
    region: str,
    year: int,
    progress: Callable[[int, int, str], None] | None = None,
    params=None,
) -> dict:
    """What would be claimable for every finished class of a region ending in a year: the
    engine's batch path (``policy.batch``) over one record per trainee, the persons' other
    subsidised claim lines as history (HB45-CAP-1). Totals per programme, payee kind and rule.
    The classes are read through the actor's scope: a bureau never settles a class outside its
    jurisdiction, whatever region it names."""

    params = params or parameters_in_effect()
    classes = list(
        visible(TrainingClass, actor)
        .filter(
            status=ClassStatus.FINISHED,
            township__code__startswith=region,
            end_date__year=year,
        )
        .select_related("catalog_entry__occupation", "organisation", "township")
    )
    raws, programs, persons = [], [], {}
    total = len(classes)
    # a chunk of classes at a time: a fixed number of queries per chunk, never one per class
    for start in range(0, total, CLASS_CHUNK):
        chunk = classes[start : start + CLASS_CHUNK]
        enrolments_by_class = {training_class: [] for training_class in chunk}
        by_pk = {training_class.pk: training_class for training_class in chunk}
        for enrolment in Enrolment.objects.filter(
            training_class__in=list(by_pk), status=EnrolmentStatus.ENROLLED
        ).select_related("person"):
            enrolment.training_class = by_pk[enrolment.training_class_id]
            enrolments_by_class[enrolment.training_class].append(enrolment)
        facts = class_facts_many(enrolments_by_class, params)
        for training_class, enrolments in enrolments_by_class.items():
            for enrolment in enrolments:
                raws.append(class_record(enrolment, facts=facts[training_class.pk]))
                programs.append(training_class.program)
                persons[enrolment.person_id] = enrolment.person
        if progress:
            progress(start + len(chunk), total + 1, chunk[-1].name)
    # the settled classes' own claim lines are what is being settled, not history
    settled = {
        f"L{pk}"
        for pk in ClaimLine.objects.filter(
            claim__training_class__in=[c.pk for c in classes]
        ).values_list("pk", flat=True)
    }
    history = [h for h in persons_history(persons.values(), params=params) if h.id not in settled]
    records, invalid = [], 0
    for index, raw in enumerate(raws):
        record, _problems = read_record(raw, index)
        if record is None:
            invalid += 1
        else:
            records.append(record)
    frame, apart = frame_from_records(records)
    out = evaluate_frame(frame, params, history) if len(frame) else None
    by_key: dict[tuple[str, str, str], list] = defaultdict(lambda: [0, 0])
    accepted = rejected = 0
    rows = out.iter_rows(named=True) if out is not None else []
    for row in rows:
        status, items, _reasons = row_lists(row)
        if status == LineStatus.ACCEPTED:
            accepted += 1
        else:
            rejected += 1
        for rule, cents in items:
            _kind, payee = ITEM_KINDS.get(rule, ("", ""))
            key = (programs[row["idx"]], payee, rule)
            by_key[key][0] += cents
            by_key[key][1] += 1
    results = policy.run([raws[r.index] for r in apart], params, history=history)
    for record, result in zip(apart, results, strict=True):
        accepted += result.status == LineStatus.ACCEPTED
        rejected += result.status != LineStatus.ACCEPTED
        for item in result.items:
            key = (programs[record.index], item.payee, item.rule)
            by_key[key][0] += item.cents
            by_key[key][1] += 1
    if progress:
        progress(total + 1, total + 1, "")
    lines = [
        {
            "program": program,
            "payee": payee,
            "rule": rule,
            "count": count,
            "amount": f"{Decimal(cents).scaleb(-2):.2f}",
        }
        for (program, payee, rule), (cents, count) in sorted(by_key.items())
    ]
    return {
        "region": region,
        "year": year,
        "classes": total,
        "records": len(raws),
        "accepted": accepted,
        "rejected": rejected + invalid,
        "total": f"{Decimal(sum(v[0] for v in by_key.values())).scaleb(-2):.2f}",
        "lines": lines,
    }
