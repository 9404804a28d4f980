"""Forms of the reports app: a target's split (GA23-TGT-1) and the dashboard's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TargetLine


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
