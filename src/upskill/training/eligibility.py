"""The facts the eligibility rules need (policy/eligibility.py: GA23-OBJ-1/2/3, WH20-OBJ-1,
HB61-MIG-1), gathered from the registry, the enterprise's records and the class, for every
person of a roster or a class at once (a few queries, not a few per person).

Run at enrolment (one trainee, a roster import, the API: all through ``RosterChecker``) and again
when a claim is assembled (``subsidies``), with the same sentences: a trainee the rules would not
admit never reaches a claim's money, township fee (GA23-FEE-1) included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from upskill.enterprise.models import EmploymentContract
from upskill.organisations.models import OrganisationKind
from upskill.policy import ParameterSet
from upskill.policy import eligibility as rules
from upskill.registry.models import (
    Affiliation,
    AffiliationBasis,
    AffiliationKind,
    Category,
    Person,
    PersonCategory,
)

from .models import TrainingClass

# The roster column a missing fact belongs to (a refused row names it).
FACT_COLUMNS = {
    "poverty_category": "categories",
    "category_validity": "categories",
    "roster_source": "categories",
    "category": "categories",
    "insured_months": "insured_months",
}


def refusal_text(refusal: rules.Refusal, lang: str) -> str:
    """The sentence of a refusal followed by the fact that is missing."""
    return _("%(message)s Missing: %(fact)s.") % {
        "message": refusal.message(lang),
        "fact": refusal.missing_name(lang),
    }


class ClassEligibility:
    """The eligibility of persons for one class: what the rules need, read once for them all."""

    def __init__(
        self, training_class: TrainingClass, persons: Iterable[Person], params: ParameterSet
    ) -> None:
        self.training_class = training_class
        self.params = params
        persons = [person for person in persons if person is not None]
        ids = [person.pk for person in persons]
        self.held: dict[int, list[rules.HeldCategory]] = defaultdict(list)
        for entry in (
            PersonCategory.objects.filter(person_id__in=ids)
            .select_related("category", "source_organisation")
            .order_by("person_id", "-valid_from", "pk")
        ):
            self.held[entry.person_id].append(
                rules.HeldCategory(
                    code=entry.category.policy_code or entry.category.code,
                    name=entry.category.name,
                    valid_from=entry.valid_from,
                    valid_until=entry.valid_until,
                    source=entry.source,
                    source_kind=(
                        entry.source_organisation.kind if entry.source_organisation else ""
                    ),
                )
            )
        self.names = {}
        for category in Category.objects.all():
            self.names[category.code] = category.name
            if category.policy_code:
                self.names.setdefault(category.policy_code, category.name)
        organiser = training_class.organisation
        # the employer: the enterprise that organises the class (GA23-OBJ-3)
        self.employer = organiser if organiser.kind == OrganisationKind.ENTERPRISE else None
        self.employed: set[int] = set()
        if self.employer is not None and ids:
            start, end = training_class.start_date, training_class.end_date
            self.employed |= set(
                EmploymentContract.objects.filter(
                    enterprise=self.employer, person_id__in=ids, signed__lte=start
                )
                .filter(Q(ended__isnull=True) | Q(ended__gte=end))
                .values_list("person_id", flat=True)
            )
            # an employment the enterprise declared (not the one enrolment itself makes)
            self.employed |= set(
                Affiliation.objects.filter(
                    organisation=self.employer,
                    person_id__in=ids,
                    kind=AffiliationKind.EMPLOYEE,
                    basis=AffiliationBasis.CONTRACT,
                    since__lte=start,
                )
                .filter(Q(until__isnull=True) | Q(until__gte=end))
                .values_list("person_id", flat=True)
            )

    def facts(
        self, person: Person | None, declared: Iterable[str], insured_months: int | None
    ) -> rules.Facts:
        """One person's facts: the registry's categories with their sources and dates, plus
        those the roster or the enrolment declares (no source, no dates)."""
        held = list(self.held.get(person.pk, ())) if person is not None else []
        codes = {category.code for category in held}
        held += [
            rules.HeldCategory(code=code, name=self.names.get(code, code))
            for code in declared
            if code not in codes
        ]
        if insured_months is None and person is not None and person.insured_months_as_of:
            insured_months = person.insured_months
        employer = self.employer
        training_class = self.training_class
        return rules.Facts(
            program=training_class.program,
            region=training_class.county_code,
            start=training_class.start_date,
            end=training_class.end_date,
            categories=tuple(held),
            insured_months=insured_months,
            employer=employer.name if employer is not None else "",
            employed=person is not None and person.pk in self.employed,
            employer_insured_since=employer.unemployment_insured_since if employer else None,
            town_residence_since=person.town_residence_since if person is not None else None,
        )

    def verdict(
        self, person: Person | None, declared: Iterable[str] = (), insured_months: int | None = None
    ) -> rules.Verdict:
        return rules.check(
            self.facts(person, declared, insured_months), self.params, category_names=self.names
        )

    def problems(
        self,
        person: Person | None,
        declared: Iterable[str],
        insured_months: int | None,
        *,
        lang: str,
        skip: Iterable[str] = (),
    ) -> list[tuple[str, str]]:
        """A roster row's refusals as (column, sentence naming the rule and the missing fact);
        none for a column in ``skip`` (the row already reports a problem there)."""
        skip = set(skip)
        problems = []
        for refusal in self.verdict(person, declared, insured_months).refusals:
            column = FACT_COLUMNS.get(refusal.missing, "id_number")
            if column not in skip:
                problems.append((column, refusal_text(refusal, lang)))
        return problems


def enrolment_verdicts(
    training_class: TrainingClass, enrolments: Sequence, params: ParameterSet
) -> dict[int, rules.Verdict]:
    """Each enrolment's verdict, as at enrolment: the registry's categories now, the categories
    and insurance months the enrolment recorded (run again when a claim is assembled)."""
    check = ClassEligibility(training_class, [e.person for e in enrolments], params)
    return {
        enrolment.pk: check.verdict(
            enrolment.person, enrolment.categories or (), enrolment.insured_months
        )
        for enrolment in enrolments
    }
