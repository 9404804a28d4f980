"""Catalogue pages: public (no log-in) for published versions, editing for administrators
(HB45-CAT-1). Thin: they parse, call a service or selector, and render."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.exports import xlsx_response
from upskill.core.forms import form_action, service_action
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, require_perm

from . import selectors, services
from .forms import CatalogForm, EntryForm, OccupationForm, PermitsForm, PlatformForm
from .models import (
    ADD_CATALOG,
    CHANGE_CATALOG,
    PUBLISH_CATALOG,
    Catalog,
    CatalogEntry,
    CatalogKind,
    Occupation,
    OccupationLevel,
    OnlinePlatform,
)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def catalog_list(request):
    """Public: the published catalogues by year and version (editors also see drafts)."""
    year = _int(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    region = selectors.catalog_page_region(actor=request.user, code=request.GET.get("region", ""))
    catalogs = selectors.catalog_list(
        actor=request.user, year=year, kind=kind, region_code=request.GET.get("region", "")
    )
    today = timezone.localdate()
    # HB45-CAT-1: the region's own catalogues not published by the deadline
    late = selectors.catalogs_late(region=region, year=year or today.year, today=today)
    years = sorted(
        set(selectors.catalogs_readable(actor=request.user).values_list("year", flat=True)),
        reverse=True,
    )
    return render(
        request,
        "catalog/catalog_list.html",
        {
            "page": paginate(request, catalogs),
            "years": years,
            "year": year,
            "kind": kind,
            "kinds": CatalogKind.choices,
            "can_add": selectors.may_add_catalog(request.user),
            "region": region,
            "regions": selectors.publishing_regions(),
            "late": late,
        },
    )


def _rows(request, catalog: Catalog) -> dict:
    """The catalogue's rows after the search and level filter of the page."""
    query = request.GET.get("q", "")
    level = _int(request.GET.get("level"))
    actor = request.user
    if catalog.kind == CatalogKind.OCCUPATIONS:
        rows = selectors.occupations_of(actor=actor, catalog=catalog, query=query, level=level)
    elif catalog.kind == CatalogKind.PROJECTS:
        rows = selectors.entries_of(actor=actor, catalog=catalog, query=query, level=level)
    elif catalog.kind == CatalogKind.INSTITUTIONS:
        rows = selectors.institutions_of(actor=actor, catalog=catalog, query=query)
    elif catalog.kind == CatalogKind.EVALUATION:
        rows = selectors.evaluation_institutions_of(actor=actor, catalog=catalog, query=query)
    else:
        rows = selectors.platforms_of(actor=actor, catalog=catalog, query=query)
    return {"page": paginate(request, rows, per_page=50), "q": query, "level": level}


def catalog_detail(request, pk: int):
    """Public for a published version; a draft is 404 except for editors."""
    catalog = selectors.catalog_get(actor=request.user, pk=pk)
    context = {
        "catalog": catalog,
        "levels": OccupationLevel.choices,
        "today": timezone.localdate(),
        "permissions": selectors.catalog_permissions(actor=request.user, obj=catalog),
        "versions": selectors.catalogs_readable(actor=request.user).filter(
            kind=catalog.kind, region=catalog.region, year=catalog.year
        ),
        **_rows(request, catalog),
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_rows.html", context)
    return render(request, "catalog/catalog_detail.html", context)


def catalog_export(request, pk: int):
    """The catalogue as an Excel file (public for a published version)."""
    catalog = selectors.catalog_get(actor=request.user, pk=pk)
    actor = request.user
    query = request.GET.get("q", "")
    level = _int(request.GET.get("level"))
    if catalog.kind == CatalogKind.OCCUPATIONS:
        header = [_("Occupation family"), _("Occupation"), _("Level"), _("Price"), _("Exam fee")]
        rows = [
            [o.category, o.name, o.get_level_display(), o.price, o.exam_fee]
            for o in selectors.occupations_of(
                actor=actor, catalog=catalog, query=query, level=level
            )
        ]
    elif catalog.kind == CatalogKind.PROJECTS:
        header = [
            _("Programme"),
            _("Occupation"),
            _("Level"),
            _("Standard class hours"),
            _("Minimum practical share"),
            _("Catalogue price"),
            _("Active"),
        ]
        # an entry's own share, else the county's parameter (looked up once for the catalogue)
        fallback = selectors.catalog_min_practical_share(catalog, date(catalog.year, 12, 31))
        rows = [
            [
                e.get_program_display(),
                e.occupation.name,
                e.occupation.get_level_display(),
                e.standard_hours,
                e.min_practical_share if e.min_practical_share is not None else fallback,
                e.occupation.price,
                _("yes") if e.is_active else _("no"),
            ]
            for e in selectors.entries_of(actor=actor, catalog=catalog, query=query, level=level)
        ]
    elif catalog.kind == CatalogKind.INSTITUTIONS:
        header = [_("Institution"), _("Occupations"), _("Valid from"), _("Valid until")]
        rows = [
            [
                d.organisation.name,
                "、".join(str(o) for o in d.occupations.all()),
                d.valid_from,
                d.valid_until,
            ]
            for d in selectors.institutions_of(actor=actor, catalog=catalog, query=query)
        ]
    elif catalog.kind == CatalogKind.EVALUATION:
        header = [_("Name"), _("Region"), _("Accreditation number"), _("Occupations")]
        rows = [
            [
                e.name,
                e.region.name,
                e.accreditation_number,
                "、".join(str(o) for o in e.occupations.all()),
            ]
            for e in selectors.evaluation_institutions_of(actor=actor, catalog=catalog, query=query)
        ]
    else:
        header = [
            _("Platform"),
            _("Operator"),
            _("Project-based training permit"),
            _("Skill assessment permit"),
            _("Vocational training permit"),
            _("Eligible today (WH20-PLT-1)"),
        ]
        today = timezone.localdate()
        rows = [
            [
                p.name,
                p.operator,
                p.project_permit,
                p.assessment_permit,
                p.training_permit,
                _("yes") if p.eligible_on(today) else "；".join(p.missing_permits(today)),
            ]
            for p in selectors.platforms_of(actor=actor, catalog=catalog, query=query)
        ]
    filename = (
        f"catalog-{catalog.region.code}-{catalog.year}-{catalog.kind}-v{catalog.version}.xlsx"
    )
    return xlsx_response(filename, str(catalog.get_kind_display()), header, rows)


# --- editing (administrators) ------------------------------------------------------------


@login_required
def catalog_create(request):
    require_perm(request.user, ADD_CATALOG)
    form = CatalogForm(request.POST or None, actor=request.user)
    return _form_page(
        request,
        form,
        lambda data: services.catalog_create(actor=request.user, **data),
        success_message=_("The draft catalogue was created."),
        redirect_to=lambda catalog: _detail_url(catalog.pk),
        context={"form": form, "title": _("New catalogue")},
    )


def _detail_url(pk: int) -> str:
    return reverse("catalog:catalog_detail", kwargs={"pk": pk})


def _form_page(request, form, action, *, context: dict, **outcome) -> HttpResponse:
    """A catalogue's form page: the form to the service and back to where ``outcome`` says
    (``core.forms.form_action``), else the form again (catalog/form.html with ``context``)."""
    if response := form_action(request, form, action, **outcome):
        return response
    return render(request, "catalog/form.html", context)


def _editable(request, pk: int) -> Catalog:
    return get_visible_or_404(Catalog, request.user, perm=CHANGE_CATALOG, pk=pk)


@login_required
def occupation_add(request, pk: int):
    catalog = _editable(request, pk)
    form = OccupationForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.occupation_set(actor=request.user, catalog=catalog, **data),
        success_message=_("Saved."),
        redirect_to=_detail_url(catalog.pk),
        context={"form": form, "catalog": catalog, "title": _("Add an occupation")},
    )


@login_required
@require_POST
def occupation_import(request, pk: int):
    """Load the occupations of WH20 attachment 2 shipped with the product (deduplicated)."""
    catalog = _editable(request, pk)
    return service_action(
        request,
        lambda: services.occupation_import(actor=request.user, catalog=catalog),
        success_message=lambda result: (
            _(
                "%(created)s occupations added, %(updated)s updated, "
                "%(duplicates)s repeated rows skipped."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "duplicates": len(result.duplicates),
            }
        ),
        redirect_to=_detail_url(catalog.pk),
    )


def _occupation_choices(catalog: Catalog):
    """Occupations of the occupation catalogue in force for the catalogue's region and year."""
    source = selectors.catalog_in_force(
        kind=CatalogKind.OCCUPATIONS, region=catalog.region, year=catalog.year
    )
    if source is None:
        return Occupation.objects.none()
    return Occupation.objects.filter(catalog=source)


@login_required
def entry_add(request, pk: int):
    catalog = _editable(request, pk)
    form = EntryForm(request.POST or None, occupations=_occupation_choices(catalog))
    return _form_page(
        request,
        form,
        lambda data: services.entry_add(actor=request.user, catalog=catalog, **data),
        success_message=_("The training project was added."),
        redirect_to=_detail_url(catalog.pk),
        context={"form": form, "catalog": catalog, "title": _("Add a training project")},
    )


@login_required
def entry_edit(request, pk: int):
    entry = get_visible_or_404(CatalogEntry, request.user, perm=CHANGE_CATALOG, pk=pk)
    form = EntryForm(
        request.POST or None,
        editing=True,
        initial={
            "standard_hours": entry.standard_hours,
            "min_practical_share": entry.min_practical_share,
            "subsidy_parameter": entry.subsidy_parameter,
        },
    )
    return _form_page(
        request,
        form,
        lambda data: services.entry_change(actor=request.user, entry=entry, **data),
        success_message=_("Saved."),
        redirect_to=_detail_url(entry.catalog_id),
        context={"form": form, "catalog": entry.catalog, "title": str(entry)},
    )


@login_required
@require_POST
def entry_toggle(request, pk: int):
    entry = get_visible_or_404(CatalogEntry, request.user, perm=CHANGE_CATALOG, pk=pk)
    return service_action(
        request,
        lambda: services.entry_set_active(
            actor=request.user, entry=entry, active=not entry.is_active
        ),
        redirect_to=_detail_url(entry.catalog_id),
    )


@login_required
def platform_add(request, pk: int):
    catalog = _editable(request, pk)
    form = PlatformForm(request.POST or None, actor=request.user)
    return _form_page(
        request,
        form,
        lambda data: services.platform_add(actor=request.user, catalog=catalog, **data),
        redirect_to=lambda platform: reverse(
            "catalog:platform_permits", kwargs={"pk": platform.pk}
        ),
        context={"form": form, "catalog": catalog, "title": _("Add an online platform")},
    )


@login_required
def platform_permits(request, pk: int):
    """The three permits of WH20-PLT-1 of a platform in a draft version."""
    platform = get_visible_or_404(OnlinePlatform, request.user, perm=CHANGE_CATALOG, pk=pk)
    initial = {field: getattr(platform, field) for field in PermitsForm.base_fields}
    form = PermitsForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.platform_permits_set(actor=request.user, platform=platform, **data),
        success_message=_("Saved."),
        redirect_to=_detail_url(platform.catalog_id),
        context={
            "form": form,
            "catalog": platform.catalog,
            "title": _("Permits of %(platform)s (WH20-PLT-1)") % {"platform": platform.name},
        },
    )


@login_required
@require_POST
def catalog_publish(request, pk: int):
    catalog = get_visible_or_404(Catalog, request.user, perm=PUBLISH_CATALOG, pk=pk)
    return service_action(
        request,
        lambda: services.catalog_publish(actor=request.user, catalog=catalog),
        success_message=_("The catalogue was published."),
        redirect_to=_detail_url(catalog.pk),
    )


@login_required
@require_POST
def catalog_new_version(request, pk: int):
    catalog = get_visible_or_404(Catalog, request.user, perm=ADD_CATALOG, pk=pk)
    return service_action(
        request,
        lambda: services.catalog_new_version(actor=request.user, catalog=catalog),
        success_message=lambda new: (
            _("Version %(version)s was created as a draft.") % {"version": new.version}
        ),
        redirect_to=lambda new: _detail_url(new.pk),
        refused_redirect_to=_detail_url(catalog.pk),
    )
