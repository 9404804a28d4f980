"""Writes of the employment app (GA23-EMP-1). Every function takes the acting user or token
first, except the hook callback the certificate service calls (core/hooks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from upskill.assessment.models import Certificate
from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.imports import Column, RowProblem, read_rows, run_import
from upskill.core.jobs import import_job_start
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, OrganisationKind, Region, RegionLevel
from upskill.registry.models import AffiliationBasis, AffiliationKind
from upskill.registry.services import affiliation_ensure

from .models import (
    CLOSING_OUTCOMES,
    FollowUp,
    Outcome,
    Recommendation,
    Referral,
    ReferralStatus,
    Vacancy,
)
from .permissions import (
    ADD_FOLLOW_UP,
    ADD_VACANCY,
    CHANGE_REFERRAL,
    CHANGE_VACANCY,
    VIEW_REFERRAL,
    VIEW_VACANCY,
)
from .selectors import works_queue
from .tasks import vacancies_import_task

__all__ = [  # the codenames are re-exported for the pages and the API
    "ADD_FOLLOW_UP",
    "ADD_VACANCY",
    "CHANGE_REFERRAL",
    "CHANGE_VACANCY",
    "VIEW_REFERRAL",
    "VIEW_VACANCY",
]


def _centre_of_county(county_code: str) -> Organisation | None:
    """The county HR service centre (县人力资源服务中心) of a county."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.HR_SERVICE_CENTRE, region__code=county_code, is_active=True
        )
        .order_by("pk")
        .first()
    )


def referral_push(*, actor: Actor, certificate: Certificate) -> Referral | None:
    """Put the holder of a valid training, skill-level or special-ability certificate in the
    queue of the county HR service centre (GA23-EMP-1) and let the centre see the person (a
    referral affiliation, docs/roles.md). Once per person and centre: a later certificate updates
    the referral's certificate. None when the kind does not count or the county has no
    centre."""
    if not certificate.counts_for_employment:
        return None
    centre = _centre_of_county(certificate.county.code[:6])
    if centre is None:
        return None
    affiliation_ensure(
        person=certificate.person,
        organisation=centre,
        kind=AffiliationKind.REFERRAL,
        basis=AffiliationBasis.REFERRAL,
    )
    referral = Referral.objects.filter(person=certificate.person, centre=centre).first()
    if referral is None:
        return Referral.objects.create(
            person=certificate.person,
            centre=centre,
            county=Region.objects.get(code=centre.region.code[:6]),
            certificate=certificate,
        )
    if referral.certificate_id != certificate.pk:
        before = referral.certificate_id
        referral.certificate = certificate
        referral.save(update_fields=["certificate", "updated_at"])
        _figures_changed(before)  # its class no longer counts the person as employed
    return referral


def _figures_changed(*certificate_ids: int) -> None:
    """The progress dashboards count a record as employed by its certificate's referral
    (reports): the classes of these certificates, recounted in this transaction."""
    class_ids = [
        pk
        for pk in Certificate.objects.filter(pk__in=certificate_ids).values_list(
            "attempt__enrolment__training_class_id", flat=True
        )
        if pk is not None
    ]
    if class_ids:
        hooks.call(hooks.CLASS_FIGURES_CHANGED, class_ids=class_ids)


def referral_push_on_certificate(*, actor: Actor, certificate: Certificate) -> None:
    """The ``certificate.issued`` hook (core/hooks.py): assessment calls it for each issued or
    verified certificate, inside its transaction."""
    referral_push(actor=actor, certificate=certificate)


def _centre_actor(actor, referral: Referral, perm: str) -> Referral:
    referral = get_visible_or_404(
        Referral.objects.select_related("person", "centre"), actor, perm=perm, pk=referral.pk
    )
    if not works_queue(actor, referral):
        raise PermissionDenied(perm)  # the bureau reads the queue; the centre works it
    return referral


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({field: _("Give an amount in yuan.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("Give an amount in yuan.")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def referral_wishes_set(
    *,
    actor: Actor,
    referral: Referral,
    job_type: str = "",
    township: Region | None = None,
    wage: Decimal | str | None = None,
    note: str = "",
) -> Referral:
    """The counsellor records what work the person wants: job type, township, monthly wage."""
    referral = _centre_actor(actor, referral, CHANGE_REFERRAL)
    if township is not None and (
        township.level != RegionLevel.TOWNSHIP or not township.code.startswith(referral.county.code)
    ):
        raise ValidationError({"township": _("Choose a township of the county.")})
    referral.wished_job_type = " ".join(str(job_type).split())[:128]
    referral.wished_township = township
    referral.wished_wage = _money(wage, "wished_wage")
    referral.wishes_note = str(note).strip()[:255]
    if referral.status == ReferralStatus.QUEUED:
        referral.status = ReferralStatus.FOLLOWING
    referral.save()
    return referral


@transaction.atomic
def recommendation_create(
    *, actor: Actor, referral: Referral, vacancy: Vacancy, note: str = ""
) -> Recommendation:
    """Recommend an open vacancy of the centre's list to a person in its queue."""
    referral = _centre_actor(actor, referral, CHANGE_REFERRAL)
    vacancy = get_visible_or_404(Vacancy, actor, pk=vacancy.pk)
    if vacancy.centre_id != referral.centre_id or not vacancy.is_open:
        raise ValidationError({"vacancy": _("Choose an open vacancy of the centre's list.")})
    recommendation, _created = Recommendation.objects.get_or_create(
        referral=referral,
        vacancy=vacancy,
        defaults={"note": str(note).strip()[:255], "recommended_by": user_of(actor)},
    )
    if referral.status == ReferralStatus.QUEUED:
        referral.status = ReferralStatus.FOLLOWING
        referral.save(update_fields=["status", "updated_at"])
    return recommendation


@transaction.atomic
def follow_up_record(
    *,
    actor: Actor,
    referral: Referral,
    kind: str,
    on: date,
    employer: str = "",
    employed_from: date | None = None,
    vacancy: Vacancy | None = None,
    note: str = "",
) -> FollowUp:
    """Record a follow-up (GA23-EMP-1). *Employed* needs the employer and the start date;
    employed, self-employed and not seeking close the referral with that outcome; a later
    follow-up reopens it (a person who said "not seeking" may come back)."""
    referral = _centre_actor(actor, referral, ADD_FOLLOW_UP)
    if kind not in Outcome.values:
        raise ValidationError({"kind": _("Choose what happened.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("The date is in the future.")})
    employer = " ".join(str(employer).split())[:128]
    if vacancy is not None:
        vacancy = get_visible_or_404(Vacancy, actor, pk=vacancy.pk)
        employer = employer or vacancy.employer
    if kind == Outcome.EMPLOYED:
        if not employer:
            raise ValidationError({"employer": _("Name the employer.")})
        if employed_from is None:
            raise ValidationError({"employed_from": _("Give the date the job started.")})
    else:
        employed_from = None
    follow_up = FollowUp.objects.create(
        referral=referral,
        kind=kind,
        date=on,
        employer=employer,
        employed_from=employed_from,
        vacancy=vacancy,
        note=str(note).strip()[:255],
        recorded_by=user_of(actor),
    )
    if kind in CLOSING_OUTCOMES:
        referral.status = ReferralStatus.CLOSED
        referral.outcome = kind
    else:
        referral.status = ReferralStatus.FOLLOWING
        referral.outcome = ""
    referral.save(update_fields=["status", "outcome", "updated_at"])
    _figures_changed(referral.certificate_id)
    return follow_up


# -- vacancies --------------------------------------------------------------------------------


def _centre(actor, perm: str) -> Organisation:
    require_perm(actor, perm)
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.kind != OrganisationKind.HR_SERVICE_CENTRE:
        raise PermissionDenied(perm)
    return organisation


@dataclass
class VacancyData:
    employer: str
    title: str
    job_type: str
    township: Region | None = None
    wage_min: Decimal | None = None
    wage_max: Decimal | None = None
    places: int = 1
    contact: str = ""


def _check_vacancy(data: VacancyData, county_code: str) -> VacancyData:
    data.employer = " ".join(str(data.employer).split())[:128]
    data.title = " ".join(str(data.title).split())[:128]
    data.job_type = " ".join(str(data.job_type).split())[:128] or data.title
    if not data.employer:
        raise ValidationError({"employer": _("Name the employer.")})
    if not data.title:
        raise ValidationError({"title": _("Name the job.")})
    if data.township is not None and not data.township.code.startswith(county_code):
        raise ValidationError({"township": _("Choose a township of the county.")})
    data.wage_min = _money(data.wage_min, "wage_min")
    data.wage_max = _money(data.wage_max, "wage_max")
    if data.wage_min is not None and data.wage_max is not None and data.wage_max < data.wage_min:
        raise ValidationError({"wage_max": _("The upper wage is below the lower one.")})
    if int(data.places) < 1:
        raise ValidationError({"places": _("At least one place.")})
    return data


@transaction.atomic
def vacancy_create(
    *,
    actor: Actor,
    employer: str,
    title: str,
    job_type: str = "",
    township: Region | None = None,
    wage_min: Decimal | str | None = None,
    wage_max: Decimal | str | None = None,
    places: int = 1,
    contact: str = "",
) -> Vacancy:
    """Add a job opening to the centre's list."""
    centre = _centre(actor, ADD_VACANCY)
    data = _check_vacancy(
        VacancyData(employer, title, job_type, township, wage_min, wage_max, places, contact),
        centre.county_code,
    )
    return Vacancy.objects.create(centre=centre, **data.__dict__)


@transaction.atomic
def vacancy_close(*, actor: Actor, vacancy: Vacancy) -> Vacancy:
    """The opening is filled or withdrawn: it is no longer recommended."""
    vacancy = get_visible_or_404(Vacancy, actor, perm=CHANGE_VACANCY, pk=vacancy.pk)
    vacancy.is_open = False
    vacancy.save()
    return vacancy


def vacancy_columns() -> list[Column]:
    return [
        Column(
            "employer",
            ("用人单位", "招聘单位", "单位名称", "企业名称", "Employer"),
            _lazy("Employer"),
        ),
        Column("title", ("岗位名称", "招聘岗位", "岗位", "Job"), _lazy("Job")),
        Column(
            "job_type", ("工种", "岗位类别", "职业", "Job type"), _lazy("Job type"), required=False
        ),
        Column("township", ("工作地点", "乡镇", "Township"), _lazy("Township"), required=False),
        Column(
            "wage_min",
            ("最低月薪", "月薪下限", "薪资下限", "Wage from"),
            _lazy("Wage from"),
            required=False,
        ),
        Column(
            "wage_max",
            ("最高月薪", "月薪上限", "薪资上限", "Wage up to"),
            _lazy("Wage up to"),
            required=False,
        ),
        Column("places", ("招聘人数", "人数", "Places"), _lazy("Places"), required=False),
        Column(
            "contact",
            ("联系方式", "联系电话", "联系人", "Contact"),
            _lazy("Contact"),
            required=False,
        ),
    ]


def vacancies_import_run(*, actor: Actor, upload, progress=None) -> dict:
    """Read and add a vacancy list (岗位信息表) now, all or nothing (core/imports.py)."""
    centre = _centre(actor, ADD_VACANCY)
    columns = vacancy_columns()
    labels = {column.key: column.name for column in columns}
    rows = read_rows(upload, columns)
    townships = {
        region.name: region
        for region in Region.objects.filter(
            level=RegionLevel.TOWNSHIP, code__startswith=centre.county_code
        )
    }

    def validate(number: int, values: dict[str, str]) -> VacancyData:
        township = None
        place = (values.get("township") or "").strip()
        if place:
            township = townships.get(place) or next(
                (region for name, region in townships.items() if place.startswith(name)), None
            )
            if township is None:
                raise RowProblem(labels["township"], _("No township of the county is called so."))
        places_text = (values.get("places") or "").strip() or "1"
        if not places_text.isdigit():
            raise RowProblem(labels["places"], _("Give the number of places."))
        try:
            return _check_vacancy(
                VacancyData(
                    values.get("employer", ""),
                    values.get("title", ""),
                    values.get("job_type", ""),
                    township,
                    values.get("wage_min") or None,
                    values.get("wage_max") or None,
                    int(places_text),
                    (values.get("contact") or "")[:128],
                ),
                centre.county_code,
            )
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise RowProblem(labels.get(field, ""), " ".join(messages)) from None

    def apply(checked: list[tuple[int, VacancyData]]) -> int:
        for _number, data in checked:
            Vacancy.objects.create(centre=centre, **data.__dict__)
        return len(checked)

    added = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    return {"rows": len(rows), "added": added}


def vacancies_import(*, actor: Actor, upload):
    """Import a vacancy list as a background job (core/jobs.py); returns the Job."""
    _centre(actor, ADD_VACANCY)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="employment.vacancies_import",
        title=lambda filename: _("Vacancy list: %(file)s") % {"file": filename[:120]},
        task=vacancies_import_task,
        default_name="vacancies",
    )
