"""Class rosters (花名册): every row checked against the registry and the policy engine
(HB45-CAP-1, GA23-OBJ-2, WH20-OBJ-1), then the checked rows enrolled in bulk; the roster
import's columns and its all-or-nothing run (core/imports.py)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from upskill import policy
from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.history import bulk_create_audited
from upskill.core.imports import Column, ImportRejected, read_rows, run_import
from upskill.core.imports import RowProblem as ImportRowProblem
from upskill.core.imports import RowProblems as ImportRowProblems
from upskill.core.scoping import Actor, require_perm
from upskill.organisations.models import OrganisationKind, Region
from upskill.policy.contract import result_dict
from upskill.policy_admin.services import parameters_in_effect
from upskill.registry.identity import (
    IdentityError,
    ResidentId,
    normalise_digits,
    parse_resident_id,
)
from upskill.registry.lookup import persons_by_id_number_hash
from upskill.registry.models import AffiliationBasis, AffiliationKind, Category, Person
from upskill.registry.selectors import persons_categories_on
from upskill.registry.services import (
    NewPerson,
    affiliations_ensure_bulk,
    check_person_name,
    check_phone,
    id_number_hash,
    person_columns,
    person_name,
    persons_register_bulk,
    roster_words,
    township_index,
)
from upskill.registry.vocabulary import Vocabulary, vocabulary

from ..eligibility import ClassEligibility
from ..models import (
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    LessonKind,
    TrainingClass,
)
from ._common import _enrolling_class

# Categories that come only from the rural revitalisation bureau's roster (GA23-OBJ-2): a roster
# row may name them only for a person the registry already records in them.
ROSTER_ONLY_CATEGORIES = frozenset(
    {"poverty_alleviated", "monitored_household", "two_after_graduate"}
)
# Programs whose eligibility depends on the unemployment-insurance months (WH20-OBJ-1).
INSURANCE_PROGRAMS = frozenset({"online_skill_level"})
# Rules whose refusal keeps a person out of a class at enrolment: the caps (HB45-CAP-1) and
# who the program is for (…-OBJ-…).
ENROLMENT_RULES = re.compile(r"^HB45-CAP-1$|-OBJ-")


def _lang() -> str:
    return "en" if (translation.get_language() or "zh").startswith("en") else "zh"


class RowProblem(ValidationError):
    """One enrolment row refused, naming the field (``id_number``, ``name`` …) of its first
    problem; ``problems`` holds every (field, message) of the row."""

    def __init__(
        self, field_name: str, message: str, *, more: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.problems: list[tuple[str, str]] = [(field_name, str(message)), *more]
        grouped: dict[str, list[str]] = {}
        for name, text in self.problems:
            grouped.setdefault(name, []).append(text)
        super().__init__(grouped)
        self.field_name = field_name
        self.text = message


@dataclass
class RosterRow:
    id_number: str
    name: str
    person: Person | None
    resident: ResidentId | None = None
    digest: str = ""
    hukou: str = ""
    township: Region | None = None
    phone: str = ""
    categories: list[str] = field(default_factory=list)
    insured_months: int | None = None


_SPLIT = re.compile(r"[、,，;；/\s]+")
# How many roster rows are checked together: one policy-engine call per chunk (HB45-CAP-1).
ROSTER_CHUNK = 1000


def split_words(text: str) -> list[str]:
    """Category names as typed: separated by 、 , ; / or spaces."""
    return [word for word in _SPLIT.split(text or "") if word]


class RosterChecker:
    """Validates enrolment rows of one class against the registry and the policy engine.

    Everything a row needs from the database is fetched once for the whole roster (persons by
    ID-number hash, their categories, their other enrolments), so a large roster costs a few
    queries, not a few per row."""

    def __init__(self, training_class: TrainingClass, id_numbers: Iterable[str]) -> None:
        self.training_class = training_class
        entry = training_class.catalog_entry
        self.program = entry.program
        self.occupation = entry.occupation.name
        self.level = entry.occupation.level
        self.region = training_class.county_code
        self.on = training_class.end_date
        self.params = parameters_in_effect()
        lessons = list(training_class.lessons.all())
        self.total = sum((lesson.hours for lesson in lessons), Decimal(0))
        self.practical = sum(
            (lesson.hours for lesson in lessons if lesson.kind == LessonKind.PRACTICE), Decimal(0)
        )
        # Every ID number parsed and hashed once; the registered persons fetched by hash.
        self.parsed: dict[str, tuple[ResidentId, str] | IdentityError] = {}
        for raw in id_numbers:
            if raw in self.parsed:
                continue
            try:
                resident = parse_resident_id(raw)
            except IdentityError as exc:
                self.parsed[raw] = exc
                continue
            self.parsed[raw] = (resident, id_number_hash(resident.number))
        # The roster has the numbers: nothing is decrypted.
        self.persons: dict[str, Person] = persons_by_id_number_hash(
            item[1] for item in self.parsed.values() if isinstance(item, tuple)
        )
        self.held = persons_categories_on(self.persons.values(), self.on)
        person_ids = [person.pk for person in self.persons.values()]
        self.enrolled = set(
            Enrolment.objects.filter(training_class=training_class).values_list(
                "person_id", flat=True
            )
        )
        self.history: dict[int, list[tuple]] = defaultdict(list)
        others = (
            Enrolment.objects.filter(person_id__in=person_ids, status=EnrolmentStatus.ENROLLED)
            .exclude(training_class=training_class)
            .exclude(training_class__status=ClassStatus.CANCELLED)
            .filter(
                Q(training_class__end_date__year=self.on.year)
                | Q(
                    training_class__catalog_entry__occupation__name=self.occupation,
                    training_class__catalog_entry__occupation__level=self.level,
                )
            )
            .values_list(
                "training_class__name",
                "person_id",
                "training_class__end_date",
                "training_class__catalog_entry__occupation__name",
                "training_class__catalog_entry__occupation__level",
            )
        )
        for class_name, person_id, end, occupation, level in others:
            # the engine names the earlier training by this id in its explanation
            self.history[person_id].append((end, occupation, level, class_name))
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.categories.update({c.code: c for c in self.categories.values()})
        # the roster vocabulary of the class's county (脱贫户, 边缘易致贫户 … and its own)
        self.vocabulary: Vocabulary = vocabulary(training_class.county_code)
        self.townships = township_index(self.region)
        self.seen: set[str] = set()
        # who the class may admit (GA23-OBJ-1/2/3, WH20-OBJ-1, HB61-MIG-1), facts read once
        self.eligibility = ClassEligibility(training_class, self.persons.values(), self.params)

    def check(self, values: dict[str, str]) -> RosterRow:
        """One row (keys: id_number, name, and optionally hukou, township, phone, categories,
        insured_months); raises :class:`RowProblem` naming the first problem."""
        row = self._check_row(values)
        (problem,) = self._policy_problems([row])
        if problem:
            raise RowProblem("id_number", problem)
        return row

    def check_many(
        self, rows: Sequence[tuple[int, dict[str, str]]]
    ) -> dict[int, RosterRow | RowProblem]:
        """:meth:`check` for many rows, in order, with ONE policy-engine call for them all
        (one record a row, each with the person's history): each row's number to its checked
        row or its problem."""
        outcome: dict[int, RosterRow | RowProblem] = {}
        good: list[tuple[int, RosterRow]] = []
        for number, values in rows:
            try:
                good.append((number, self._check_row(values)))
            except RowProblem as problem:
                outcome[number] = problem
        problems = self._policy_problems([row for _number, row in good])
        for (number, row), problem in zip(good, problems, strict=True):
            outcome[number] = RowProblem("id_number", problem) if problem else row
        return outcome

    def _check_row(self, values: dict[str, str]) -> RosterRow:
        """Everything of a row but the policy engine's verdict; raises :class:`RowProblem`
        holding every problem of the row (a bad ID number does not hide the others)."""
        problems: list[tuple[str, str]] = []
        raw = values.get("id_number", "")
        parsed = self.parsed.get(raw)
        if parsed is None:
            try:
                resident = parse_resident_id(raw)
            except IdentityError as exc:
                parsed = exc
            else:
                parsed = (resident, id_number_hash(resident.number))
            self.parsed[raw] = parsed
        resident = None
        digest = number = ""
        if isinstance(parsed, IdentityError):
            problems.append(("id_number", str(parsed)))
        else:
            resident, digest = parsed
            number = resident.number
            if number in self.seen:
                problems.append(("id_number", _("This ID number appears twice in the roster.")))
            self.seen.add(number)
        name = ""
        try:
            name = check_person_name(values.get("name") or "")
        except ValueError as exc:
            problems.append(("name", str(exc)))
        person = self.persons.get(digest) if digest else None
        row = RosterRow(
            id_number=number, name=name, person=person, resident=resident, digest=digest
        )
        if person is not None:
            if name and person_name(person.name) != name:
                problems.append(
                    ("name", _("The name differs from the name registered for this ID number."))
                )
            if person.pk in self.enrolled:
                problems.append(("id_number", _("This person is already enrolled in the class.")))
        else:
            # a new person (or one whose ID number is wrong: what is written is still checked)
            hukou_text = values.get("hukou") or ""
            hukou = self.vocabulary.hukou(hukou_text)
            if hukou is None and (resident is not None or hukou_text.strip()):
                problems.append(
                    (
                        "hukou",
                        _(
                            "A new person needs the household registration (agricultural or "
                            "non-agricultural) to be registered."
                        ),
                    )
                )
            row.hukou = hukou or ""
            township_name = (values.get("township") or "").strip()
            if township_name:
                row.township = self.townships.get(roster_words(township_name))
                if row.township is None:
                    problems.append(
                        (
                            "township",
                            _("No township of the county is called “%(name)s”.")
                            % {"name": township_name},
                        )
                    )
            try:
                row.phone = check_phone(values.get("phone") or "")
            except ValueError as exc:
                problems.append(("phone", str(exc)))
        held = set(self.held[person.pk]) if person is not None else set()
        declared: list[str] = []
        for word in split_words(values.get("categories") or ""):
            category = self.categories.get(word)
            if category is None:
                code = self.vocabulary.category(word)
                category = self.categories.get(code) if code else None
            if category is None:
                problems.append(
                    ("categories", _("Unknown person category “%(name)s”.") % {"name": word})
                )
                continue
            code = category.policy_code or category.code
            if code in ROSTER_ONLY_CATEGORIES and code not in held and resident is not None:
                problems.append(
                    (
                        "categories",
                        _(
                            "GA23-OBJ-2: the registry does not record this person as "
                            "“%(name)s”; that category comes only from the rural "
                            "revitalisation bureau's roster."
                        )
                        % {"name": category.name},
                    )
                )
                continue
            declared.append(code)
        row.categories = sorted(held | set(declared))
        months_text = normalise_digits(values.get("insured_months") or "")
        if months_text:
            if not months_text.isdigit():
                problems.append(
                    ("insured_months", _("The insurance months must be a whole number."))
                )
            else:
                row.insured_months = int(months_text)
        elif person is not None and person.insured_months:
            row.insured_months = person.insured_months
        if (
            self.program in INSURANCE_PROGRAMS
            and row.insured_months is None
            and not (months_text and not months_text.isdigit())
        ):
            problems.append(
                (
                    "insured_months",
                    _("WH20-OBJ-1: this program needs the person's unemployment-insurance months."),
                )
            )
        problems += self.eligibility.problems(
            person, declared, row.insured_months, lang=_lang(), skip=[f for f, _t in problems]
        )
        if problems:
            (first_field, first_text), *more = problems
            raise RowProblem(first_field, first_text, more=more)
        return row

    def _policy_problems(self, rows: Sequence[RosterRow]) -> list[str]:
        """Eligibility and caps with the policy engine against each person's history
        (HB45-CAP-1), all rows in one call: for each row "" or the refusal in the engine's own
        words."""
        records = []
        history = []
        for index, row in enumerate(rows):
            record = {
                "id": str(index),
                "person_id": row.id_number,
                "region": self.region,
                "date": self.on.isoformat(),
                "program": self.program,
                "categories": [c for c in row.categories if c in policy.CATEGORIES],
                "passed": True,
                "occupation": self.occupation,
                "level": self.level,
                "total_hours": self.total,
                "practical_hours": self.practical,
                "attended_hours": self.total,
            }
            if row.insured_months is not None:
                record["insured_months"] = row.insured_months
            records.append(record)
            if row.person is not None:
                history.extend(
                    policy.PriorTraining(row.id_number, end, occupation, level, prior_id)
                    for end, occupation, level, prior_id in self.history.get(row.person.pk, [])
                )
        if not records:
            return []
        lang = _lang()
        problems = []
        for result in policy.run(records, self.params, history=history):
            reasons = (
                [
                    reason["message"]
                    for reason in result_dict(result, lang)["reasons"]
                    if ENROLMENT_RULES.search(reason["rule"])
                ]
                if result.status == "rejected"
                else []
            )
            problems.append(" ".join(reasons))
        return problems


def roster_apply(
    *, actor: Actor, training_class: TrainingClass, rows: Sequence[RosterRow]
) -> list[Enrolment]:
    """Enrol checked rows: register the new persons (in bulk, as the registry registers them),
    link everyone to the organiser, and make the enrolments, each with its audit-trail row
    (call inside a transaction)."""
    if (
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() + len(rows)
        > training_class.planned_places
    ):
        raise ValidationError(
            _("The class has %(n)d planned places; this would enrol more.")
            % {"n": training_class.planned_places}
        )
    organisation = training_class.organisation
    kind = (
        AffiliationKind.EMPLOYEE
        if organisation.kind == OrganisationKind.ENTERPRISE
        else AffiliationKind.TRAINEE
    )
    new_rows = [row for row in rows if row.person is None]
    county = (
        Region.objects.get(code=training_class.county_code)
        if any(row.township is None for row in new_rows)
        else None
    )
    created = persons_register_bulk(
        actor=actor,
        basis=AffiliationBasis.ENROLMENT,
        persons=[
            NewPerson(
                resident=row.resident or parse_resident_id(row.id_number),
                digest=row.digest or id_number_hash(row.id_number),
                name=row.name,
                hukou=row.hukou,
                county=row.township.parent if row.township is not None else county,
                township=row.township,
                phone=row.phone,
                insured_months=row.insured_months or 0,
            )
            for row in new_rows
        ],
    )
    registered = {person.id_number_hash: person for person in created}
    persons = [
        row.person
        if row.person is not None
        else registered[row.digest or id_number_hash(row.id_number)]
        for row in rows
    ]
    affiliations_ensure_bulk(
        actor=actor,
        person_ids=[person.pk for person in persons],
        organisation=organisation,
        kind=kind,
        basis=AffiliationBasis.ENROLMENT,
    )
    enrolled_by = user_of(actor)
    enrolments = [
        Enrolment(
            training_class_id=training_class.pk,
            person_id=person.pk,
            categories=row.categories,
            insured_months=row.insured_months,
            enrolled_by_id=enrolled_by.pk if enrolled_by is not None else None,
        )
        for row, person in zip(rows, persons, strict=True)
    ]
    # bulk, with one history row per enrolment (the audit trail, as a save would write it)
    created_enrolments = bulk_create_audited(enrolments, Enrolment, actor=actor, batch_size=1000)
    # the progress dashboards' summary of the class (reports), in this transaction
    hooks.call(hooks.CLASS_FIGURES_CHANGED, class_ids=[training_class.pk])
    return created_enrolments


def roster_columns(words: Vocabulary | None = None) -> list[Column]:
    """The columns of a class roster (花名册) and the header wordings offices use for them: a
    person's columns as every roster names them (the registry's roster vocabulary ``words``,
    the general one if None), the categories declared and the unemployment-insurance months
    (WH20-OBJ-1)."""
    words = words or vocabulary()
    return [
        *person_columns(township_required=False, words=words),
        Column(
            "categories",
            words.headers("category"),
            _lazy("Categories"),
            required=False,
        ),
        Column(
            "insured_months",
            ("参保月数", "失业保险参保月数", "缴费月数", "Insurance months"),
            _lazy("Insurance months"),
            required=False,
        ),
    ]


def roster_import_run(
    *, actor: Actor, training_class: TrainingClass, upload, progress=None
) -> dict:
    """Read, check and enrol a class roster now; all or nothing (core/imports.py): every bad
    row is reported with its row number and reason, and nothing is written."""
    training_class = _enrolling_class(actor, training_class)
    require_perm(actor, "registry.view_person")
    columns = roster_columns(vocabulary(training_class.county_code))
    labels = {column.key: str(column.name) for column in columns}
    rows = read_rows(upload, columns)
    checker = RosterChecker(training_class, [values.get("id_number", "") for _n, values in rows])

    # Rows are checked a chunk ahead, so the policy engine sees a chunk in one call.
    position = {number: index for index, (number, _values) in enumerate(rows)}
    ahead: dict[int, RosterRow | RowProblem] = {}

    def validate(number: int, values: dict[str, str]) -> RosterRow:
        if number not in ahead:
            start = position[number]
            ahead.update(checker.check_many(rows[start : start + ROSTER_CHUNK]))
        outcome = ahead.pop(number)
        if isinstance(outcome, RowProblem):
            raise ImportRowProblems(
                ImportRowProblem(labels.get(name, ""), text) for name, text in outcome.problems
            )
        return outcome

    def apply(checked: list[tuple[int, RosterRow]]) -> int:
        try:
            rows_ = [row for _number, row in checked]
            return len(roster_apply(actor=actor, training_class=training_class, rows=rows_))
        except ValidationError as exc:
            raise ImportRejected.file(" ".join(exc.messages)) from None

    try:
        enrolled = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    except IntegrityError:
        raise ImportRejected.file(
            _(
                "Someone enrolled or registered one of these persons while the file was being "
                "checked; nothing was imported. Upload the file again."
            )
        ) from None
    return {"rows": len(rows), "enrolled": enrolled}
