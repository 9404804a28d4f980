"""What every page does with a service's refusal: a service raises ``ValidationError`` (keyed by
the argument it refused, or not keyed at all); the page shows it on the form's field of that name
when the form has one, else above the form, or as a message when there is no form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from .import_report import ImportRejected
from .jobs import job_origin
from .uploads import upload_too_large

T = TypeVar("T")


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: a key the form has as a field goes on
    that field, any other key (``__all__``, a model field the form does not show) and an
    unkeyed error become non-field errors. Codes and params are kept (the errors are passed
    as they are, not as text)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_text(exc: ValidationError) -> str:
    """Every message of ``exc`` as one line, for a flash message (keys dropped)."""
    return " ".join(exc.messages)


def form_error_text(form: forms.BaseForm) -> str:
    """Every error of a bound form on one line, for a form posted from another page (the page
    it came back to shows it as a message)."""
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Every message of ``exc`` as its own error message on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def form_action(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    redirect_to: Any | Callable[[T], Any],
    success_message: str | Callable[[T], str] | None = None,
) -> HttpResponse | None:
    """The one pattern of a form page: on a POST with a valid form, call ``action`` with the
    cleaned data (it calls the service); when the service refuses, its errors go on the form
    (``apply_service_errors``), else ``success_message`` is added and the redirect returned.
    ``None`` means "render the page" (a GET, an invalid form or a refusal), so a view reads
    ``if response := form_action(...): return response``. ``redirect_to`` and
    ``success_message`` may be callables of what the service returned (the new object)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    if success_message is not None:
        text = success_message(result) if callable(success_message) else success_message
        messages.success(request, text)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def service_action(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    redirect_to: Any | Callable[[T], Any],
    success_message: str | Callable[[T], str] | None = None,
    each_message: bool = False,
    refused_redirect_to: Any = None,
    form: forms.BaseForm | None = None,
    invalid_message: str | None = None,
) -> HttpResponse:
    """The one pattern of a button (a POST without a form to show again): call ``action`` (it
    calls the service); a refusal becomes an error message (one line, or one message per error
    with ``each_message``), else ``success_message`` (text, or a callable of what the service
    returned) is added; either way the redirect to ``redirect_to`` is returned. When the page
    to go to depends on what the service made (a new version), ``redirect_to`` is a callable of
    it and ``refused_redirect_to`` says where a refusal goes. With ``form`` (posted from
    another page), an invalid form calls nothing: ``invalid_message`` (else the form's own
    errors on one line; ``""`` for none) is added and the same redirect returned."""
    if form is not None and not form.is_valid():
        text = form_error_text(form) if invalid_message is None else invalid_message
        if text:
            messages.error(request, text)
        return redirect(refused_redirect_to or redirect_to)
    try:
        result = action()
    except ValidationError as exc:
        if each_message:
            error_messages(request, exc)
        else:
            messages.error(request, error_text(exc))
        return redirect(refused_redirect_to or redirect_to)
    if success_message is not None:
        text = success_message(result) if callable(success_message) else success_message
        messages.success(request, text)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def import_refusal(action: Callable[[], T]) -> Callable[[], T]:
    """``action`` (an import started by a button) with a refused file (``ImportRejected``, the
    whole report) turned into a ``ValidationError`` of its one-line summary, so that
    ``service_action`` shows it like any other refusal."""

    def run() -> T:
        try:
            return action()
        except ImportRejected as exc:
            raise ValidationError(str(exc)) from None

    return run


def import_action(
    request: HttpRequest,
    start: Callable[[Any], Any],
    *,
    form: forms.BaseForm,
    back_to: str,
    invalid_message: str,
) -> HttpResponse:
    """The one pattern of an import button: a file dropped for its size, or a form without its
    file, goes back to ``back_to`` with a message; else ``start`` (the app's import service,
    given the upload ``form.cleaned_data["file"]``) starts the background job, and its page
    follows. A file refused at once (``ImportRejected``) goes back with its summary."""
    if upload_too_large(request):
        messages.error(request, _("The file is too large to upload."))
        return redirect(back_to)
    origin = resolve_url(back_to)

    def run():
        with job_origin(origin):  # the job's page links back here (issue 15.5)
            return start(form.cleaned_data["file"])

    return service_action(
        request,
        import_refusal(run),
        redirect_to=lambda job: reverse("core:job_detail", args=[job.pk]),
        refused_redirect_to=back_to,
        form=form,
        invalid_message=invalid_message,
    )
