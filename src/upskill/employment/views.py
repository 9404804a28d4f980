"""Pages of the employment app (GA23-EMP-1): thin, they parse, call a service or selector, and
render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import form_action, import_action, service_action
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm
from upskill.registry.selectors import phone_revealable_ids

from . import lists, selectors, services
from .forms import FollowUpForm, RecommendForm, UploadForm, VacancyForm, WishesForm
from .models import Referral, Vacancy


@login_required
def queue(request):
    """The county HR service centre's queue of certified trainees (GA23-EMP-1)."""
    context = list_context(request, lists.QUEUE)
    if request.headers.get("HX-Request"):
        return render(request, "employment/_queue_rows.html", context)
    return render(request, "employment/queue.html", context)


def _detail_context(request, referral: Referral, **forms) -> dict:
    can = selectors.referral_permissions(actor=request.user, obj=referral)
    county = referral.county.code
    context = {
        "referral": referral,
        "can": can,
        "wishes_form": forms.get("wishes_form")
        or WishesForm(
            county_code=county,
            initial={
                "job_type": referral.wished_job_type,
                "township": referral.wished_township_id,
                "wage": referral.wished_wage,
                "note": referral.wishes_note,
            },
        ),
        "follow_form": forms.get("follow_form") or FollowUpForm(),
        "recommended": {r.vacancy_id for r in referral.recommendations.all()},
        # the counsellor calls the person: the full phone one logged click away
        "can_reveal_phone": referral.person_id
        in phone_revealable_ids(actor=request.user, person_ids=[referral.person_id]),
    }
    if can.see_vacancies:
        context["vacancies"] = selectors.matching_vacancies(actor=request.user, referral=referral)[
            :10
        ]
    return context


def _detail_url(pk: int) -> str:
    return reverse("employment:referral_detail", kwargs={"pk": pk})


def _referral(request, pk: int) -> Referral:
    return get_visible_or_404(
        selectors.referral_detail_queryset(actor=request.user),
        request.user,
        perm=services.VIEW_REFERRAL,
        pk=pk,
    )


@login_required
def referral_detail(request, pk: int):
    referral = _referral(request, pk)
    return render(request, "employment/referral_detail.html", _detail_context(request, referral))


@login_required
@require_POST
def referral_wishes(request, pk: int):
    referral = get_visible_or_404(Referral, request.user, perm=services.CHANGE_REFERRAL, pk=pk)
    form = WishesForm(request.POST, county_code=referral.county.code)
    if response := form_action(
        request,
        form,
        lambda data: services.referral_wishes_set(actor=request.user, referral=referral, **data),
        success_message=_("Wishes saved."),
        redirect_to=_detail_url(pk),
    ):
        return response
    return render(
        request,
        "employment/referral_detail.html",
        _detail_context(request, _referral(request, pk), wishes_form=form),
    )


@login_required
@require_POST
def recommend(request, pk: int):
    referral = get_visible_or_404(Referral, request.user, perm=services.CHANGE_REFERRAL, pk=pk)
    form = RecommendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vacancy."))
        return redirect("employment:referral_detail", pk=pk)
    vacancy = get_visible_or_404(Vacancy, request.user, pk=form.cleaned_data["vacancy"])
    return service_action(
        request,
        lambda: services.recommendation_create(
            actor=request.user, referral=referral, vacancy=vacancy, note=form.cleaned_data["note"]
        ),
        success_message=lambda added: _("Recommended: %(v)s") % {"v": vacancy},
        redirect_to=_detail_url(pk),
    )


@login_required
@require_POST
def follow_up(request, pk: int):
    referral = get_visible_or_404(Referral, request.user, perm=services.ADD_FOLLOW_UP, pk=pk)
    form = FollowUpForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.follow_up_record(actor=request.user, referral=referral, **data),
        success_message=_("Follow-up recorded."),
        redirect_to=_detail_url(pk),
    ):
        return response
    return render(
        request,
        "employment/referral_detail.html",
        _detail_context(request, _referral(request, pk), follow_form=form),
    )


# -- vacancies ----------------------------------------------------------------------------------


@login_required
def vacancies(request):
    """The centre's vacancy list; a new opening is added here or imported from a spreadsheet."""
    require_perm(request.user, services.VIEW_VACANCY)
    organisation = getattr(request.user, "organisation", None)
    county = organisation.county_code if organisation is not None else ""
    form = VacancyForm(request.POST or None, county_code=county)
    if request.method == "POST":
        require_perm(request.user, services.ADD_VACANCY)
        if response := form_action(
            request,
            form,
            lambda data: services.vacancy_create(actor=request.user, **data),
            success_message=_("Vacancy added."),
            redirect_to="employment:vacancies",
        ):
            return response
    context = list_context(request, lists.VACANCIES)
    context["can"] = selectors.vacancy_permissions(actor=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "employment/_vacancy_rows.html", context)
    return render(
        request,
        "employment/vacancies.html",
        {
            **context,
            "form": form,
            "upload_form": UploadForm(),
            "can": selectors.vacancy_permissions(actor=request.user),
        },
    )


@login_required
@require_POST
def vacancies_import(request):
    require_perm(request.user, services.ADD_VACANCY)
    return import_action(
        request,
        lambda upload: services.vacancies_import(actor=request.user, upload=upload),
        form=UploadForm(request.POST, request.FILES),
        back_to=reverse("employment:vacancies"),
        invalid_message=_("Choose the vacancy list."),
    )


@login_required
@require_POST
def vacancy_close(request, pk: int):
    vacancy = get_visible_or_404(Vacancy, request.user, perm=services.CHANGE_VACANCY, pk=pk)
    return service_action(
        request,
        lambda: services.vacancy_close(actor=request.user, vacancy=vacancy),
        success_message=_("Vacancy closed."),
        redirect_to="employment:vacancies",
    )


# -- conversion rates ---------------------------------------------------------------------------


@login_required
def rates(request):
    """The employment conversion rate per class, institution and occupation (GA23-EMP-1)."""
    require_perm(request.user, services.VIEW_REFERRAL)
    return render(
        request, "employment/rates.html", {"rates": selectors.conversion_rates(actor=request.user)}
    )
