"""Pages of the reports app: targets and their split (GA23-TGT-1, HB45-TGT-1) and the progress
dashboards. Thin: they parse, call a selector or service, and render. The dashboards only read
aggregates, so they read from the replica when one is configured (core/routers.py)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.core.exports import xlsx_response_logged
from upskill.core.forms import form_action
from upskill.core.pagination import paginate
from upskill.core.routers import reads_from_replica
from upskill.core.scoping import get_visible_or_404, require_perm
from upskill.core.stored_text import stored_text

from . import selectors, services
from .forms import DashboardFilter, SplitForm, UpwardForm
from .models import SplitStatus, TargetLine


def _filters(request) -> dict:
    form = DashboardFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "year": data.get("year") or selectors.default_year(actor=request.user),
        "line": data.get("line") or TargetLine.TOTAL,
        "as_of": data.get("as_of"),
    }


@login_required
@reads_from_replica
def dashboard(request):
    """Trainings started, completed, certified, employed and paid against target per programme,
    region, institution and month, in the user's scope (GA23-TGT-1)."""
    require_perm(request.user, services.VIEW_DASHBOARD)
    filters = _filters(request)
    board = selectors.dashboard(actor=request.user, **filters)
    charts = {dimension: board.chart(dimension) for dimension in selectors.DIMENSIONS}
    titles = selectors.dimension_titles()
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "charts": charts,
            "sections": [
                (dimension, titles[dimension], board.rows[dimension])
                for dimension in selectors.DIMENSIONS
            ],
            "measure_labels": selectors.measure_labels(),
            "lines": TargetLine.choices,
            "years": selectors.years(actor=request.user),
            "records_url": reverse("reports:records"),
        },
    )


@login_required
@reads_from_replica
def records(request):
    """The records behind one bar of the dashboard."""
    require_perm(request.user, services.VIEW_DASHBOARD)
    filters = _filters(request)
    measure = request.GET.get("measure", "completed")
    dimension = request.GET.get("dimension", "")
    key = request.GET.get("key", "")
    qs = selectors.records_behind_paged(
        actor=request.user, measure=measure, dimension=dimension, key=key, **filters
    )
    return render(
        request,
        "reports/records.html",
        {
            "page": paginate(request, qs),
            # the filter in words: a programme's name, never its code
            "measure": selectors.measure_labels().get(measure, ""),
            "dimension": selectors.dimension_titles().get(dimension, ""),
            "key": selectors.key_label(dimension, key),
            **filters,
        },
    )


@login_required
@reads_from_replica
def targets(request):
    """The targets the user sees with what counts against them (GA23-TGT-1, HB45-TGT-1)."""
    require_perm(request.user, services.VIEW_TARGET)
    split = request.GET.get("split", "")
    found = (
        selectors.splits_in_draft(actor=request.user)
        if split == SplitStatus.DRAFT
        else selectors.targets(actor=request.user)
    )
    views = [selectors.target_view(actor=request.user, target=target) for target in found]
    return render(request, "reports/targets.html", {"views": views, "split": split})


@login_required
def target_detail(request, pk: int):
    """A target, its split and, for the bureau that set it, the split form: saved as a draft
    whatever it adds up to, confirmed only when it adds up (GA23-TGT-1)."""
    target = get_visible_or_404(
        selectors.targets(actor=request.user), request.user, perm=services.VIEW_TARGET, pk=pk
    )
    can = selectors.target_permissions(actor=request.user, obj=target)
    form = None
    if can.split:
        form = SplitForm(request.POST or None, rows=selectors.split_form_rows(target=target))
        if request.method == "POST":
            confirm = "confirm" in request.POST
            if response := form_action(
                request,
                form,
                lambda _data: services.target_split_save(
                    actor=request.user, target=target, shares=form.shares(), confirm=confirm
                ),
                redirect_to=reverse("reports:target_detail", kwargs={"pk": target.pk}),
                success_message=_("The split is confirmed.")
                if confirm
                else _("The split is saved as a draft."),
            ):
                return response
    elif request.method == "POST":
        require_perm(request.user, services.SPLIT_TARGET)
        raise PermissionDenied(_("Only the bureau that set the target splits it."))
    return render(
        request,
        "reports/target_detail.html",
        {
            "view": selectors.target_view(actor=request.user, target=target),
            "can": can,
            "form": form,
        },
    )


@login_required
@reads_from_replica
def evaluation(request):
    """The townships' year-end evaluation (GA23-EVAL-1), ranked, the bottom three flagged."""
    require_perm(request.user, services.VIEW_DASHBOARD)
    filters = _filters(request)
    result = selectors.township_evaluation(
        actor=request.user, year=filters["year"], as_of=filters["as_of"]
    )
    return render(
        request,
        "reports/evaluation.html",
        {"evaluation": result, "years": selectors.years(actor=request.user)},
    )


@login_required
@reads_from_replica
def statistics_export(request):
    """The flat statistics export: one row per training record in the user's scope, columns
    documented in docs/reports.md (HB45-QA-1 statistics; no person identity). Logged."""
    require_perm(request.user, services.VIEW_DASHBOARD)
    filters = _filters(request)
    header = [
        _("County"),
        _("Township"),
        _("Organiser"),
        _("Programme"),
        _("Occupation"),
        _("Level"),
        _("Start date"),
        _("End date"),
        _("Class status"),
        _("Record status"),
        _("Certificate"),
        _("Approved (yuan)"),
        _("Paid (yuan)"),
    ]
    rows = [
        [
            e.training_class.township.parent.name if e.training_class.township.parent else "",
            e.training_class.township.name,
            e.training_class.organisation.name,
            e.training_class.catalog_entry.get_program_display(),
            e.training_class.catalog_entry.occupation.name,
            e.training_class.catalog_entry.occupation.level,
            e.training_class.start_date,
            e.training_class.end_date,
            e.training_class.get_status_display(),
            e.get_status_display(),
            e.certificate_serial or "",
            e.approved if e.approved is not None else Decimal("0.00"),
            e.paid if e.paid is not None else Decimal("0.00"),
        ]
        for e in selectors.statistics_rows(
            actor=request.user, year=filters["year"], as_of=filters["as_of"]
        )
    ]
    return xlsx_response_logged(
        request,
        description=stored_text(
            gettext_lazy("Training statistics export %(year)s"), year=filters["year"]
        ),
        name=f"statistics-{filters['year']}",
        sheet_title=_("Training records"),
        header=header,
        rows=rows,
    )


@login_required
def upward_reports(request):
    """The reports upward of the bureau's jurisdiction (HB45-RPT-1: plan, half-year progress,
    year-end summary; HB61 五: the reimbursement request), each kept with its as-of date, its
    scope and who asked, downloadable again; the form starts a new one as a background job."""
    require_perm(request.user, services.VIEW_UPWARD)
    may_generate = selectors.may_generate_upward(actor=request.user)
    form = None
    if may_generate:
        form = UpwardForm(
            request.POST or None, initial={"year": selectors.default_year(actor=request.user)}
        )
        if request.method == "POST" and (
            response := form_action(
                request,
                form,
                lambda data: services.upward_report_request(
                    actor=request.user, kind=data["kind"], year=data["year"], as_of=data["as_of"]
                ),
                redirect_to=lambda report: reverse("core:job_detail", args=[report.job_id]),
            )
        ):
            return response
    elif request.method == "POST":
        require_perm(request.user, services.ADD_UPWARD)
        raise PermissionDenied(_("A bureau generates the reports of its own jurisdiction."))
    return render(
        request,
        "reports/upward.html",
        {"page": paginate(request, selectors.upward_reports(actor=request.user)), "form": form},
    )


@login_required
def upward_download(request, pk: int, fmt: str):
    """A generated report's Excel or PDF file, again (logged)."""
    report = get_visible_or_404(
        selectors.upward_reports(actor=request.user),
        request.user,
        perm=services.VIEW_UPWARD,
        pk=pk,
    )
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    try:
        handle, name = services.upward_report_file(actor=request.user, report=report, fmt=fmt)
    except ValidationError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name)


def _institution_items() -> list[tuple[str, str, str]]:
    """The items of the institution evaluation: key, rule id, name (GA23 六(三))."""
    names = {
        "completion": _("Completion of its share"),
        "pass_rate": _("Pass rate"),
        "employment": _("Employment conversion"),
        "spot_checks": _("Spot checks passed"),
        "compliance": _("Classes fully inspected"),
        "sanctions": _("Sanctions"),
        "objections": _("Objections upheld"),
    }
    return [
        (item, rule, names[item])
        for item, rule, _parameter in selectors.INSTITUTION_RATE_ITEMS
        + selectors.INSTITUTION_PENALTY_ITEMS
    ]


@login_required
@reads_from_replica
def institution_evaluation(request):
    """The designated institutions' performance evaluation (GA23 六(三)), ranked: the county
    bureau sees every institution of the county, an institution its own row and rank."""
    require_perm(request.user, services.VIEW_DASHBOARD)
    filters = _filters(request)
    result = selectors.institution_evaluation(
        actor=request.user, year=filters["year"], as_of=filters["as_of"]
    )
    return render(
        request,
        "reports/institution_evaluation.html",
        {
            "evaluation": result,
            "items": [
                (item, rule, name, result.weights.get(item))
                for item, rule, name in _institution_items()
            ],
            "years": selectors.years(actor=request.user),
        },
    )


@login_required
@reads_from_replica
def institution_evaluation_export(request):
    """The institution evaluation as Excel: the rows the user sees, each item's figures and
    rate, the score and the rank, the weights in the header (GA23 六(三)). Logged."""
    require_perm(request.user, services.VIEW_DASHBOARD)
    filters = _filters(request)
    result = selectors.institution_evaluation(
        actor=request.user, year=filters["year"], as_of=filters["as_of"]
    )

    def weight(item: str) -> str:
        value = result.weights.get(item)
        return "—" if value is None else str(value)

    header = [
        _("Rank"),
        _("Institution"),
        _("GA23-TGT-1 completed / share (weight %(w)s)") % {"w": weight("completion")},
        _("Completion (%)"),
        _("GA23-CRT-1 passed / examined (weight %(w)s)") % {"w": weight("pass_rate")},
        _("Pass rate (%)"),
        _("GA23-EMP-1 employed / certified (weight %(w)s)") % {"w": weight("employment")},
        _("Employment conversion (%)"),
        _("GA23-SPT-1 failed / sampled (weight %(w)s)") % {"w": weight("spot_checks")},
        _("Spot checks passed (%)"),
        _("GA23-INS-1 fully inspected / finished classes (weight %(w)s)")
        % {"w": weight("compliance")},
        _("Compliance (%)"),
        _("GA23-SPT-1 sanctions (points each %(w)s)") % {"w": weight("sanctions")},
        _("HB45-PUB-1 objections upheld (points each %(w)s)") % {"w": weight("objections")},
        _("Score"),
    ]
    rows = [
        [
            row.rank,
            row.organisation.name,
            f"{row.completed} / {row.share if row.share is not None else '—'}",
            row.rates["completion"],
            f"{row.passed} / {row.examined}",
            row.rates["pass_rate"],
            f"{row.employed} / {row.certified}",
            row.rates["employment"],
            f"{row.failed} / {row.sampled}",
            row.rates["spot_checks"],
            f"{row.compliant_classes} / {row.classes}",
            row.rates["compliance"],
            row.sanctions,
            row.objections,
            row.score,
        ]
        for row in result.rows
    ]
    return xlsx_response_logged(
        request,
        description=stored_text(
            gettext_lazy("Institution evaluation export %(year)s"), year=filters["year"]
        ),
        name=f"institution-evaluation-{filters['year']}",
        sheet_title=_("Institution evaluation"),
        header=header,
        rows=rows,
    )
