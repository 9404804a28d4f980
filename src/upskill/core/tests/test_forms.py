"""core/forms.py: a service's refusal on the form, as text, as messages; the form → service →
redirect pattern of the pages."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from upskill.core.forms import (
    apply_service_errors,
    error_messages,
    error_text,
    form_action,
    form_error_text,
    import_action,
    service_action,
)


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str = "post", data: dict | None = None):
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "post" else factory.get("/")
    request._messages = CookieStorage(request)
    return request


def _valid_form(name: str = "Li") -> NameForm:
    form = NameForm({"name": name})
    assert form.is_valid()
    return form


def test_a_keyed_error_goes_on_the_field_the_form_has_and_others_above_the_form():
    form = _valid_form()
    exc = ValidationError(
        {
            "name": ValidationError("Taken.", code="taken"),
            "township": "Not in your county.",
            "__all__": "Closed.",
        }
    )
    apply_service_errors(form, exc)
    assert form.errors["name"] == ["Taken."]
    assert form.has_error("name", code="taken")  # codes survive: errors are passed, not text
    assert form.non_field_errors() == ["Not in your county.", "Closed."]
    assert "township" not in form.errors


def test_an_unkeyed_error_goes_above_the_form():
    form = _valid_form()
    apply_service_errors(form, ValidationError(["First.", "Second."]))
    assert form.non_field_errors() == ["First.", "Second."]
    assert "name" not in form.errors


def test_error_text_joins_every_message_on_one_line():
    assert error_text(ValidationError({"a": "One.", "b": ["Two.", "Three."]})) == "One. Two. Three."
    assert error_text(ValidationError("Alone.")) == "Alone."


def test_error_messages_adds_one_error_message_per_message():
    request = _request()
    error_messages(request, ValidationError({"a": "One.", "b": "Two."}))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "One."),
        ("error", "Two."),
    ]


def test_form_action_calls_the_service_then_redirects_with_the_message():
    request = _request(data={"name": "Li"})
    form = NameForm(request.POST)
    calls = []

    def action(data):
        calls.append(data)
        return 42

    response = form_action(
        request,
        form,
        action,
        redirect_to=lambda pk: f"/things/{pk}/",
        success_message=lambda pk: f"Thing {pk} saved.",
    )
    assert calls == [{"name": "Li"}]
    assert response.status_code == 302 and response["Location"] == "/things/42/"
    assert [m.message for m in get_messages(request)] == ["Thing 42 saved."]


def test_form_action_puts_a_refusal_on_the_form_and_asks_for_the_page():
    request = _request(data={"name": "Li"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "Taken."})

    assert form_action(request, form, refuse, redirect_to="/", success_message="Saved.") is None
    assert form.errors["name"] == ["Taken."]
    assert list(get_messages(request)) == []


def test_form_action_does_nothing_on_a_get_or_an_invalid_form():
    calls = []
    get = _request("get")
    assert form_action(get, NameForm(), calls.append, redirect_to="/") is None
    post = _request(data={})
    form = NameForm(post.POST)
    assert form_action(post, form, calls.append, redirect_to="/", success_message="x") is None
    assert calls == [] and "name" in form.errors
    assert list(get_messages(post)) == []


def test_form_action_without_a_message_only_redirects():
    request = _request(data={"name": "Li"})
    response = form_action(request, NameForm(request.POST), lambda data: None, redirect_to="/x/")
    assert response["Location"] == "/x/"
    assert list(get_messages(request)) == []


def test_service_action_adds_the_success_message_and_redirects():
    request = _request()
    response = service_action(
        request, lambda: 3, redirect_to="/list/", success_message=lambda n: f"{n} paid."
    )
    assert response.status_code == 302 and response["Location"] == "/list/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("success", "3 paid.")]


def test_service_action_shows_a_refusal_on_one_line_or_one_message_each():
    def refuse():
        raise ValidationError({"a": "One.", "b": "Two."})

    request = _request()
    response = service_action(request, refuse, redirect_to="/list/", success_message="Done.")
    assert response["Location"] == "/list/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "One. Two.")]
    request = _request()
    service_action(
        request, refuse, redirect_to="/list/", success_message="Done.", each_message=True
    )
    assert [m.message for m in get_messages(request)] == ["One.", "Two."]


def test_service_action_without_a_message_only_redirects():
    request = _request()
    assert service_action(request, lambda: None, redirect_to="/x/")["Location"] == "/x/"
    assert list(get_messages(request)) == []


def test_form_error_text_joins_every_error_of_the_form():
    class TwoForm(forms.Form):
        name = forms.CharField()
        age = forms.IntegerField()

    form = TwoForm({"age": "x"})
    with translation.override("en"):
        assert not form.is_valid()
        assert form_error_text(form) == "This field is required. Enter a whole number."


def test_service_action_with_an_invalid_posted_form_calls_nothing_and_says_why():
    called = []
    for invalid_message, expected in (
        (None, ["This field is required."]),
        ("Give a name.", ["Give a name."]),
        ("", []),
    ):
        request = _request()
        with translation.override("en"):
            response = service_action(
                request,
                lambda: called.append(1),
                redirect_to="/back/",
                form=NameForm({}),
                invalid_message=invalid_message,
            )
        assert response.url == "/back/"
        assert [str(m) for m in get_messages(request)] == expected
    assert called == []
    request = _request()
    service_action(request, lambda: called.append(1), redirect_to="/back/", form=_valid_form())
    assert called == [1]


class FileForm(forms.Form):
    file = forms.FileField()


def test_import_action_sends_a_dropped_or_missing_file_back_and_starts_nothing():
    started = []
    for too_large, expected in ((True, "The file is too large to upload."), (False, "Choose it.")):
        request = _request()
        request.upload_too_large = too_large
        with translation.override("en"):
            response = import_action(
                request,
                started.append,
                form=FileForm({}, {}),
                back_to="/back/",
                invalid_message="Choose it.",
            )
        assert response.url == "/back/"
        assert [str(m) for m in get_messages(request)] == [expected]
    assert started == []
