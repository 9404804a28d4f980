"""The registry over JSON: for the rural revitalisation bureau, banks and the province."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from upskill.core.api import actor_of
from upskill.core.imports import ImportRejected, size_message
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.core.uploads import upload_too_large
from upskill.organisations.models import Region

from . import selectors, services
from .models import Category, Person

router = Router(tags=["registry"])


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    policy_code: str


class PersonCategoryOut(Schema):
    category: str
    source: str
    valid_from: date
    valid_until: date | None

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code


class BankAccountOut(Schema):
    id: int
    kind: str
    account_name: str
    account_number_masked: str
    bank_name: str
    branch_code: str
    is_active: bool
    warning: str


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: date
    phone: str
    county_code: str
    township_code: str | None
    hukou: str
    rural: bool
    insured_months: int

    @staticmethod
    def resolve_county_code(obj: Person) -> str:
        return obj.county.code

    @staticmethod
    def resolve_township_code(obj: Person) -> str | None:
        return obj.township.code if obj.township_id else None

    @staticmethod
    def resolve_rural(obj: Person) -> bool:
        return obj.is_rural


class PersonDetailOut(PersonOut):
    categories: list[PersonCategoryOut]
    policy_categories: list[str]
    bank_accounts: list[BankAccountOut]

    @staticmethod
    def resolve_categories(obj: Person):
        return list(obj.categories.all())

    @staticmethod
    def resolve_policy_categories(obj: Person) -> list[str]:
        return selectors.person_categories_on(obj, date.today())

    @staticmethod
    def resolve_bank_accounts(obj: Person):
        return list(obj.bank_accounts.all())


class PersonIn(Schema):
    id_number: str
    name: str
    hukou: str
    phone: str = ""
    township_code: str | None = None
    address: str = ""
    insured_months: int = 0


class PersonPatch(Schema):
    """Only the fields sent change. A field that cannot be empty in the registry does not take
    ``null`` (422 with the field named; ``"address": null`` reached the database and answered
    500); ``township_code: null`` clears the township."""

    name: str = None  # type: ignore[assignment]  # unset: unchanged; null: refused
    phone: str = None  # type: ignore[assignment]
    township_code: str | None = None
    address: str = None  # type: ignore[assignment]
    hukou: str = None  # type: ignore[assignment]
    insured_months: int = None  # type: ignore[assignment]


class LookupIn(Schema):
    id_number: str


class RevealOut(Schema):
    id_number: str


class PersonCategoryIn(Schema):
    category: str
    source: str
    valid_from: date
    valid_until: date | None = None


def _township(code: str | None) -> Region | None:
    """Regions are public reference data: any caller may name a township by its code."""
    if not code:
        return None
    township = Region.objects.filter(code=code, level="township").select_related("parent").first()
    if township is None:
        raise ValidationError({"township_code": f"No township has the code {code}."})
    return township


@router.get("/categories", response=list[CategoryOut])
def category_list(request):
    return visible(Category, actor_of(request)).filter(is_active=True)


@router.get("/persons", response=list[PersonOut])
@paginate(PageNumberPagination)
def person_list(request, q: str = ""):
    actor = actor_of(request)
    require_perm(actor, "registry.view_person")
    return selectors.person_list(actor=actor, query=q)


@router.post("/persons", response={201: PersonDetailOut})
def person_create(request, payload: PersonIn):
    person = services.person_register(
        actor=actor_of(request),
        id_number=payload.id_number,
        name=payload.name,
        hukou=payload.hukou,
        phone=payload.phone,
        township=_township(payload.township_code),
        address=payload.address,
        insured_months=payload.insured_months,
    )
    return Status(201, person)


@router.post("/persons/lookup", response={200: PersonOut, 404: dict})
def person_lookup(request, payload: LookupIn):
    """Exact lookup by full ID number (for enrolling or employing a person)."""
    actor = actor_of(request)
    person = services.person_find_by_id_number(actor=actor, id_number=payload.id_number)
    if person is None:
        return Status(404, {"detail": "No person is registered with this ID number."})
    return person


@router.get("/persons/{person_id}", response=PersonDetailOut)
def person_detail(request, person_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        selectors.person_detail_queryset(actor=actor),
        actor,
        perm="registry.view_person",
        pk=person_id,
    )


@router.patch("/persons/{person_id}", response=PersonDetailOut)
def person_update(request, person_id: int, payload: PersonPatch):
    actor = actor_of(request)
    person = get_visible_or_404(Person, actor, perm="registry.change_person", pk=person_id)
    changes = payload.dict(exclude_unset=True)
    if "township_code" in changes:
        changes["township"] = _township(changes.pop("township_code"))
    return services.person_update(actor=actor, person=person, **changes)


@router.post("/persons/{person_id}/reveal", response=RevealOut)
def person_reveal(request, person_id: int):
    """The full ID number; permitted roles only, and written to the access log."""
    actor = actor_of(request)
    person = get_visible_or_404(Person, actor, pk=person_id)
    return {
        "id_number": services.person_reveal_id_number(
            actor=actor, person=person, remote_addr=request.META.get("REMOTE_ADDR")
        )
    }


@router.post("/persons/{person_id}/categories", response={201: PersonCategoryOut})
def person_category_add(request, person_id: int, payload: PersonCategoryIn):
    actor = actor_of(request)
    person = get_visible_or_404(Person, actor, pk=person_id)
    category = get_visible_or_404(Category, actor, code=payload.category)
    entry = services.person_category_add(
        actor=actor,
        person=person,
        category=category,
        source=payload.source,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, entry)


class JobRef(Schema):
    job_id: int
    status: str
    url: str


class RejectedOut(Schema):
    detail: str
    errors: list[dict]


@router.post("/rosters/import", response={202: JobRef, 400: RejectedOut, 413: RejectedOut})
def roster_import(
    request,
    valid_from: Form[date | None] = None,
    source: Form[str] = "",
    valid_until: Form[date | None] = None,
    file: File[UploadedFile | None] = None,
):
    """Import the poverty-alleviated roster (GA23-OBJ-2) from an .xlsx or .csv file (multipart
    field ``file``). Answers 202 with the background job; follow it at ``GET /api/jobs/{id}``:
    when it has failed, ``row_errors`` lists every problem by row and column, and nothing was
    imported."""
    actor = actor_of(request)
    if upload_too_large(request):
        message = size_message()
        return Status(
            413, {"detail": message, "errors": [{"row": 0, "field": "", "message": message}]}
        )
    # a missing field is refused in the documented 400 body (``RejectedOut``), as a bad file is
    missing = {
        "file": file is None and _("Attach the roster as the multipart field 'file'."),
        "valid_from": valid_from is None and _("Give the date the categories hold from."),
    }
    errors = [{"row": 0, "field": f, "message": str(m)} for f, m in missing.items() if m]
    if errors:
        return Status(400, {"detail": errors[0]["message"], "errors": errors})
    try:
        job = services.roster_import(
            actor=actor, upload=file, source=source, valid_from=valid_from, valid_until=valid_until
        )
    except ImportRejected as exc:
        return Status(400, {"detail": str(exc), "errors": exc.as_list()})
    return Status(202, {"job_id": job.pk, "status": job.status, "url": f"/api/jobs/{job.pk}"})
