"""Pages of the registry: thin, they parse, call a service or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core import hooks
from upskill.core.forms import apply_service_errors, error_text, form_action, service_action
from upskill.core.imports import ImportRejected, size_message
from upskill.core.lists import list_context
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, learner_only, require_perm
from upskill.core.throttle import lookup_throttled, throttled_message
from upskill.core.uploads import upload_too_large
from upskill.organisations.models import OrganisationKind

from . import lists, selectors, services
from .forms import (
    BankAccountForm,
    IdNumberCorrectionForm,
    LearnerActivateForm,
    LearnerLoginForm,
    LookupForm,
    MergeForm,
    PersonCategoryForm,
    PersonForm,
    RosterImportForm,
)
from .identity import normalise_digits
from .models import BankAccount, BankAccountChangeRequest, Person
from .services.learners import invitation_qr_svg


@login_required
def person_list(request):
    context = list_context(request, lists.PERSONS)
    if request.headers.get("HX-Request"):
        return render(request, "registry/_person_rows.html", context)
    return render(request, "registry/person_list.html", context)


def _detail_url(pk: int) -> str:
    return reverse("registry:person_detail", kwargs={"pk": pk})


@login_required
def person_detail(request, pk: int):
    person = get_visible_or_404(
        selectors.person_detail_queryset(actor=request.user),
        request.user,
        perm="registry.view_person",
        pk=pk,
    )
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "policy_categories": selectors.person_categories_on(person, timezone.localdate()),
            "permissions": selectors.person_permissions(actor=request.user, obj=person),
            "pending_change": selectors.pending_account_change(person=person),
        },
    )


@login_required
def person_create(request):
    require_perm(request.user, "registry.add_person")
    form = PersonForm(request.POST or None, actor=request.user)
    if response := form_action(
        request,
        form,
        lambda data: services.person_register(
            actor=request.user,
            id_number=data["id_number"],
            name=data["name"],
            phone=data["phone"],
            township=data["township"],
            address=data["address"],
            hukou=data["hukou"],
            insured_months=data["insured_months"] or 0,
        ),
        success_message=lambda person: _("%(name)s was registered.") % {"name": person.name},
        redirect_to=lambda person: _detail_url(person.pk),
    ):
        return response
    return render(request, "registry/person_form.html", {"form": form, "creating": True})


@login_required
def person_edit(request, pk: int):
    person = get_visible_or_404(Person, request.user, perm="registry.change_person", pk=pk)
    initial = {
        "name": person.name,
        # the masked copy: an edit form is no way round the logged reveal
        "phone": person.phone_masked,
        "township": person.township_id,
        "address": person.address,
        "hukou": person.hukou,
        "insured_months": person.insured_months,
        "town_residence_since": person.town_residence_since,
    }
    form = PersonForm(request.POST or None, actor=request.user, editing=True, initial=initial)

    def update(data: dict) -> None:
        # the phone is kept unless a new number replaces its masked copy
        phone = {} if data["phone"] == person.phone_masked else {"phone": data["phone"]}
        services.person_update(
            actor=request.user,
            person=person,
            name=data["name"],
            **phone,
            township=data["township"],
            address=data["address"],
            hukou=data["hukou"],
            insured_months=data["insured_months"] or 0,
            town_residence_since=data["town_residence_since"],
        )

    if response := form_action(
        request, form, update, success_message=_("Saved."), redirect_to=_detail_url(person.pk)
    ):
        return response
    return render(
        request, "registry/person_form.html", {"form": form, "person": person, "creating": False}
    )


def _revealed(request, model, pk: int, reveal, *, argument: str, testid: str) -> HttpResponse:
    """The htmx fragment that replaces a masked number with the revealed one: ``reveal`` (a
    service of ``services.reveals``, which checks the permission and writes the access log) is
    given the visible object as ``argument``."""
    obj = get_visible_or_404(model, request.user, pk=pk)
    value = reveal(
        actor=request.user, remote_addr=request.META.get("REMOTE_ADDR"), **{argument: obj}
    )
    return HttpResponse(
        format_html('<span class="masked" data-testid="{}">{}</span>', testid, value)
    )


@login_required
@require_POST
def person_reveal(request, pk: int):
    """htmx: swaps the masked ID number for the full one; the reveal is audit-logged."""
    return _revealed(
        request, Person, pk, services.person_reveal_id_number, argument="person", testid="revealed"
    )


@login_required
@require_POST
def person_reveal_phone(request, pk: int):
    """htmx: swaps the masked phone for the full one, for the roles whose work is calling the
    person; the reveal is written to the access log."""
    return _revealed(
        request,
        Person,
        pk,
        services.person_reveal_phone,
        argument="person",
        testid="revealed-phone",
    )


@login_required
@require_POST
def bank_account_reveal(request, pk: int):
    return _revealed(
        request,
        BankAccount,
        pk,
        services.bank_account_reveal,
        argument="account",
        testid="revealed-account",
    )


@login_required
def bank_account_edit(request, pk: int):
    person = get_visible_or_404(Person, request.user, perm="registry.change_person", pk=pk)
    form = BankAccountForm(request.POST or None, initial={"account_name": person.name})

    def save(data: dict) -> services.AccountResult:
        result = services.bank_account_set(actor=request.user, person=person, **data)
        # saved at once, or a change that waits for the bureau: both say so (with any warning)
        if result.warning:
            messages.warning(request, result.warning)
        if result.account is not None:
            messages.success(request, _("The bank account was saved."))
        else:
            messages.warning(
                request,
                _(
                    "The change awaits the bureau's decision; until then allowances are "
                    "paid into the account in use."
                ),
            )
        return result

    if response := form_action(
        request, form, save, redirect_to=reverse("registry:person_detail", args=[person.pk])
    ):
        return response
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "person": person,
            "title": _("Bank account for allowances"),
        },
    )


@login_required
def bank_account_changes(request):
    """The queue of account changes: the payment clerk confirms those asked while money was
    approved and unpaid, the reviewer decides accounts held by someone else. ``?person=`` shows
    one person's changes, decided ones included (their history)."""
    require_perm(request.user, "registry.view_bankaccountchangerequest")
    person_id = request.GET.get("person", "")
    person = None
    if person_id.isdigit():
        person = get_visible_or_404(Person, request.user, pk=int(person_id))
    changes = selectors.bank_account_changes(
        actor=request.user, person=person, pending_only=person is None
    )
    return render(
        request,
        "registry/bank_account_changes.html",
        {
            "page": paginate(request, changes),
            "person": person,
            "permissions": selectors.account_change_permissions(actor=request.user),
        },
    )


@login_required
@require_POST
def bank_account_change_decide(request, pk: int, action: str):
    change = get_visible_or_404(BankAccountChangeRequest, request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    reason = request.POST.get("reason", "")
    if action == "confirm":
        decide = services.bank_account_change_confirm
    elif action == "exception":
        decide = services.bank_account_exception_decide
    else:
        return HttpResponse(status=404)
    return service_action(
        request,
        lambda: decide(actor=request.user, change=change, approve=approve, reason=reason),
        success_message=_("The decision was recorded."),
        redirect_to=f"{reverse('registry:bank_account_changes')}?person={change.person_id}",
        each_message=True,
    )


@login_required
def person_category_add(request, pk: int):
    person = get_visible_or_404(Person, request.user, perm="registry.add_personcategory", pk=pk)
    form = PersonCategoryForm(request.POST or None)
    if response := form_action(
        request,
        form,
        lambda data: services.person_category_add(actor=request.user, person=person, **data),
        success_message=_("The category was added."),
        redirect_to=_detail_url(person.pk),
    ):
        return response
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "person": person,
            "title": _("Add a category"),
        },
    )


@login_required
def person_lookup(request):
    """Is this full ID number registered? The answer, for every organisation, bureaus included,
    is "registered: 刘*" or "not registered", nothing else (the same as ``POST
    /api/persons/lookup``); a registered person can then be enrolled in one of the
    organisation's approved classes, the only way on from here. Rate-limited per user
    (``UPSKILL_LOOKUP_RATE``); every look-up is in the access log."""
    require_perm(request.user, "registry.view_person")
    form = LookupForm(request.POST or None)
    context: dict = {"form": form, "result": None, "offer": None}
    if request.method == "POST" and form.is_valid():
        wait = lookup_throttled(request.user)
        if wait:
            context["throttled"] = throttled_message(wait)
            response = render(request, "registry/person_lookup.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            result = services.person_lookup(
                actor=request.user,
                id_number=form.cleaned_data["id_number"],
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            context["result"] = result
            if result.registered:
                context["offer"] = hooks.enrol_offer(actor=request.user)
    return render(request, "registry/person_lookup.html", context)


def _correcting(request, pk: int) -> Person:
    person = get_visible_or_404(Person, request.user, perm="registry.change_person", pk=pk)
    if not selectors.may_correct_identity(actor=request.user):
        raise PermissionDenied
    return person


@login_required
def person_id_number_correct(request, pk: int):
    """The bureau corrects a mistyped ID number (issue 15.7): same record, the old number kept
    in its history."""
    person = _correcting(request, pk)
    form = IdNumberCorrectionForm(request.POST or None)
    if response := form_action(
        request,
        form,
        lambda data: services.person_id_number_correct(
            actor=request.user, person=person, id_number=data["id_number"], reason=data["reason"]
        ),
        success_message=_("The ID number was corrected; the old one is kept in the history."),
        redirect_to=_detail_url(person.pk),
    ):
        return response
    title = _("Correct the ID number")
    return render(
        request, "registry/simple_form.html", {"form": form, "person": person, "title": title}
    )


@login_required
def person_merge(request, pk: int):
    """The bureau merges a duplicate record into this one (issue 15.7): the first post shows
    what moves and what stops the merge, the second (``confirm``) merges."""
    kept = _correcting(request, pk)
    form = MergeForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        other = selectors.person_list(
            actor=request.user, query=form.cleaned_data["id_number"]
        ).first()
        if other is None or len(normalise_digits(form.cleaned_data["id_number"])) != 18:
            form.add_error("id_number", _("No record with this full ID number in your registry."))
        elif "confirm" in request.POST:
            if response := form_action(
                request,
                form,
                lambda data: services.person_merge(
                    actor=request.user, kept=kept, other=other, reason=data["reason"]
                ),
                success_message=_("The two records are one now; both histories are kept."),
                redirect_to=_detail_url(kept.pk),
            ):
                return response
            preview = services.person_merge_preview(actor=request.user, kept=kept, other=other)
        else:
            preview = services.person_merge_preview(actor=request.user, kept=kept, other=other)
    return render(
        request, "registry/person_merge.html", {"form": form, "person": kept, "preview": preview}
    )


@login_required
def roster_import(request):
    """Upload the poverty-alleviated roster (GA23-OBJ-2); the import runs as a background job
    whose page shows the progress, then the result or every problem by row."""
    require_perm(request.user, "registry.add_person")
    require_perm(request.user, "registry.add_personcategory")
    if request.method == "POST":
        form = RosterImportForm(request.POST, request.FILES)
    else:
        form = RosterImportForm()
    if request.method == "POST" and upload_too_large(request):
        form.is_valid()
        form.errors.pop("file", None)  # "required": the file was dropped for its size
        form.add_error("file", size_message())
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.roster_import(
                actor=request.user,
                upload=data["file"],
                source=data["source"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ImportRejected as exc:
            form.add_error("file", [error.message for error in exc.errors])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("core:job_detail", pk=job.pk)
    township_known = request.user.organisation is not None and (
        request.user.organisation.kind == OrganisationKind.TOWNSHIP_CENTRE
    )
    return render(
        request,
        "registry/roster_import.html",
        {"form": form, "columns": services.roster_columns(township_known=township_known)},
    )


# -- the learner's pages (/me/): activation, log-in, the "my training" portal ------------------


def learner_activate(request, token: str):
    """Public (the link is the credential): the learner confirms ID number and name against the
    registry and sets a password; their account opens (or, after a reset, takes the new
    password) and they are logged in to their portal."""
    invitation = services.learner_invitation_find(token)
    if invitation is None:
        return render(
            request,
            "registry/learner_message.html",
            {
                "title": _("Learner account"),
                "error": _("This link is no longer valid. Ask your HR for a new one."),
            },
            status=404,
        )
    form = LearnerActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.learner_account_activate(
                token=token,
                id_number=form.cleaned_data["id_number"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            auth_login(request, user, backend="upskill.registry.auth.LearnerBackend")
            messages.success(request, _("Your learner account is ready."))
            return redirect("learner_portal")
    return render(
        request, "registry/learner_activate.html", {"form": form, "invitation": invitation}
    )


def learner_login(request):
    """A learner logs in with ID number and password (registry/auth.py; locked after repeated
    failures like every log-in)."""
    form = LearnerLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            id_number=form.cleaned_data["id_number"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            auth_login(request, user)
            next_url = request.GET.get("next", "")
            if next_url.startswith("/me/"):
                return redirect(next_url)
            return redirect("learner_portal")
        if not getattr(request, "axes_locked_out", False):
            form.add_error(None, _("The ID number or the password is wrong."))
    return render(request, "registry/learner_login.html", {"form": form})


@learner_only
def learner_portal(request, person):
    """The learner's "my training": every app's section of their own records (core.hooks
    LEARNER_PORTAL_SECTIONS), read through the learner's scope."""
    sections = hooks.portal_sections(person=person, user=request.user)
    return render(request, "registry/learner_portal.html", {"person": person, "sections": sections})


@login_required
def learner_links(request):
    """The learner account links the organisation handed out, by state (the home page's queue
    counts the open ones)."""
    require_perm(request.user, services.CHANGE_PERSON)
    state = request.GET.get("state", "")
    if state not in selectors.LEARNER_LINK_STATES:
        state = ""
    links = selectors.learner_invitations(actor=request.user, state=state)
    return render(
        request,
        "registry/learner_links.html",
        {"page": paginate(request, links), "state": state, "now": timezone.now()},
    )


@login_required
@require_POST
def learner_invite(request, pk: int):
    """HR or an institution hands a person the link (and QR code) to open their account."""
    person = get_visible_or_404(Person, request.user, perm=services.CHANGE_PERSON, pk=pk)
    return _invitation_action(request, person, services.learner_invitation_create)


@login_required
@require_POST
def learner_reset(request, pk: int):
    """A forgotten password: a new link, in the audit trail."""
    person = get_visible_or_404(Person, request.user, perm=services.CHANGE_PERSON, pk=pk)
    return _invitation_action(request, person, services.learner_password_reset)


def _invitation_action(request, person, create):
    try:
        invitation = create(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("registry:person_detail", pk=person.pk)
    url = request.build_absolute_uri(invitation.path)
    return render(
        request,
        "registry/learner_invitation.html",
        {
            "person": person,
            "invitation": invitation,
            "url": url,
            "svg": invitation_qr_svg(url),
        },
    )
