"""Pages of the assessment app: thin, they parse, call a service or selector, and render."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from upskill.core import hooks
from upskill.core.forms import (
    error_text,
    form_action,
    import_action,
    service_action,
)
from upskill.core.lists import list_context
from upskill.core.masking import mask_name
from upskill.core.scoping import get_visible_or_404, require_perm
from upskill.registry.selectors import person_detail_queryset
from upskill.registry.services import person_find_by_id_number
from upskill.training.models import TrainingClass

from . import lists, selectors, services
from .forms import (
    CertificateRecordForm,
    ExemptForm,
    PassMarkForm,
    PublicVerifyForm,
    ScoreForm,
    SessionForm,
    UploadForm,
    VerifyForm,
)
from .models import (
    Attempt,
    Certificate,
    ExamSession,
)
from .pdf import certificate_pdf as render_pdf
from .throttle import verification_throttled

# -- classes and exam sessions (GA23-CRT-1, WH20-EXM-1) -----------------------------------------


@login_required
def class_list(request):
    context = list_context(request, lists.EXAM_CLASSES)
    if request.headers.get("HX-Request"):
        return render(request, "assessment/_class_rows.html", context)
    return render(request, "assessment/class_list.html", context)


@login_required
def class_detail(request, pk: int):
    """A class's assessment: its exam sessions and every trainee's attempts, first to last."""
    training_class = get_visible_or_404(
        TrainingClass.objects.select_related("organisation", "catalog_entry__occupation"),
        request.user,
        perm=services.VIEW_SESSION,
        pk=pk,
    )
    occupation = training_class.catalog_entry.occupation
    results = selectors.class_results(training_class)
    sessions = list(training_class.exam_sessions.order_by("number"))
    return render(
        request,
        "assessment/class_detail.html",
        {
            "training_class": training_class,
            "results": results,
            "sessions": sessions,
            "marks": selectors.pass_marks_for(
                occupation.name, occupation.level, training_class.county_code
            ),
            "can": selectors.exam_class_permissions(actor=request.user, obj=training_class),
            "form": SessionForm(initial={"date": training_class.end_date}),
            "passed": sum(1 for r in results if r.passed),
        },
    )


@login_required
@require_POST
def session_create(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.ADD_SESSION, pk=pk
    )
    form = SessionForm(request.POST)
    return service_action(
        request,
        lambda: services.session_create(
            actor=request.user, training_class=training_class, **form.cleaned_data
        ),
        success_message=lambda session: (
            _("Exam session %(n)d scheduled for %(count)d trainees.")
            % {"n": session.number, "count": session.attempts.count()}
        ),
        redirect_to=lambda session: reverse("assessment:session_detail", args=[session.pk]),
        refused_redirect_to=reverse("assessment:class_detail", args=[pk]),
        form=form,
        invalid_message=_("Give the exam date, the place and the examiners."),
    )


def _sheet_context(request, session: ExamSession) -> dict:
    attempts = selectors.session_sheet(session)
    return {
        "session": session,
        "attempts": attempts,
        "counts": selectors.session_counts(attempts),
        "can": selectors.session_permissions(actor=request.user, obj=session),
    }


@login_required
def session_detail(request, pk: int):
    """The examiner's score sheet (tablet-friendly): one row per trainee, theory and practical
    scores, absences, the online theory exemption (HB61-ONL-1); then confirm the results."""
    session = get_visible_or_404(
        ExamSession.objects.select_related(
            "training_class__organisation", "training_class__catalog_entry__occupation"
        ),
        request.user,
        perm=services.VIEW_SESSION,
        pk=pk,
    )
    context = _sheet_context(request, session)
    if request.headers.get("HX-Request"):
        return render(request, "assessment/_sheet.html", context)
    context["upload_form"] = UploadForm()
    return render(request, "assessment/session_detail.html", context)


def _row(request, attempt: Attempt, error: str = "") -> HttpResponse:
    attempt = Attempt.objects.select_related("session__training_class", "enrolment__person").get(
        pk=attempt.pk
    )
    context = _sheet_context(request, attempt.session)
    context.update({"attempt": attempt, "error": error})
    return render(request, "assessment/_attempt_row.html", context)


def _attempt_action(request, attempt: Attempt, action, error: str = "") -> HttpResponse:
    """A score sheet row's button: the row again over htmx (with the refusal in it), else the
    sheet with the refusal as a message (``service_action``)."""
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
            return redirect("assessment:session_detail", pk=attempt.session_id)
        return service_action(
            request,
            action,
            redirect_to=reverse("assessment:session_detail", args=[attempt.session_id]),
        )
    if not error:
        try:
            action()
        except ValidationError as exc:
            error = error_text(exc)
    return _row(request, attempt, error)


@login_required
@require_POST
def attempt_score(request, pk: int):
    attempt = get_visible_or_404(Attempt, request.user, perm=services.ENTER_SCORES, pk=pk)
    form = ScoreForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _attempt_action(
        request,
        attempt,
        lambda: services.attempt_record(
            actor=request.user,
            attempt=attempt,
            theory_score=data.get("theory_score"),
            practical_score=data.get("practical_score"),
            theory_absent=data.get("theory_absent", False),
            practical_absent=data.get("practical_absent", False),
        ),
    )


@login_required
@require_POST
def attempt_exempt(request, pk: int):
    attempt = get_visible_or_404(Attempt, request.user, perm=services.ENTER_SCORES, pk=pk)
    form = ExemptForm(request.POST)
    valid = form.is_valid()
    return _attempt_action(
        request,
        attempt,
        lambda: services.attempt_exempt_theory(
            actor=request.user,
            attempt=attempt,
            online_score=form.cleaned_data["online_score"],
            reference=form.cleaned_data["reference"],
        ),
        error="" if valid else _("Give the online theory score and the platform's result number."),
    )


@login_required
@require_POST
def session_import(request, pk: int):
    """Upload a score sheet; it is checked and recorded as a background job (all or nothing)."""
    session = get_visible_or_404(ExamSession, request.user, perm=services.ENTER_SCORES, pk=pk)
    return import_action(
        request,
        lambda upload: services.scores_import(actor=request.user, session=session, upload=upload),
        form=UploadForm(request.POST, request.FILES),
        back_to=reverse("assessment:session_detail", args=[pk]),
        invalid_message=_("Choose the score sheet."),
    )


@login_required
@require_POST
def session_close(request, pk: int):
    session = get_visible_or_404(ExamSession, request.user, perm=services.ENTER_SCORES, pk=pk)
    return service_action(
        request,
        lambda: services.session_close(actor=request.user, session=session),
        success_message=lambda issued: (
            _("Results confirmed; %(n)d training certificates issued (GA23-CRT-1).")
            % {"n": len(issued)}
        ),
        redirect_to=lambda _issued: reverse(
            "assessment:class_detail", args=[session.training_class_id]
        ),
        refused_redirect_to=reverse("assessment:session_detail", args=[pk]),
    )


# -- pass marks (GA23-CRT-1) --------------------------------------------------------------------


@login_required
def pass_marks(request):
    require_perm(request.user, "assessment.view_passmark")
    can_set = request.user.has_perm(services.SET_PASS_MARK)
    form = PassMarkForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        require_perm(request.user, services.SET_PASS_MARK)
    if response := form_action(
        request,
        form,
        lambda data: services.pass_mark_set(actor=request.user, **data),
        success_message=_("Pass marks saved."),
        redirect_to="assessment:pass_marks",
    ):
        return response
    return render(
        request,
        "assessment/pass_marks.html",
        {"marks": selectors.pass_mark_list(actor=request.user), "form": form, "can_set": can_set},
    )


# -- certificates (HB61-CRT-1) ------------------------------------------------------------------


@login_required
def certificate_list(request):
    context = list_context(request, lists.CERTIFICATES)
    if request.headers.get("HX-Request"):
        return render(request, "assessment/_certificate_rows.html", context)
    return render(request, "assessment/certificate_list.html", context)


@login_required
def certificate_record(request):
    """Record a certificate issued elsewhere by an accredited body, for the bureau to verify."""
    require_perm(request.user, services.ADD_CERTIFICATE)
    form = CertificateRecordForm(request.POST or None)

    def record(data: dict) -> Certificate:
        data = dict(data)
        person = person_find_by_id_number(actor=request.user, id_number=data.pop("id_number"))
        if person is None:
            raise ValidationError({"id_number": _("No person is registered with this ID number.")})
        return services.certificate_record(actor=request.user, person=person, **data)

    if response := form_action(
        request,
        form,
        record,
        success_message=_("Recorded; it counts once the bureau verifies it."),
        redirect_to=lambda certificate: reverse(
            "assessment:certificate_detail", args=[certificate.pk]
        ),
    ):
        return response
    return render(request, "assessment/certificate_form.html", {"form": form})


@login_required
def certificate_detail(request, pk: int):
    certificate = get_visible_or_404(
        Certificate.objects.select_related("person", "training_class", "verified_by"),
        request.user,
        perm=services.VIEW_CERTIFICATE,
        pk=pk,
    )
    return render(
        request,
        "assessment/certificate_detail.html",
        {
            "certificate": certificate,
            "can": selectors.certificate_permissions(actor=request.user, obj=certificate),
            "verify_form": VerifyForm(),
            "verify_url": request.build_absolute_uri(certificate.verification_path),
        },
    )


@login_required
@require_POST
def certificate_verify(request, pk: int):
    certificate = get_visible_or_404(
        Certificate, request.user, perm=services.VERIFY_CERTIFICATE, pk=pk
    )
    form = VerifyForm(request.POST)
    form.is_valid()
    return service_action(
        request,
        lambda: services.certificate_verify(
            actor=request.user,
            certificate=certificate,
            verified=request.POST.get("verified") == "1",
            note=form.cleaned_data.get("note", ""),
        ),
        success_message=_("Verification recorded."),
        redirect_to=reverse("assessment:certificate_detail", kwargs={"pk": pk}),
    )


@login_required
@csp_exempt()  # Chrome shows a PDF in a page it makes itself, which this policy would break
def certificate_pdf(request, pk: int):
    """The certificate as a PDF with an embedded Chinese font and the verification QR code."""
    certificate = get_visible_or_404(
        Certificate, request.user, perm=services.VIEW_CERTIFICATE, pk=pk
    )
    data = render_pdf(certificate, request.build_absolute_uri(certificate.verification_path))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.serial}.pdf"'
    return response


# -- the public verification page (HB61-CRT-1) ------------------------------------------------


@never_cache
def verify(request, serial: str | None = None):
    """Public, no log-in: confirm a certificate by its number and verification code (the QR
    code carries both); only masked personal data is shown. An unknown number or a wrong code
    is simply "not found"."""
    form = PublicVerifyForm(
        request.GET
        if "serial" in request.GET
        else ({"serial": serial, "code": request.GET.get("code", "")} if serial else None)
    )
    context = {"form": form, "asked": form.is_bound}
    if form.is_bound:
        if verification_throttled(request):
            return render(
                request, "assessment/verify.html", {**context, "throttled": True}, status=429
            )
        certificate = None
        if form.is_valid():
            certificate = selectors.certificate_for_public(
                form.cleaned_data["serial"], form.cleaned_data["code"]
            )
        context["certificate"] = certificate
        if certificate is not None:
            context["masked_name"] = mask_name(certificate.holder_name)
        else:
            return render(request, "assessment/verify.html", context, status=404)
    return render(request, "assessment/verify.html", context)


# -- the worker's archive (HB45-QA-1) -----------------------------------------------------------


@login_required
def person_archive(request, pk: int):
    """One page per person: the lifelong timeline of trainings, attendance, assessments,
    certificates, employment outcomes (and the sections later apps add through the
    ``person.archive_sections`` hook)."""
    person = get_visible_or_404(
        person_detail_queryset(actor=request.user),
        request.user,
        perm=services.VIEW_ARCHIVE,
        pk=pk,
    )
    sections = sorted(
        (
            section
            for found in hooks.call(
                hooks.PERSON_ARCHIVE_SECTIONS, person=person, actor=request.user
            )
            for section in found
        ),
        key=lambda s: s.order,
    )
    timeline = sorted(
        (event for section in sections for event in section.events), key=lambda e: e.on
    )
    return render(
        request,
        "assessment/archive.html",
        {"person": person, "sections": sections, "timeline": timeline},
    )
