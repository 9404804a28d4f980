"""Who a class may admit (GA23-OBJ-1/2/3, WH20-OBJ-1, HB61-MIG-1): eligibility rules of the
policy package, applied where the product holds the facts (enrolment, and again when a claim is
assembled) and never by the calculator's three doors (its contract is unchanged: there a
record's ``program`` keeps asserting what the contract says it asserts).

Plain Python like the rest of ``policy``: the product gathers the :class:`Facts` of one person
in one class, :func:`check` returns a :class:`Verdict` whose refusals name the rule, the missing
fact and the figures used; the sentences are rendered in Chinese or English with the legal
reference of the parameter version in force, like the calculator's explanations.

Every threshold and list is a dated, regional parameter (``parameters/eligibility.yaml``; the
insurance months are WH20's ``skill_certificate.min_insured_months``). A rule without a version
in force for the class's region and date does not apply: the provincial "nine categories" of
GA23-OBJ-1 are not quoted in the seeds, so that list ships empty and an administrator adds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .explain import Reason, render
from .parameters import ParameterSet, Reference, Version, default_parameters

# The parameters each rule reads (docs/policy.md lists them with the clauses).
POVERTY_CATEGORIES = "eligibility.poverty_categories"  # GA23-OBJ-2
POVERTY_SOURCES = "eligibility.poverty_roster_sources"  # GA23-OBJ-2
EMPLOYMENT_CATEGORIES = "eligibility.employment_categories"  # GA23-OBJ-1
INSURED_EMPLOYER_PROGRAMS = "eligibility.insured_employer_programs"  # GA23-OBJ-3
MIN_INSURED_MONTHS = "skill_certificate.min_insured_months"  # WH20-OBJ-1 (shared with WH20-SUB)
INSURED_MONTHS_PROGRAMS = "eligibility.insured_months_programs"  # WH20-OBJ-1
MIGRANT_RESIDENCE_MONTHS = "eligibility.migrant_residence_months"  # HB61-MIG-1
MIGRANT_CATEGORY = "migrant_worker"

# The facts a refusal may name as missing (their names in both languages).
FACTS: dict[str, tuple[str, str]] = {
    "poverty_category": (
        "脱贫人员、两后生或监测户身份",
        "a poverty-alleviated, two-after or monitored category",
    ),
    "category_validity": ("身份在培训期间有效", "a category valid on the class's dates"),
    "roster_source": ("乡村振兴局名册来源", "the rural revitalisation bureau's roster as source"),
    "category": ("就业创业培训对象类别", "an employment/entrepreneurship category"),
    "employment": ("与企业的劳动关系", "employment by the enterprise"),
    "enterprise_insurance": (
        "企业参加失业保险的记录",
        "the enterprise's unemployment-insurance record",
    ),
    "insured_months": ("失业保险累计月数", "the cumulative unemployment-insurance months"),
    "town_residence": ("在城镇居住起始日期", "the date the person began living in a town"),
}


@dataclass(frozen=True)
class HeldCategory:
    """A category the registry records for the person, with where it came from."""

    code: str
    name: str
    valid_from: date | None = None
    valid_until: date | None = None
    source: str = ""  # as recorded (the roster's name)
    source_kind: str = ""  # kind of the organisation that recorded it ("" if none)

    def covers(self, start: date, end: date) -> bool:
        return (self.valid_from is None or self.valid_from <= start) and (
            self.valid_until is None or end <= self.valid_until
        )


@dataclass(frozen=True)
class Facts:
    """One person in one class, as the product holds them.

    ``categories`` are the registry's (with source and validity) and those the roster row
    declares (no source, no dates). ``employer`` is the enterprise the person works for (the
    organiser of an enterprise class), ``employed`` whether a labour contract or a declared
    employment links them on the class's dates, ``employer_insured_since`` the date from which
    the enterprise is recorded paying unemployment insurance (None: not recorded)."""

    program: str
    region: str
    start: date
    end: date
    categories: tuple[HeldCategory, ...] = ()
    insured_months: int | None = None
    employer: str = ""
    employed: bool = False
    employer_insured_since: date | None = None
    town_residence_since: date | None = None

    @property
    def codes(self) -> set[str]:
        return {category.code for category in self.categories}


@dataclass(frozen=True)
class Refusal:
    """Why the person is not admitted: the rule, the missing fact and the figures used."""

    rule: str
    code: str
    missing: str
    figures: dict[str, Any] = field(default_factory=dict)
    ref: Reference | None = None

    @property
    def reason(self) -> Reason:
        """The refusal as a calculator reason (its sentence from explain.TEMPLATES): how a claim
        line stores it, in the same words as at enrolment."""
        figures = dict(self.figures)
        if self.ref is not None:
            figures["ref"] = self.ref
        return Reason(f"elig.{self.code}", self.rule, figures)

    def message(self, lang: str = "zh") -> str:
        reason = self.reason
        return render(reason.code, reason.rule, reason.figures, lang)

    def missing_name(self, lang: str = "zh") -> str:
        zh, en = FACTS[self.missing]
        return en if lang == "en" else zh

    def as_dict(self, lang: str = "zh") -> dict[str, str]:
        return {
            "rule": self.rule,
            "missing": self.missing,
            "missing_name": self.missing_name(lang),
            "message": self.message(lang),
        }


@dataclass
class Verdict:
    refusals: list[Refusal] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # the rules in force that were checked

    @property
    def admitted(self) -> bool:
        return not self.refusals

    @property
    def rules(self) -> list[str]:
        return [refusal.rule for refusal in self.refusals]

    def messages(self, lang: str = "zh") -> list[str]:
        return [refusal.message(lang) for refusal in self.refusals]

    def explanation(self, lang: str = "zh") -> list[dict[str, str]]:
        return [refusal.as_dict(lang) for refusal in self.refusals]


def _names(codes: Iterable[str], labels: dict[str, str] | None) -> str:
    labels = labels or {}
    return "、".join(labels.get(code, code) for code in codes)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - one of the four days exists


def _poverty(facts: Facts, p, out: Verdict, labels) -> None:
    """GA23-OBJ-2: a poverty-alleviated class admits only persons whose 脱贫人员 / 两后生 /
    监测户 category came from the rural revitalisation bureau's roster (or was passed on by a
    township centre or the county bureau) and holds on the class's dates."""
    codes: Version | None = p(POVERTY_CATEGORIES)
    if codes is None:
        return
    out.applied.append("GA23-OBJ-2")
    sources: Version | None = p(POVERTY_SOURCES)
    allowed_sources = set(sources.value) if sources is not None else None
    held = [c for c in facts.categories if c.code in codes.value and c.valid_from is not None]
    if not held:
        out.refusals.append(
            Refusal(
                "GA23-OBJ-2",
                "obj2.no_category",
                "poverty_category",
                {"categories": _names(codes.value, labels)},
                codes.reference,
            )
        )
        return
    valid = [c for c in held if c.covers(facts.start, facts.end)]
    if not valid:
        category = held[0]
        out.refusals.append(
            Refusal(
                "GA23-OBJ-2",
                "obj2.not_valid",
                "category_validity",
                {
                    "category": category.name,
                    "valid": f"{category.valid_from} – {category.valid_until or '…'}",
                    "start": facts.start,
                    "end": facts.end,
                },
                codes.reference,
            )
        )
        return
    if allowed_sources is not None and not any(c.source_kind in allowed_sources for c in valid):
        category = valid[0]
        out.refusals.append(
            Refusal(
                "GA23-OBJ-2",
                "obj2.source",
                "roster_source",
                {"category": category.name, "source": category.source or "—"},
                sources.reference,
            )
        )


def _employment(facts: Facts, p, out: Verdict, labels) -> None:
    """GA23-OBJ-1: an employment/entrepreneurship class admits the configured categories (the
    provincial nine: data, not in the seeds); a registry category must hold on the class's
    dates, a category the roster declares counts as declared."""
    codes: Version | None = p(EMPLOYMENT_CATEGORIES)
    if codes is None:
        return
    out.applied.append("GA23-OBJ-1")
    if not any(
        c.code in codes.value and c.covers(facts.start, facts.end) for c in facts.categories
    ):
        out.refusals.append(
            Refusal(
                "GA23-OBJ-1",
                "obj1.no_category",
                "category",
                {"categories": _names(codes.value, labels)},
                codes.reference,
            )
        )


def _migrant(facts: Facts, p, out: Verdict) -> tuple[bool, Refusal | None]:
    """HB61-MIG-1: a migrant worker living in a town for the months in force counts as an
    employee. (counts, why not): (False, None) when the rule is not in force or the person is
    no migrant worker."""
    months: Version | None = p(MIGRANT_RESIDENCE_MONTHS)
    if months is None or MIGRANT_CATEGORY not in facts.codes:
        return False, None
    out.applied.append("HB61-MIG-1")
    since = facts.town_residence_since
    if since is None:
        why = Refusal(
            "HB61-MIG-1",
            "mig.no_residence",
            "town_residence",
            {"months": months.value},
            months.reference,
        )
        return False, why
    if _add_months(since, months.value) > facts.start:
        why = Refusal(
            "HB61-MIG-1",
            "mig.short",
            "town_residence",
            {"since": since, "on": facts.start, "months": months.value},
            months.reference,
        )
        return False, why
    return True, None


def _post_skill(facts: Facts, p, out: Verdict) -> None:
    """GA23-OBJ-3: post-skill training admits employees of enterprises that pay unemployment
    insurance (recorded on the enterprise, from a date); HB61-MIG-1 lets a migrant worker
    living in a town long enough count as an employee."""
    programs: Version | None = p(INSURED_EMPLOYER_PROGRAMS)
    if programs is None or facts.program not in programs.value:
        return
    out.applied.append("GA23-OBJ-3")
    employer = facts.employer or "—"
    if not facts.employed:
        counts, why = _migrant(facts, p, out)
        if not counts:
            out.refusals.append(
                Refusal(
                    "GA23-OBJ-3",
                    "obj3.not_employee",
                    "employment",
                    {"employer": employer},
                    programs.reference,
                )
            )
            if why is not None:
                out.refusals.append(why)
            return
    since = facts.employer_insured_since
    if since is None or since > facts.start:
        out.refusals.append(
            Refusal(
                "GA23-OBJ-3",
                "obj3.uninsured",
                "enterprise_insurance",
                {"employer": employer, "since": since or "—"},
                programs.reference,
            )
        )


def _insured_months(facts: Facts, p, out: Verdict) -> None:
    """WH20-OBJ-1: online skill-level training needs the cumulative months of unemployment
    insurance in force, all employers counted (dispatched labour included)."""
    programs: Version | None = p(INSURED_MONTHS_PROGRAMS)
    minimum: Version | None = p(MIN_INSURED_MONTHS)
    if programs is None or minimum is None or facts.program not in programs.value:
        return
    out.applied.append("WH20-OBJ-1")
    if facts.insured_months is None:
        out.refusals.append(
            Refusal(
                "WH20-OBJ-1",
                "obj.insurance_missing",
                "insured_months",
                {"min": minimum.value},
                minimum.reference,
            )
        )
    elif facts.insured_months < minimum.value:
        out.refusals.append(
            Refusal(
                "WH20-OBJ-1",
                "obj.insurance_short",
                "insured_months",
                {"months": facts.insured_months, "min": minimum.value},
                minimum.reference,
            )
        )


def check(
    facts: Facts,
    params: ParameterSet | None = None,
    *,
    category_names: dict[str, str] | None = None,
) -> Verdict:
    """The eligibility verdict of one person for one class: the rules in force for the class's
    region on its end date (the date the calculator prices the class on). ``category_names``
    names the category codes in the sentences (the registry's names)."""
    params = params or default_parameters()

    def p(name: str) -> Version | None:
        return params.lookup(name, facts.region, facts.end)

    verdict = Verdict()
    if facts.program == "poverty":
        _poverty(facts, p, verdict, category_names)
    elif facts.program == "employment":
        _employment(facts, p, verdict, category_names)
    _post_skill(facts, p, verdict)
    _insured_months(facts, p, verdict)
    return verdict
