"""Pages of the supervision app: thin, they parse, call a service or selector, and render.
Everything is fetched through the scope (outside it 404, without the permission 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.files import stored_file_response
from upskill.core.forms import error_text, form_action, form_error_text, service_action
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.core.uploads import upload_json, upload_of, upload_too_large
from upskill.organisations.models import Organisation, OrganisationKind
from upskill.policy_admin.services import parameters_in_effect
from upskill.registry.selectors import phone_revealable_ids
from upskill.training.models import TrainingClass

from . import lists, selectors, services
from .forms import BlacklistForm, InspectionForm, ReviewForm, SpotCheckForm, SpotItemForm
from .models import (
    SCENES,
    Evidence,
    Inspection,
    InspectionScreenshot,
    Media,
    Sanction,
    Signal,
    SpotCheck,
    SpotCheckItem,
)


def _class(user, pk: int, perm: str = services.VIEW_EVIDENCE) -> TrainingClass:
    return get_visible_or_404(
        TrainingClass.objects.select_related(
            "organisation", "catalog_entry__occupation", "township"
        ),
        user,
        perm=perm,
        pk=pk,
    )


def _video_minimum(training_class: TrainingClass):
    version = parameters_in_effect().lookup(
        "supervision.video_min_seconds", training_class.county_code, training_class.end_date
    )
    return version.value if version is not None else None


# -- the class's supervision page and checklist -----------------------------------------------


@login_required
def class_list(request):
    """The classes whose supervision the user follows, with their inspections and evidence."""
    context = list_context(request, lists.CLASSES)
    if request.headers.get("HX-Request"):
        return render(request, "supervision/_class_rows.html", context)
    return render(request, "supervision/class_list.html", context)


@login_required
def class_page(request, pk: int):
    """Inspections, photos and videos of a class, and its compliance checklist."""
    user = request.user
    training_class = _class(user, pk)
    permissions = selectors.class_supervision_permissions(actor=user, obj=training_class)
    minimum = _video_minimum(training_class)
    items = list(selectors.evidence(actor=user, training_class=training_class))
    context = {
        "training_class": training_class,
        "compliance": selectors.class_compliance(training_class=training_class),
        "inspections": selectors.inspections(actor=user, training_class=training_class),
        "photos": [e for e in items if e.media == Media.PHOTO],
        "videos": [e for e in items if e.media == Media.VIDEO],
        "video_minimum": minimum,
        "permissions": permissions,
        "inspection_form": InspectionForm(),
        "photo_scenes": SCENES[Media.PHOTO],
        "video_scenes": SCENES[Media.VIDEO],
        "signals": (
            visible(Signal, user).filter(training_class=training_class)
            if permissions.review_signals
            else []
        ),
    }
    return render(request, "supervision/class_page.html", context)


@login_required
def compliance(request, pk: int):
    """The checklist as a fragment other pages include (hx-get, hx-trigger="load")."""
    training_class = _class(request.user, pk)
    return render(
        request,
        "supervision/_compliance.html",
        {
            "training_class": training_class,
            "compliance": selectors.class_compliance(training_class=training_class),
        },
    )


@login_required
def evidence_fragment(request, pk: int):
    training_class = _class(request.user, pk)
    items = list(selectors.evidence(actor=request.user, training_class=training_class))
    return render(
        request,
        "supervision/_evidence.html",
        {
            "training_class": training_class,
            "photos": [e for e in items if e.media == Media.PHOTO],
            "videos": [e for e in items if e.media == Media.VIDEO],
            "video_minimum": _video_minimum(training_class),
        },
    )


# -- inspections (GA23-INS-1, GA23-EXM-1) -------------------------------------------------------


@login_required
@require_POST
def inspection_record(request, pk: int):
    training_class = _class(request.user, pk, perm=services.RECORD_INSPECTION)
    form = InspectionForm(request.POST, request.FILES)
    url = reverse("supervision:class_page", kwargs={"pk": training_class.pk})
    if upload_too_large(request):
        messages.error(request, _("A screenshot was too large and was not stored."))
        return redirect(url)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(url)
    data = form.cleaned_data
    return service_action(
        request,
        lambda: services.inspection_record(
            actor=request.user,
            training_class=training_class,
            kind=data["kind"],
            mode=data["mode"],
            held_at=data["held_at"],
            findings=data["findings"],
            result=data["result"],
            screenshots=[services.Screenshot(label, f) for label, f in form.screenshots()],
        ),
        success_message=_("The inspection is recorded."),
        redirect_to=url,
    )


@login_required
def inspection_detail(request, pk: int):
    inspection = get_visible_or_404(
        Inspection.objects.select_related("training_class", "inspector"),
        request.user,
        perm=services.VIEW_INSPECTION,
        pk=pk,
    )
    return render(request, "supervision/inspection_detail.html", {"inspection": inspection})


def _file_response(request, field, download_name: str):
    """Inline, with range reads: a video seeks without being sent whole (core/files.py)."""
    return stored_file_response(request, field, download_name)


@login_required
def screenshot_file(request, pk: int):
    shot = get_visible_or_404(
        InspectionScreenshot, request.user, perm=services.VIEW_INSPECTION, pk=pk
    )
    return _file_response(request, shot.file, shot.file.name)


# -- evidence (GA23-PHO-1, GA23-VID-1) ------------------------------------------------------------


@login_required
def evidence_detail(request, pk: int):
    evidence = get_visible_or_404(
        Evidence.objects.select_related("training_class"),
        request.user,
        perm=services.VIEW_EVIDENCE,
        pk=pk,
    )
    return render(
        request,
        "supervision/evidence_detail.html",
        {"evidence": evidence, "video_minimum": _video_minimum(evidence.training_class)},
    )


@login_required
def evidence_file(request, pk: int):
    evidence = get_visible_or_404(Evidence, request.user, perm=services.VIEW_EVIDENCE, pk=pk)
    return _file_response(request, evidence.file, evidence.original_name)


def _json_error(exc: ValidationError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error_text(exc)}, status=status)


@login_required
@require_POST
def upload_start(request, pk: int):
    """Open a resumable upload (the page's script, static/supervision/upload.js); its chunks
    go to core's endpoint (``core:upload``)."""
    training_class = _class(request.user, pk, perm=services.UPLOAD_EVIDENCE)
    try:
        size = int(request.POST.get("size", "0"))
    except ValueError:
        size = 0
    try:
        session = services.upload_start(
            actor=request.user,
            training_class=training_class,
            media=request.POST.get("media", ""),
            scene=request.POST.get("scene", ""),
            specialty=request.POST.get("specialty", ""),
            caption=request.POST.get("caption", ""),
            filename=request.POST.get("filename", ""),
            size=size,
        )
    except ValidationError as exc:
        return _json_error(exc)
    return JsonResponse(upload_json(session), status=201)


@login_required
@require_POST
def upload_finish(request, pk):
    """The last step of an evidence upload: the chunks went to core's endpoint
    (``core:upload``, static/upskill/upload.js)."""
    session = upload_of(request.user, pk)
    try:
        evidence = services.upload_finish(actor=request.user, session=session)
    except services.OffsetMismatch as exc:
        return JsonResponse({"error": error_text(exc), "offset": exc.offset}, status=409)
    except ValidationError as exc:
        return _json_error(exc)
    return JsonResponse(
        {
            "evidence": evidence.pk,
            "url": reverse("supervision:evidence_detail", args=[evidence.pk]),
            "message": _("“%(name)s” is uploaded.") % {"name": evidence.original_name},
        },
        status=201,
    )


# -- fraud signals --------------------------------------------------------------------------------


@login_required
def signal_list(request):
    context = list_context(request, lists.SIGNALS)
    if request.headers.get("HX-Request"):
        return render(request, "supervision/_signal_rows.html", context)
    return render(request, "supervision/signal_list.html", context)


@login_required
@require_POST
def signal_scan(request):
    return service_action(
        request,
        lambda: services.signals_scan(actor=request.user),
        redirect_to="supervision:signal_list",
        success_message=lambda raised: _("%(n)d new signals.") % {"n": raised},
    )


@login_required
def signal_detail(request, pk: int):
    signal = get_visible_or_404(
        selectors.signals(actor=request.user), request.user, perm=services.REVIEW_SIGNAL, pk=pk
    )
    return render(
        request,
        "supervision/signal_detail.html",
        {
            "signal": signal,
            "review_form": ReviewForm(),
            "blacklist_form": BlacklistForm(),
            "permissions": selectors.signal_permissions(actor=request.user, obj=signal),
        },
    )


@login_required
@require_POST
def signal_review(request, pk: int):
    signal = get_visible_or_404(Signal, request.user, perm=services.REVIEW_SIGNAL, pk=pk)
    form = ReviewForm(request.POST)
    url = reverse("supervision:signal_detail", kwargs={"pk": pk})
    return service_action(
        request,
        lambda: services.signal_review(
            actor=request.user,
            signal=signal,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
        success_message=_("The review is recorded."),
        redirect_to=url,
        form=form,
        invalid_message=_("Choose the outcome and write a note."),
    )


@login_required
@require_POST
def signal_blacklist(request, pk: int):
    signal = get_visible_or_404(
        Signal.objects.select_related("training_class__organisation"),
        request.user,
        perm=services.ISSUE_SANCTION,
        pk=pk,
    )
    form = BlacklistForm(request.POST)
    url = reverse("supervision:signal_detail", kwargs={"pk": pk})
    return service_action(
        request,
        lambda: services.sanction_blacklist(
            actor=request.user,
            organisation=signal.training_class.organisation,
            signal=signal,
            reason=form.cleaned_data["reason"],
            valid_until=form.cleaned_data["valid_until"],
        ),
        success_message=_("The institution is blacklisted (HB45-BLK-1)."),
        redirect_to=url,
        form=form,
        invalid_message=_("Give the reason."),
    )


# -- spot checks and sanctions (GA23-SPT-1, HB45-BLK-1) -------------------------------------------


def _institutions(user):
    return visible(Organisation, user).filter(
        kind__in=(OrganisationKind.INSTITUTION, OrganisationKind.ENTERPRISE), is_active=True
    )


@login_required
def spot_check_list(request):
    require_perm(request.user, services.RECORD_SPOTCHECK)
    form = SpotCheckForm(request.POST or None, institutions=_institutions(request.user))
    if response := form_action(
        request,
        form,
        lambda data: services.spot_check_draw(actor=request.user, **data),
        redirect_to=lambda spot_check: reverse(
            "supervision:spot_check_detail", kwargs={"pk": spot_check.pk}
        ),
    ):
        return response
    context = list_context(request, lists.SPOT_CHECKS)
    if request.headers.get("HX-Request"):
        return render(request, "supervision/_spot_check_rows.html", context)
    return render(request, "supervision/spot_check_list.html", {**context, "form": form})


@login_required
def spot_check_detail(request, pk: int):
    spot_check = get_visible_or_404(
        SpotCheck.objects.select_related("organisation"),
        request.user,
        perm=services.RECORD_SPOTCHECK,
        pk=pk,
    )
    items = list(
        spot_check.items.select_related(
            "enrolment__person", "enrolment__training_class", "training_class"
        )
    )
    # a check by telephone: the inspector reveals each sampled trainee's phone (logged)
    sampled = [item.enrolment.person_id for item in items if item.enrolment_id]
    revealable = phone_revealable_ids(actor=request.user, person_ids=sampled)
    for item in items:
        item.phone_revealable = bool(item.enrolment_id) and item.enrolment.person_id in revealable
    return render(
        request,
        "supervision/spot_check_detail.html",
        {
            "spot_check": spot_check,
            "items": items,
            "item_form": SpotItemForm(),
            "sanctions": spot_check.sanctions.all(),
        },
    )


@login_required
@require_POST
def spot_check_item(request, pk: int):
    item = get_visible_or_404(SpotCheckItem, request.user, perm=services.RECORD_SPOTCHECK, pk=pk)
    form = SpotItemForm(request.POST)
    url = reverse("supervision:spot_check_detail", kwargs={"pk": item.spot_check_id})
    return service_action(
        request,
        lambda: services.spot_check_item_record(
            actor=request.user,
            item=item,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
        ),
        redirect_to=url,
        form=form,
        invalid_message="",
    )


@login_required
@require_POST
def spot_check_close(request, pk: int):
    spot_check = get_visible_or_404(SpotCheck, request.user, perm=services.RECORD_SPOTCHECK, pk=pk)

    def close() -> services.SpotCheckOutcome:
        outcome = services.spot_check_close(actor=request.user, spot_check=spot_check)
        # a violation found is a warning, not a success (GA23-SPT-1)
        if outcome.sanction is not None:
            messages.warning(request, outcome.sanction.reason_shown)
        else:
            messages.success(request, _("The spot check is closed; no violation."))
        return outcome

    return service_action(
        request,
        close,
        redirect_to=reverse("supervision:spot_check_detail", kwargs={"pk": pk}),
    )


@login_required
def institution(request, pk: int):
    """The supervision section of an institution's page: sanctions (the bureau and the
    institution itself), spot checks (the bureau), whether it is blacklisted."""
    organisation = get_visible_or_404(
        Organisation, request.user, perm=services.VIEW_SANCTION, pk=pk
    )
    user = request.user
    context = {
        "organisation": organisation,
        "sanctions": selectors.sanctions(actor=user, organisation=organisation),
        "spot_checks": (
            selectors.spot_checks(actor=user, organisation=organisation)
            if user.has_perm(services.RECORD_SPOTCHECK)
            else None
        ),
        "blocked": selectors.institution_is_blocked(organisation),
    }
    template = (
        "supervision/_institution.html"
        if request.headers.get("HX-Request")
        else "supervision/institution.html"
    )
    return render(request, template, context)


@login_required
def sanction_detail(request, pk: int):
    sanction = get_visible_or_404(
        Sanction.objects.select_related("organisation", "spot_check", "signal"),
        request.user,
        perm=services.VIEW_SANCTION,
        pk=pk,
    )
    return render(request, "supervision/sanction_detail.html", {"sanction": sanction})


def public_criticisms(request):
    """Public criticisms (通报批评) are public (GA23-SPT-1): no log-in."""
    return render(
        request,
        "supervision/public_criticisms.html",
        {"sanctions": selectors.public_criticisms()},
    )
