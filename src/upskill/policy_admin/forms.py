from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

PROGRAMS = [
    ("employment", _("Employment and entrepreneurship training")),
    ("poverty", _("Poverty-alleviated training")),
    ("post_skill", _("Post-skill upgrading")),
    ("pre_job", _("Pre-job training")),
    ("online_skill_level", _("Online skill-level training")),
    ("work_for_training", _("Work-for-training")),
    ("competition", _("Skill competition")),
    ("new_technician", _("New technician")),
    ("new_apprentice", _("New apprenticeship")),
]
CATEGORIES = [
    ("poverty_alleviated", _("Poverty-alleviated person")),
    ("employment_difficulty", _("Person with employment difficulty")),
    ("rural", _("Rural (agricultural household registration)")),
    ("two_after_graduate", _("Two-after graduate of a poor family")),
    ("monitored_household", _("Monitored household")),
    ("retired_fisher", _("Fisher retired from fishing")),
    ("migrant_worker", _("Migrant worker")),
    ("registered_unemployed", _("Registered unemployed")),
    ("zero_employment_family", _("Member of a zero-employment family")),
    ("graduate", _("College graduate")),
]
COMPETITION_LEVELS = [
    ("", "—"),
    ("enterprise", _("Enterprise")),
    ("county", _("County")),
    ("city", _("City")),
    ("province", _("Province")),
    ("national", _("National")),
]
TITLES = [
    ("", "—"),
    ("senior_technician", _("Senior technician")),
    ("technician", _("Technician")),
    ("senior_worker", _("Senior worker")),
]

_date = forms.DateInput(attrs={"type": "date"})


class ShowForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=6, initial="421022")
    date = forms.DateField(label=_("Date"), widget=_date)


class TryRecordForm(forms.Form):
    """One training record as docs/calculator.md describes it, for a clerk to try."""

    person_id = forms.CharField(label=_("Resident ID number"), max_length=18)
    region = forms.CharField(label=_("Region code"), max_length=6, initial="421022")
    date = forms.DateField(label=_("Date the training ended"), widget=_date)
    program = forms.ChoiceField(label=_("Program"), choices=PROGRAMS)
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=CATEGORIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    passed = forms.BooleanField(label=_("Passed the final assessment"), required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=64, required=False)
    level = forms.IntegerField(label=_("Level (1–5)"), min_value=1, max_value=5, required=False)
    total_hours = forms.DecimalField(label=_("Total class hours"), min_value=0, required=False)
    practical_hours = forms.DecimalField(
        label=_("Practical class hours"), min_value=0, required=False
    )
    attended_hours = forms.DecimalField(
        label=_("Attended class hours"), min_value=0, required=False
    )
    insured_months = forms.IntegerField(
        label=_("Unemployment-insurance months"), min_value=0, required=False
    )
    online = forms.BooleanField(label=_("On an approved online platform"), required=False)
    contract_signed = forms.DateField(
        label=_("Labour contract signed"), required=False, widget=_date
    )
    contract_years = forms.DecimalField(
        label=_("Contract length (years)"), min_value=0, required=False
    )
    training_started = forms.DateField(label=_("Training started"), required=False, widget=_date)
    consecutive_insured_months = forms.IntegerField(
        label=_("Consecutive insured months at settlement"), min_value=0, required=False
    )
    still_employed = forms.BooleanField(label=_("Still employed at settlement"), required=False)
    months = forms.IntegerField(label=_("Work-for-training months"), min_value=0, required=False)
    competition_level = forms.ChoiceField(
        label=_("Competition level"), choices=COMPETITION_LEVELS, required=False
    )
    finalist = forms.BooleanField(label=_("Finalist"), required=False)
    title = forms.ChoiceField(label=_("New technician title"), choices=TITLES, required=False)
    requested_amount = forms.DecimalField(
        label=_("Amount applied for (yuan)"), min_value=0, required=False
    )

    def record(self) -> dict:
        """The cleaned form as a calculator record (docs/calculator.md field names)."""
        data = self.cleaned_data
        record: dict = {"id": "try"}
        for name, value in data.items():
            if value in (None, "", []):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif hasattr(value, "as_integer_ratio") and not isinstance(value, bool | int):
                value = float(value) if value != int(value) else int(value)
            record[name] = value
        record["categories"] = list(data.get("categories") or [])
        for flag in ("passed", "online", "still_employed", "finalist"):
            record[flag] = bool(data.get(flag))
        return record


class ParameterVersionForm(forms.Form):
    parameter = forms.ChoiceField(label=_("Parameter"))
    region_code = forms.CharField(label=_("Region code"), max_length=6)
    valid_from = forms.DateField(label=_("Valid from"), widget=_date)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=_date)
    value = forms.CharField(
        label=_("Value"),
        help_text=_("A number (e.g. 45), or JSON for a table of values."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.CharField(label=_("Document number"), max_length=128)
    clause = forms.CharField(label=_("Clause"), max_length=64, required=False)
    rule = forms.CharField(label=_("Rule id"), max_length=32)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, parameter_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parameter"].choices = parameter_choices

    def clean_value(self):
        text = self.cleaned_data["value"].strip()
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise forms.ValidationError(
                _("Enter a number, or a JSON object for a table of values.")
            ) from None
