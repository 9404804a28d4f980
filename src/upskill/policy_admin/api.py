"""The calculator's HTTP door and the parameter versions, over JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse, JsonResponse
from ninja import Router, Schema, Status

from upskill import policy
from upskill.core.api import actor_of
from upskill.core.scoping import visible

from . import selectors, services
from .models import ParameterVersion

router = Router(tags=["policy"])

_EVALUATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["records"],
                    "properties": {
                        "records": {
                            "type": "array",
                            "items": {"type": "object", "additionalProperties": True},
                        }
                    },
                },
                "example": {
                    "records": [
                        {
                            "id": "1",
                            "person_id": "421022197503080017",
                            "region": "421022",
                            "date": "2023-06-30",
                            "program": "poverty",
                            "categories": ["poverty_alleviated", "rural"],
                            "passed": True,
                            "total_hours": 60,
                            "practical_hours": 36,
                            "attended_hours": 60,
                        }
                    ]
                },
            }
        },
    }
}


@router.post(
    "/policy/evaluate",
    summary="Evaluate training records under the policy in force (docs/calculator.md)",
    description=(
        "Training records in, subsidy items out. Pure: uses only the records sent and the "
        "parameters in force. `?lang=en` for English explanations. A malformed top level "
        "answers 400 with the reason; a malformed record comes back `invalid`."
    ),
    openapi_extra=_EVALUATE_BODY,
)
def evaluate(request, lang: str = "zh"):
    try:
        body = policy.evaluate_json(
            request.body,
            lang="en" if lang == "en" else "zh",
            params=selectors.parameters_in_effect(),
        )
    except policy.PayloadError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    return HttpResponse(body, content_type="application/json")


class ParameterInForce(Schema):
    name: str
    description: str
    value: Any
    region: str
    valid_from: date | None
    valid_until: date | None
    reference: dict


@router.get(
    "/policy/parameters",
    response=list[ParameterInForce],
    summary="Every parameter in force for a region on a date",
)
def parameters(request, region: str, on: date, lang: str = "zh"):
    return selectors.parameter_rows(region, on, lang="en" if lang == "en" else "zh")


class VersionOut(Schema):
    id: int
    parameter: str
    region_code: str
    valid_from: date
    valid_until: date | None
    value: Any
    document: str
    clause: str
    rule: str
    withdrawn_at: Any = None


class VersionIn(Schema):
    parameter: str
    region_code: str
    valid_from: date
    valid_until: date | None = None
    value: Any
    document: str
    clause: str = ""
    rule: str
    note: str = ""


@router.get("/policy/versions", response=list[VersionOut])
def version_list(request):
    return visible(ParameterVersion, actor_of(request))


@router.post("/policy/versions", response={201: VersionOut})
def version_add(request, payload: VersionIn):
    version = services.parameter_version_add(actor=actor_of(request), **payload.dict())
    return Status(201, version)
