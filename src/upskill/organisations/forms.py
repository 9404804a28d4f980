from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.none())
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["role"].queryset = Role.objects.filter(organisation_kind=organisation.kind)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the partner system"), max_length=64)
    role = forms.ModelChoiceField(label=_("Acts with the role"), queryset=Role.objects.none())

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["role"].queryset = Role.objects.filter(organisation_kind=organisation.kind)


class InsuranceForm(forms.Form):
    """An enterprise's unemployment insurance (GA23-OBJ-3)."""

    insured_since = forms.DateField(
        label=_("Pays unemployment insurance since"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.CharField(
        label=_("Source of the record"),
        max_length=128,
        help_text=_("e.g. the social insurance agency's certificate of payment"),
    )
    at_province = forms.BooleanField(
        label=_("Pays it to the province directly (HB61 五)"),
        required=False,
        help_text=_(
            "Its training subsidies are advanced here and reimbursed by the province on request."
        ),
    )


class SecondFactorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
