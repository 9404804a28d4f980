from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.organisations.models import Region, RegionLevel

from .models import Outcome


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _townships(county_code: str):
    return Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=county_code).order_by(
        "code"
    )


class WishesForm(forms.Form):
    job_type = forms.CharField(label=_("Wished job type"), max_length=128, required=False)
    township = forms.ModelChoiceField(
        label=_("Wished township"), queryset=Region.objects.none(), required=False
    )
    wage = forms.DecimalField(
        label=_("Wished monthly wage (yuan)"), max_digits=9, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, county_code: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = _townships(county_code)


class RecommendForm(forms.Form):
    vacancy = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Outcome.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    employer = forms.CharField(label=_("Employer"), max_length=128, required=False)
    employed_from = forms.DateField(label=_("Employed from"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class VacancyForm(forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=128)
    title = forms.CharField(label=_("Job"), max_length=128)
    job_type = forms.CharField(label=_("Job type"), max_length=128, required=False)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Region.objects.none(), required=False
    )
    wage_min = forms.DecimalField(
        label=_("Monthly wage from (yuan)"), max_digits=9, decimal_places=2, required=False
    )
    wage_max = forms.DecimalField(
        label=_("Monthly wage up to (yuan)"), max_digits=9, decimal_places=2, required=False
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, initial=1)
    contact = forms.CharField(label=_("Contact"), max_length=128, required=False)

    def __init__(self, *args, county_code: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = _townships(county_code)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
