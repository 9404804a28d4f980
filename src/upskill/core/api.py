"""What every app's API shares: session authentication and error shapes (the partner token's
authentication is the organisations', ``organisations.auth.TokenAuth``)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI, Router, Schema
from ninja.security import APIKeyHeader, SessionAuth

from .jobs import ROW_ERRORS_PAGE_SIZE, job_check_stale, row_errors_page
from .models import Job
from .scoping import Actor, get_visible_or_404, require_perm


class ActiveSessionAuth(SessionAuth):
    """A logged-in user's session (with CSRF on writes), for htmx and the browsable docs."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class ErrorOut(Schema):
    detail: str | dict | list


def actor_of(request):
    """The user or token acting in an API request."""
    return request.auth


def permitted_actor(request, perm: str) -> Actor:
    """The user or token acting in an API request, refused (403) unless it holds ``perm``:
    how every endpoint that reads a list or writes starts."""
    actor = actor_of(request)
    require_perm(actor, perm)
    return actor


# The error answers every operation can give, written into the OpenAPI document from what the
# operation is, so the document cannot drift from the code (schemathesis checks it in the suite):
# no credentials → 401; a permission missing → 403; an object outside the scope or absent → 404;
# an id (in the path, query or body) naming nothing visible → 404;
# a parameter or body of the wrong shape → 422 (ninja's validation); a service refusing the
# values (``ValidationError``) → 400. Codes an operation declares itself are kept as declared.
ERROR_SCHEMA_NAME = "ErrorOut"
ERROR_SCHEMA = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array", "items": {}}],
        }
    },
    "required": ["detail"],
}
_ERROR_DESCRIPTIONS = {
    400: "The values were refused (a message per field, or `__all__`)",
    401: "No valid partner token or session",
    403: "Inside the organisation's scope, without the permission",
    404: "Absent, or outside the organisation's scope",
    422: "A parameter or the body does not match this document",
}


def error_codes(method: str, operation: dict) -> list[int]:
    """The error statuses ``operation`` can answer, by the rules above."""
    parameters = operation.get("parameters", [])
    takes_input = bool(parameters) or "requestBody" in operation
    codes = []
    if takes_input or method != "get":
        codes.append(400)
    if operation.get("security"):
        codes += [401, 403]
    if takes_input:  # an id in the path, the query or the body may name no visible object
        codes += [404, 422]
    return codes


def document_errors(schema: dict) -> dict:
    """Add the error answers of ``error_codes`` to every operation of an OpenAPI document."""
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            declared = {str(code) for code in responses}  # ninja keys them by int
            for code in error_codes(method, operation):
                if str(code) in declared:
                    continue
                responses[code] = {
                    "description": _ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": ref}},
                }
    return schema


class DocumentedAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document also states the error answers (``document_errors``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, {"detail": "You do not have permission for this action."}, status=403
        )

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, {"detail": detail}, status=400)


__all__ = [
    "APIKeyHeader",
    "ActiveSessionAuth",
    "DocumentedAPI",
    "ErrorOut",
    "actor_of",
]


# --- background jobs ------------------------------------------------------------------------

router = Router(tags=["jobs"])


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class JobRef(Schema):
    """The answer to a write queued as a background job (an import): follow ``url``."""

    job_id: int
    status: str
    url: str


class RejectedOut(Schema):
    """A file refused before any row is read (not a spreadsheet, too large)."""

    detail: str
    errors: list[dict]


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    result: dict | list | None
    error: str
    row_errors: list[RowErrorOut]
    row_errors_total: int
    row_errors_kept: int
    page: int
    pages: int
    page_size: int
    created_at: datetime
    finished_at: datetime | None


@router.get("/jobs/{job_id}", response=JobOut)
def job_detail(request, job_id: int, page: int = 1):
    """A background job: progress while it runs; its result, or the row-by-row report of a
    refused import, a page at a time (``row_errors``: row as the spreadsheet shows it, column,
    problem; ``?page=``, ``page_size`` problems a page, ``pages`` pages).
    ``row_errors_total`` counts every problem found; ``row_errors_kept`` how many were kept
    (the first UPSKILL_IMPORT_MAX_PROBLEMS). ``result.errors`` holds the same page."""
    job = job_check_stale(get_visible_or_404(Job, actor_of(request), pk=job_id))
    problems = row_errors_page(job, page)
    result = job.result
    if isinstance(result, dict) and "errors" in result:
        # never the whole stored report in one answer
        result = {**result, "errors": list(problems)}
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "result": result,
        "error": job.error,
        "row_errors": list(problems),
        "row_errors_total": job.row_errors_total,
        "row_errors_kept": problems.paginator.count,
        "page": problems.number,
        "pages": problems.paginator.num_pages,
        "page_size": ROW_ERRORS_PAGE_SIZE,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
