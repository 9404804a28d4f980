from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.core.imports import max_bytes, size_message
from upskill.organisations.models import Region
from upskill.organisations.selectors import townships_for

from .identity import IdentityError, parse_resident_id
from .models import AccountKind, Category, Hukou
from .services import may_correct_name


class TownshipField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.parent.name} {obj.name}" if obj.parent_id else obj.name


class PersonForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=64)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    township = TownshipField(
        label=_("Township of residence"), queryset=Region.objects.none(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    hukou = forms.ChoiceField(label=_("Household registration"), choices=Hukou.choices)
    insured_months = forms.IntegerField(
        label=_("Unemployment-insurance months"), min_value=0, initial=0, required=False
    )
    town_residence_since = forms.DateField(
        label=_("Living in a town since"),
        required=False,
        help_text=_("A migrant worker counts as an employee after six months (HB61-MIG-1)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, actor=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for(actor=actor)
        if not editing:
            del self.fields["town_residence_since"]  # recorded on the person once registered
        if editing:
            del self.fields["id_number"]
            if not may_correct_name(actor=actor):
                # the name on the ID card: only the bureau corrects it (an allowance account
                # must be held in it)
                self.fields["name"].disabled = True
                self.fields["name"].help_text = _("Corrected by the county bureau only.")

    def clean_id_number(self) -> str:
        try:
            return parse_resident_id(self.cleaned_data["id_number"]).number
        except IdentityError as exc:
            raise forms.ValidationError(str(exc)) from None


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=40)


class BankAccountForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AccountKind.choices)
    account_name = forms.CharField(label=_("Account name"), max_length=64)
    account_number = forms.CharField(label=_("Account number"), max_length=40)
    bank_name = forms.CharField(label=_("Bank"), max_length=64)
    branch_code = forms.CharField(label=_("Branch code (CNAPS)"), max_length=16, required=False)
    exception_reason = forms.CharField(
        label=_("Reason for an account held by someone else"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the holder is not the person: the bureau's reviewer decides, and the "
            "account is not paid into before."
        ),
    )


class PersonCategoryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    source = forms.CharField(label=_("Source"), max_length=128)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RosterImportForm(forms.Form):
    """The poverty-alleviated roster (GA23-OBJ-2): the file, what it is, and from when the
    categories it gives hold."""

    source = forms.CharField(
        label=_("Roster name"),
        max_length=128,
        required=False,
        help_text=_(
            "Recorded with each category entry, e.g. 公安县2023年脱贫人口名册. "
            "Left blank, the file name is used."
        ),
    )
    valid_from = forms.DateField(
        label=_("Categories valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # last, so the other fields arrive even when an oversized file is dropped
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(size_message())
        return upload


class IdNumberCorrectionForm(forms.Form):
    id_number = forms.CharField(label=_("Correct resident ID number"), max_length=40)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the person's history with the old number (masked)."),
    )


class MergeForm(forms.Form):
    id_number = forms.CharField(
        label=_("Full ID number of the other record"),
        max_length=40,
        help_text=_("Its enrolments, claims and everything else move onto this record."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=255, widget=forms.Textarea(attrs={"rows": 2})
    )


class LearnerActivateForm(forms.Form):
    """What a learner types on the invitation's page: ID number and name as the registry has
    them, and the password of their new account (twice)."""

    id_number = forms.CharField(
        label=_("Your ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=64)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, with letters, digits and a symbol."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class LearnerLoginForm(forms.Form):
    """A learner's log-in: resident ID number and password (registry/auth.py)."""

    id_number = forms.CharField(
        label=_("Your ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "text"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
