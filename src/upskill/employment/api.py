"""Employment services over JSON (GA23-EMP-1): the referral queue and wishes, vacancies,
recommendations and follow-ups, and the conversion rates; same scope as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, visible
from upskill.organisations.models import Region, RegionLevel

from . import selectors, services
from .models import FollowUp, Referral, Vacancy

router = Router(tags=["employment"])


class ReferralOut(Schema):
    id: int
    person_id: int
    name: str
    id_number_masked: str
    centre: str
    certificate_id: int
    status: str
    outcome: str
    wished_job_type: str
    wished_township_code: str | None
    wished_wage: Decimal | None
    wishes_note: str
    created_at: datetime

    @staticmethod
    def resolve_name(obj: Referral) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: Referral) -> str:
        return obj.person.id_number_masked

    @staticmethod
    def resolve_centre(obj: Referral) -> str:
        return obj.centre.name

    @staticmethod
    def resolve_wished_township_code(obj: Referral) -> str | None:
        return obj.wished_township.code if obj.wished_township_id else None


class WishesIn(Schema):
    job_type: str = ""
    township_code: str | None = None
    wage: Decimal | None = None
    note: str = ""


class VacancyOut(Schema):
    id: int
    employer: str
    title: str
    job_type: str
    township_code: str | None
    wage_min: Decimal | None
    wage_max: Decimal | None
    places: int
    contact: str
    is_open: bool

    @staticmethod
    def resolve_township_code(obj: Vacancy) -> str | None:
        return obj.township.code if obj.township_id else None


class VacancyIn(Schema):
    employer: str
    title: str
    job_type: str = ""
    township_code: str | None = None
    wage_min: Decimal | None = None
    wage_max: Decimal | None = None
    places: int = 1
    contact: str = ""


class RecommendationIn(Schema):
    vacancy_id: int
    note: str = ""


class FollowUpOut(Schema):
    id: int
    referral_id: int
    kind: str
    date: date
    employer: str
    employed_from: date | None
    vacancy_id: int | None
    note: str


class FollowUpIn(Schema):
    referral_id: int
    kind: str
    date: date
    employer: str = ""
    employed_from: date | None = None
    vacancy_id: int | None = None
    note: str = ""


class RateOut(Schema):
    label: str
    certified: int
    employed: int
    self_employed: int
    not_seeking: int
    rate: Decimal | None


class RatesOut(Schema):
    by_class: list[RateOut]
    by_institution: list[RateOut]
    by_occupation: list[RateOut]
    total: RateOut


def _township(code: str | None) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()


@router.get("/referrals", response=list[ReferralOut])
@paginate(PageNumberPagination)
def referral_list(request, status: str = "", q: str = ""):
    actor = permitted_actor(request, services.VIEW_REFERRAL)
    return selectors.queue(actor=actor, status=status, query=q)


class ReferralPermissionsOut(Schema):
    """What the calling token may do with the referral (``selectors.referral_permissions``)."""

    wishes: bool
    follow_up: bool
    see_vacancies: bool


class ReferralDetailOut(ReferralOut):
    permissions: ReferralPermissionsOut

    @staticmethod
    def resolve_permissions(obj: Referral, context) -> ReferralPermissionsOut:
        actor = actor_of(context["request"])
        return ReferralPermissionsOut.from_orm(selectors.referral_permissions(actor=actor, obj=obj))


@router.get("/referrals/{referral_id}", response=ReferralDetailOut)
def referral_detail(request, referral_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        selectors.queue(actor=actor), actor, perm=services.VIEW_REFERRAL, pk=referral_id
    )


@router.put("/referrals/{referral_id}/wishes", response=ReferralOut)
def referral_wishes(request, referral_id: int, payload: WishesIn):
    """The person's wishes: job type, township, monthly wage."""
    actor = actor_of(request)
    referral = get_visible_or_404(Referral, actor, pk=referral_id)
    services.referral_wishes_set(
        actor=actor,
        referral=referral,
        job_type=payload.job_type,
        township=_township(payload.township_code),
        wage=payload.wage,
        note=payload.note,
    )
    return get_visible_or_404(selectors.queue(actor=actor), actor, pk=referral_id)


@router.post("/referrals/{referral_id}/recommendations", response={201: dict})
def recommendation_add(request, referral_id: int, payload: RecommendationIn):
    actor = actor_of(request)
    referral = get_visible_or_404(Referral, actor, pk=referral_id)
    vacancy = get_visible_or_404(Vacancy, actor, pk=payload.vacancy_id)
    recommendation = services.recommendation_create(
        actor=actor, referral=referral, vacancy=vacancy, note=payload.note
    )
    return Status(
        201, {"id": recommendation.pk, "referral_id": referral.pk, "vacancy_id": vacancy.pk}
    )


@router.get("/follow-ups", response=list[FollowUpOut])
@paginate(PageNumberPagination)
def follow_up_list(request, referral_id: int | None = None):
    actor = permitted_actor(request, services.VIEW_REFERRAL)
    qs = visible(FollowUp, actor)
    if referral_id:
        qs = qs.filter(referral_id=referral_id)
    return qs


@router.post("/follow-ups", response={201: FollowUpOut})
def follow_up_add(request, payload: FollowUpIn):
    """Contacted, interviewed, employed (employer and start date), self-employed, not seeking."""
    actor = actor_of(request)
    referral = get_visible_or_404(Referral, actor, pk=payload.referral_id)
    vacancy = (
        get_visible_or_404(Vacancy, actor, pk=payload.vacancy_id) if payload.vacancy_id else None
    )
    follow_up = services.follow_up_record(
        actor=actor,
        referral=referral,
        kind=payload.kind,
        on=payload.date,
        employer=payload.employer,
        employed_from=payload.employed_from,
        vacancy=vacancy,
        note=payload.note,
    )
    return Status(201, follow_up)


@router.get("/follow-ups/{follow_up_id}", response=FollowUpOut)
def follow_up_detail(request, follow_up_id: int):
    actor = actor_of(request)
    return get_visible_or_404(FollowUp, actor, perm=services.VIEW_REFERRAL, pk=follow_up_id)


@router.get("/vacancies", response=list[VacancyOut])
@paginate(PageNumberPagination)
def vacancy_list(request, q: str = "", open_only: bool = False):
    actor = permitted_actor(request, services.VIEW_VACANCY)
    return selectors.vacancy_list(actor=actor, query=q, open_only=open_only)


@router.post("/vacancies", response={201: VacancyOut})
def vacancy_create(request, payload: VacancyIn):
    actor = actor_of(request)
    data = payload.dict()
    township = _township(data.pop("township_code"))
    return Status(201, services.vacancy_create(actor=actor, township=township, **data))


@router.get("/vacancies/{vacancy_id}", response=VacancyOut)
def vacancy_detail(request, vacancy_id: int):
    actor = actor_of(request)
    return get_visible_or_404(Vacancy, actor, perm=services.VIEW_VACANCY, pk=vacancy_id)


@router.get("/employment-rates", response=RatesOut)
def conversion_rates(request):
    """The employment conversion rate per class, institution and occupation (GA23-EMP-1)."""
    actor = permitted_actor(request, services.VIEW_REFERRAL)
    return selectors.conversion_rates(actor=actor)
