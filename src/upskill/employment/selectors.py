"""Reads of the employment app, already scoped: the queue, the vacancy list, vacancies that fit a
person's wishes, the employment conversion rate (GA23-EMP-1), and the employment section of
the worker's archive (HB45-QA-1, through the ``person.archive_sections`` hook)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from upskill.assessment.models import EMPLOYMENT_KINDS, Certificate
from upskill.core.hooks import ArchiveSection, TimelineEvent
from upskill.core.scoping import Actor, visible
from upskill.organisations.models import OrganisationKind
from upskill.registry.models import Person

from .models import CONVERTED, FollowUp, Outcome, Recommendation, Referral, Vacancy
from .permissions import ADD_FOLLOW_UP, ADD_VACANCY, CHANGE_REFERRAL, CHANGE_VACANCY, VIEW_VACANCY


def works_queue(actor: Actor, referral: Referral) -> bool:
    """Whether ``actor`` works the referral: its HR service centre (or the superuser / the
    system); the bureau only reads the queue (GA23-EMP-1)."""
    organisation = getattr(actor, "organisation", None)
    return actor.is_superuser or (
        organisation is not None and organisation.pk == referral.centre_id
    )


@dataclass(frozen=True)
class ReferralPermissions:
    """What an actor may do with one referral (:func:`referral_permissions`)."""

    wishes: bool  # record the wishes and recommend vacancies
    follow_up: bool
    see_vacancies: bool  # the vacancies that fit, beside the wishes


def referral_permissions(*, actor: Actor, obj: Referral) -> ReferralPermissions:
    centre = works_queue(actor, obj)
    wishes = centre and actor.has_perm(CHANGE_REFERRAL)
    return ReferralPermissions(
        wishes=wishes,
        follow_up=centre and actor.has_perm(ADD_FOLLOW_UP),
        see_vacancies=wishes and actor.has_perm(VIEW_VACANCY),
    )


@dataclass(frozen=True)
class VacancyPermissions:
    add: bool
    close: bool


def vacancy_permissions(*, actor: Actor) -> VacancyPermissions:
    """What an actor may do on the vacancy list (adding is not about one vacancy)."""
    return VacancyPermissions(add=actor.has_perm(ADD_VACANCY), close=actor.has_perm(CHANGE_VACANCY))


def queue(*, actor, status: str = "", query: str = "") -> QuerySet[Referral]:
    qs = visible(Referral, actor).select_related(
        "person", "person__township", "certificate", "wished_township", "centre"
    )
    if status:
        qs = qs.filter(status=status)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(person__name__contains=query)
            | Q(wished_job_type__contains=query)
            | Q(certificate__occupation_name__contains=query)
        )
    return qs


def referral_detail_queryset(*, actor) -> QuerySet[Referral]:
    return (
        visible(Referral, actor)
        .select_related("person", "person__township", "certificate", "wished_township", "centre")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("vacancy")),
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("vacancy")),
        )
    )


def vacancy_list(*, actor, query: str = "", open_only: bool = False) -> QuerySet[Vacancy]:
    qs = visible(Vacancy, actor).select_related("township")
    if open_only:
        qs = qs.open()
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(employer__contains=query) | Q(title__contains=query) | Q(job_type__contains=query)
        )
    return qs


def matching_vacancies(*, actor, referral: Referral) -> list[Vacancy]:
    """Open vacancies of the centre, those fitting the wishes first: the job type (or the
    certificate's occupation) in the job, the wished township, a wage reaching the wish."""
    vacancies = list(vacancy_list(actor=actor, open_only=True).filter(centre=referral.centre))
    wanted = [w for w in (referral.wished_job_type, referral.certificate.occupation_name) if w]

    def score(vacancy: Vacancy) -> int:
        points = 0
        text = f"{vacancy.title} {vacancy.job_type}"
        if any(w in text or text in w for w in wanted):
            points += 4
        if referral.wished_township_id and vacancy.township_id == referral.wished_township_id:
            points += 2
        if referral.wished_wage is not None:
            top = vacancy.wage_max or vacancy.wage_min
            if top is not None and top >= referral.wished_wage:
                points += 1
        return points

    return sorted(vacancies, key=lambda v: (-score(v), v.employer, v.pk))


@dataclass
class Rate:
    """Conversion of one class, institution or occupation (GA23-EMP-1)."""

    label: str
    certified: int = 0
    employed: int = 0
    self_employed: int = 0
    not_seeking: int = 0
    key: str = ""
    persons: set = field(default_factory=set, repr=False)

    @property
    def converted(self) -> int:
        return self.employed + self.self_employed

    @property
    def rate(self) -> Decimal | None:
        """Employed plus self-employed over certified trainees, in per cent; "not seeking work"
        stays in the denominator."""
        if not self.certified:
            return None
        return (Decimal(self.converted) * 100 / Decimal(self.certified)).quantize(Decimal("0.1"))


@dataclass
class Rates:
    by_class: list[Rate]
    by_institution: list[Rate]
    by_occupation: list[Rate]
    total: Rate


def conversion_rates(*, actor) -> Rates:
    """The employment conversion rate per class, institution and occupation: trainees holding a
    valid training, skill-level or special-ability certificate from a class are the
    denominator; those employed or self-employed by the last follow-up the numerator
    (GA23-EMP-1). Read through the actor's scope of certificates and referrals."""
    certificates = (
        visible(Certificate, actor)
        .valid()
        .filter(kind__in=EMPLOYMENT_KINDS, training_class__isnull=False)
        .values_list(
            "person_id",
            "training_class_id",
            "training_class__name",
            "training_class__organisation__name",
            "occupation_name",
            "level",
        )
    )
    outcomes = dict(
        visible(Referral, actor).exclude(outcome="").values_list("person_id", "outcome")
    )
    groups: dict[str, dict[str, Rate]] = {"class": {}, "institution": {}, "occupation": {}}
    total = Rate(label=_("All classes"))
    for person_id, class_id, class_name, organiser, occupation, level in certificates:
        keys = {
            "class": (str(class_id), class_name),
            "institution": (organiser, organiser),
            "occupation": (
                f"{occupation}|{level}",
                f"{occupation} " + (_("level %(n)s") % {"n": level} if level else ""),
            ),
        }
        for group, (key, label) in keys.items():
            rate = groups[group].setdefault(key, Rate(label=label, key=key))
            _count(rate, person_id, outcomes.get(person_id, ""))
        _count(total, person_id, outcomes.get(person_id, ""))

    def ordered(group: str) -> list[Rate]:
        return sorted(groups[group].values(), key=lambda r: r.label)

    return Rates(ordered("class"), ordered("institution"), ordered("occupation"), total)


def _count(rate: Rate, person_id: int, outcome: str) -> None:
    if person_id in rate.persons:
        return
    rate.persons.add(person_id)
    rate.certified += 1
    if outcome == Outcome.EMPLOYED:
        rate.employed += 1
    elif outcome == Outcome.SELF_EMPLOYED:
        rate.self_employed += 1
    elif outcome == Outcome.NOT_SEEKING:
        rate.not_seeking += 1


def class_conversion(*, actor, class_id: int) -> Rate | None:
    for rate in conversion_rates(actor=actor).by_class:
        if rate.key == str(class_id):
            return rate
    return None


# -- the worker's archive (HB45-QA-1) -----------------------------------------------------------


def archive_sections(*, person: Person, actor) -> list[ArchiveSection]:
    """The employment outcomes of a person: referrals and their follow-ups."""
    section = ArchiveSection(
        key="employment",
        title=_("Employment services"),
        order=60,
        columns=[_("Date"), _("HR service centre"), _("What happened"), _("Employer"), _("Note")],
    )
    for referral in Referral.objects.filter(person=person).select_related("centre"):
        section.rows.append(
            [
                f"{referral.created_at:%Y-%m-%d}",
                referral.centre.name,
                _("Referred (GA23-EMP-1)"),
                "",
                referral.wished_job_type,
            ]
        )
        section.events.append(
            TimelineEvent(
                referral.created_at.date(),
                _("Employment"),
                _("Referred to %(centre)s") % {"centre": referral.centre.name},
            )
        )
        for follow_up in referral.follow_ups.all():
            section.rows.append(
                [
                    f"{follow_up.date:%Y-%m-%d}",
                    referral.centre.name,
                    follow_up.get_kind_display(),
                    follow_up.employer,
                    follow_up.note,
                ]
            )
            if follow_up.kind in CONVERTED or follow_up.kind == Outcome.NOT_SEEKING:
                text = follow_up.get_kind_display()
                if follow_up.employer:
                    text = f"{text}: {follow_up.employer}"
                section.events.append(
                    TimelineEvent(follow_up.employed_from or follow_up.date, _("Employment"), text)
                )
    return [section]


def phone_callers(*, organisation):
    """Hook ``person.phone_callers``: the HR service centre's counsellor calls the persons the
    centre holds a referral for (GA23-EMP-1)."""
    if organisation.kind != OrganisationKind.HR_SERVICE_CENTRE:
        return None
    return Q(pk__in=Referral.objects.filter(centre=organisation).values("person_id"))
