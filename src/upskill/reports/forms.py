"""Forms of the reports app: a target's split (GA23-TGT-1), the dashboard's filters and the
request for a report upward (HB45-RPT-1, HB61 五)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TargetLine, UpwardKind


class SplitForm(forms.Form):
    """One number per possible holder of a share (townships, institutions, cities); built from
    ``selectors.split_form_rows``."""

    def __init__(self, *args, rows: list[tuple[object, int]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.holders: dict[str, object] = {}
        for holder, quantity in rows:
            name = f"{holder._meta.model_name}_{holder.pk}"
            self.holders[name] = holder
            self.fields[name] = forms.IntegerField(
                label=str(holder), min_value=0, required=False, initial=quantity
            )

    def shares(self) -> dict[object, int]:
        return {holder: self.cleaned_data.get(name) or 0 for name, holder in self.holders.items()}


class DashboardFilter(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    line = forms.ChoiceField(
        label=_("Line of training"), choices=TargetLine.choices, required=False
    )
    as_of = forms.DateField(label=_("As of"), required=False)


class UpwardForm(forms.Form):
    """A report upward to generate: which, for which year, as of which date (blank: the usual
    date of that report, 1 January, 30 June or 31 December)."""

    kind = forms.ChoiceField(label=_("Report"), choices=UpwardKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Blank: 1 January for the plan, 30 June for the half-year report, 31 December "
            "for the summary and the reimbursement request."
        ),
    )
