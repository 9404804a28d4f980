from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CompetitionLevel, RecordKind, Title

_DATE = forms.DateInput(attrs={"type": "date"})


class ContractForm(forms.Form):
    id_number = forms.CharField(label=_("Employee's ID number"), max_length=18)
    name = forms.CharField(label=_("Employee's name"), max_length=64)
    signed = forms.DateField(label=_("Signed on"), widget=_DATE)
    years = forms.DecimalField(
        label=_("Length in years"), max_digits=4, decimal_places=1, min_value=0
    )
    ended = forms.DateField(
        label=_("Employment ended on (empty: still employed)"), required=False, widget=_DATE
    )
    consecutive_insured_months = forms.IntegerField(
        label=_("Consecutive months of social insurance"), min_value=0
    )
    insured_as_of = forms.DateField(label=_("As of"), widget=_DATE)
    unemployment_insured_months = forms.IntegerField(
        label=_("Months of unemployment insurance"), min_value=0, initial=0
    )


class ContractsUploadForm(forms.Form):
    file = forms.FileField(label=_("Labour-contract list (.xlsx or .csv)"))


class ContractUpdateForm(forms.Form):
    years = forms.DecimalField(
        label=_("Length in years"), max_digits=4, decimal_places=1, min_value=0
    )
    ended = forms.DateField(
        label=_("Employment ended on (empty: still employed)"), required=False, widget=_DATE
    )
    consecutive_insured_months = forms.IntegerField(
        label=_("Consecutive months of social insurance"), min_value=0
    )
    insured_as_of = forms.DateField(label=_("As of"), widget=_DATE)
    unemployment_insured_months = forms.IntegerField(
        label=_("Months of unemployment insurance"), min_value=0
    )


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices)
    id_number = forms.CharField(label=_("Employee's ID number"), max_length=18)
    on = forms.DateField(
        label=_("Date (competition, title, end of the period; any day of the apprenticeship year)"),
        widget=_DATE,
    )
    competition = forms.CharField(label=_("Competition"), max_length=120, required=False)
    competition_level = forms.ChoiceField(
        label=_("Competition level"),
        choices=[("", "—"), *CompetitionLevel.choices],
        required=False,
    )
    finalist = forms.BooleanField(label=_("Finalist"), required=False)
    title = forms.ChoiceField(label=_("Title"), choices=[("", "—"), *Title.choices], required=False)
    months = forms.IntegerField(label=_("Months"), min_value=1, required=False)
    period_start = forms.DateField(label=_("Period from"), required=False, widget=_DATE)
