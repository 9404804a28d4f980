"""The registry over JSON: for the rural revitalisation bureau, banks and the province."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from upskill.core.api import ErrorOut, JobRef, RejectedOut, actor_of, permitted_actor
from upskill.core.imports import ImportRejected, size_message
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, visible
from upskill.core.throttle import lookup_throttled, throttled_message
from upskill.core.uploads import upload_too_large
from upskill.organisations.models import Region, RegionLevel

from . import selectors, services
from .models import BankAccountChangeRequest, Category, Person

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
    phone_masked: str  # 138****1960; the full number: POST /persons/{id}/reveal-phone
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


class LookupOut(Schema):
    """All a look-up by ID number tells, to every caller: registered or not, the name masked."""

    registered: bool
    name_masked: str | None


class ThrottledOut(Schema):
    detail: str


class RevealOut(Schema):
    id_number: str


class PhoneRevealOut(Schema):
    phone: str


class PersonCategoryIn(Schema):
    category: str
    source: str
    valid_from: date
    valid_until: date | None = None


def _township(code: str | None) -> Region | None:
    """Regions are public reference data: any caller may name a township by its code."""
    if not code:
        return None
    township = (
        Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP)
        .select_related("parent")
        .first()
    )
    if township is None:
        raise ValidationError({"township_code": f"No township has the code {code}."})
    return township


@router.get("/categories", response=list[CategoryOut])
def category_list(request):
    return visible(Category, actor_of(request)).filter(is_active=True)


@router.get("/persons", response=list[PersonOut])
@paginate(PageNumberPagination)
def person_list(request, q: str = ""):
    actor = permitted_actor(request, "registry.view_person")
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


@router.post(
    "/persons/lookup", response={200: LookupOut, 400: ErrorOut, 403: ErrorOut, 429: ThrottledOut}
)
def person_lookup(request, payload: LookupIn):
    """Is this full ID number registered? Answers ``registered`` and the name masked as 刘*,
    nothing else, to every caller (bureaus included); every look-up is in the access log.
    Limited per token or user (``UPSKILL_LOOKUP_RATE``, default 30 a minute): past it, 429
    with ``Retry-After``. To see a person, enrol them in a class (or, for an enterprise, record
    their labour contract)."""
    actor = permitted_actor(request, "registry.view_person")
    wait = lookup_throttled(actor)
    if wait:
        response = JsonResponse({"detail": throttled_message(wait)}, status=429)
        response["Retry-After"] = str(wait)
        return response
    result = services.person_lookup(
        actor=actor, id_number=payload.id_number, remote_addr=request.META.get("REMOTE_ADDR")
    )
    return {"registered": result.registered, "name_masked": result.name_masked}


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


@router.post("/persons/{person_id}/reveal-phone", response=PhoneRevealOut)
def person_reveal_phone(request, person_id: int):
    """The full phone number, for the roles whose work is calling the person (an HR service
    centre its referrals, an inspector its county's persons, a township centre its residents,
    an institution its enrolled trainees); written to the access log."""
    actor = actor_of(request)
    person = get_visible_or_404(Person, actor, pk=person_id)
    return {
        "phone": services.person_reveal_phone(
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


class BankAccountIn(Schema):
    kind: str
    account_name: str
    account_number: str
    bank_name: str
    branch_code: str = ""
    exception_reason: str = ""


class BankAccountChangeOut(Schema):
    id: int
    person_id: int
    kind: str
    account_name: str
    account_number_masked: str
    bank_name: str
    branch_code: str
    warning: str
    status: str
    needs_exception: bool
    exception_reason: str
    exception_decided_at: datetime | None
    needs_confirmation: bool
    confirmed_at: datetime | None
    decision_reason: str
    requested_at: datetime
    account_id: int | None


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


@router.post("/persons/{person_id}/bank-account", response={201: BankAccountChangeOut})
def bank_account_set(request, person_id: int, payload: BankAccountIn):
    """Record or change the person's allowance account. The change is in use at once
    (``status`` ``applied``) only when the holder is the person and the person has no approved,
    unpaid money; otherwise it waits (``pending``) for the bureau."""
    actor = actor_of(request)
    person = get_visible_or_404(Person, actor, pk=person_id)
    result = services.bank_account_set(actor=actor, person=person, **payload.dict())
    return Status(201, result.change)


@router.get("/bank-account-changes", response=list[BankAccountChangeOut])
@paginate(PageNumberPagination)
def bank_account_change_list(request, person_id: int | None = None):
    """The waiting changes in scope; with ``person_id``, every change of that person."""
    actor = permitted_actor(request, "registry.view_bankaccountchangerequest")
    person = get_visible_or_404(Person, actor, pk=person_id) if person_id is not None else None
    return selectors.bank_account_changes(actor=actor, person=person, pending_only=person is None)


@router.get("/bank-account-changes/{change_id}", response=BankAccountChangeOut)
def bank_account_change_detail(request, change_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        BankAccountChangeRequest,
        actor,
        perm="registry.view_bankaccountchangerequest",
        pk=change_id,
    )


@router.post("/bank-account-changes/{change_id}/confirm", response=BankAccountChangeOut)
def bank_account_change_confirm(request, change_id: int, payload: DecisionIn):
    """The payment clerk confirms or rejects (with the reason); never the one who asked."""
    actor = actor_of(request)
    change = get_visible_or_404(BankAccountChangeRequest, actor, pk=change_id)
    return services.bank_account_change_confirm(
        actor=actor, change=change, approve=payload.approve, reason=payload.reason
    )


@router.post("/bank-account-changes/{change_id}/exception", response=BankAccountChangeOut)
def bank_account_exception_decide(request, change_id: int, payload: DecisionIn):
    """The reviewer approves or refuses an account held by someone else, with the reason."""
    actor = actor_of(request)
    change = get_visible_or_404(BankAccountChangeRequest, actor, pk=change_id)
    return services.bank_account_exception_decide(
        actor=actor, change=change, approve=payload.approve, reason=payload.reason
    )
