"""The reports upward over JSON (HB45-RPT-1, HB61 五): the generated reports a bureau's token
sees, with their as-of date, scope, who asked and whether the files are ready (the files
themselves are downloaded from the page); same scope as the pages."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404

from . import selectors
from .models import UpwardReport
from .permissions import VIEW_UPWARD

router = Router(tags=["reports"])


class UpwardReportOut(Schema):
    id: int
    kind: str
    kind_display: str
    year: int
    as_of: date
    region_code: str
    organisation: str
    created_at: datetime
    generated_at: datetime | None
    ready: bool
    job_id: int | None

    @staticmethod
    def resolve_kind_display(obj: UpwardReport) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_code(obj: UpwardReport) -> str:
        return obj.region.code

    @staticmethod
    def resolve_organisation(obj: UpwardReport) -> str:
        return obj.organisation.name


@router.get("/reports/upward", response=list[UpwardReportOut])
@paginate(PageNumberPagination)
def upward_report_list(request, kind: str = ""):
    actor = permitted_actor(request, VIEW_UPWARD)
    reports = selectors.upward_reports(actor=actor)
    return reports.filter(kind=kind) if kind else reports


@router.get("/reports/upward/{report_id}", response=UpwardReportOut)
def upward_report_detail(request, report_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        selectors.upward_reports(actor=actor), actor, perm=VIEW_UPWARD, pk=report_id
    )
