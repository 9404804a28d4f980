from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.core.templatetags.upskill import num

from .models import DayKind, Fund, FundSource, Payee


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    """The fund the approved amounts are charged to: only funds that may pay every item
    (HB45-FND-1), each shown with its budget left when ``remaining`` (fund pk → amount) is
    given."""

    fund = forms.ModelChoiceField(label=_("Charge to fund"), queryset=Fund.objects.none())

    def __init__(self, *args, funds=None, remaining=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds
            if not self.is_bound and remaining and len(remaining) == 1:
                self.initial.setdefault("fund", next(iter(remaining)))  # the only fund that pays
        if remaining:
            self.fields["fund"].label_from_instance = lambda fund: (
                _("%(fund)s · %(left)s left")
                % {"fund": fund, "left": num(remaining.get(fund.pk, "—"))}
            )


class DocumentForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))


class ObjectionForm(forms.Form):
    lodged_by = forms.CharField(label=_("Your name"), max_length=64)
    contact = forms.CharField(label=_("Phone or address"), max_length=64, required=False)
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    uphold = forms.BooleanField(label=_("Uphold (refuse the line)"), required=False)
    line = forms.IntegerField(label=_("Line"), required=False)
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))


class BatchForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    payee = forms.ChoiceField(label=_("Payee"), choices=Payee.choices)

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds


class ResultsForm(forms.Form):
    file = forms.FileField(label=_("Bank results (Excel or CSV)"))


class FundForm(forms.Form):
    source = forms.ChoiceField(label=_("Fund source"), choices=FundSource.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(label=_("Budget"), max_digits=14, decimal_places=2, min_value=0)


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=64, required=False)


class SettleForm(forms.Form):
    region = forms.RegexField(label=_("Region code"), regex=r"^\d{6}$")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PayeeAccountForm(forms.Form):
    account_name = forms.CharField(label=_("Account name"), max_length=128)
    account_number = forms.CharField(label=_("Account number"), max_length=40)
    bank_name = forms.CharField(label=_("Bank"), max_length=64)
    branch_code = forms.CharField(label=_("Branch code"), max_length=16, required=False)
