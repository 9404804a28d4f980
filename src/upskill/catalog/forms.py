from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.core.scoping import visible
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.organisations.selectors import regions_for_catalogues

from .models import PROGRAM_CHOICES, CatalogKind, Occupation, OccupationLevel


class CatalogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CatalogKind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    document = forms.CharField(label=_("Document number"), max_length=128, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, actor=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_catalogues(actor=actor)


class OccupationForm(forms.Form):
    name = forms.CharField(label=_("Occupation"), max_length=64)
    level = forms.TypedChoiceField(label=_("Level"), choices=OccupationLevel.choices, coerce=int)
    category = forms.CharField(label=_("Occupation family"), max_length=64, required=False)
    price = forms.DecimalField(label=_("Catalogue price"), min_value=0, decimal_places=2)
    exam_fee = forms.DecimalField(
        label=_("Examination fee"), min_value=0, decimal_places=2, required=False
    )


class OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Occupation) -> str:
        return f"{obj.name} · {obj.get_level_display()}"


class EntryForm(forms.Form):
    program = forms.ChoiceField(label=_("Programme"), choices=PROGRAM_CHOICES)
    occupation = OccupationChoiceField(label=_("Occupation"), queryset=Occupation.objects.none())
    standard_hours = forms.DecimalField(
        label=_("Standard class hours"), min_value=1, decimal_places=1
    )
    min_practical_share = forms.DecimalField(
        label=_("Minimum practical share"),
        min_value=0,
        max_value=1,
        decimal_places=3,
        required=False,
        help_text=_("Blank: the policy parameter practice.min_share in force (GA23-HRS-1)."),
    )
    subsidy_parameter = forms.CharField(
        label=_("Subsidy parameter"), max_length=128, initial="training_subsidy.standard"
    )
    is_specialty = forms.BooleanField(
        label=_("Specialty-skill project"),
        required=False,
        help_text=_("特色技能: counted in the townships' year-end evaluation (GA23-EVAL-1)."),
    )

    def __init__(self, *args, occupations=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if occupations is not None:
            self.fields["occupation"].queryset = occupations
        if editing:
            del self.fields["program"]
            del self.fields["occupation"]
            del self.fields["is_specialty"]


class PlatformForm(forms.Form):
    name = forms.CharField(label=_("Platform"), max_length=128)
    operator = forms.CharField(label=_("Operator"), max_length=128)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    organisation = forms.ModelChoiceField(
        label=_("Platform organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The platform's own organisation, whose operator logs in and builds courses."),
    )

    def __init__(self, *args, actor=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible(Organisation, actor).filter(
            kind=OrganisationKind.PLATFORM
        )


class PermitsForm(forms.Form):
    project_permit = forms.CharField(
        label=_("Project-based training permit"), max_length=64, required=False
    )
    project_permit_valid_from = forms.DateField(label=_("Valid from"), required=False)
    project_permit_valid_until = forms.DateField(label=_("Valid until"), required=False)
    assessment_permit = forms.CharField(
        label=_("Skill assessment permit"), max_length=64, required=False
    )
    assessment_permit_valid_from = forms.DateField(label=_("Valid from"), required=False)
    assessment_permit_valid_until = forms.DateField(label=_("Valid until"), required=False)
    training_permit = forms.CharField(
        label=_("Vocational training permit"), max_length=64, required=False
    )
    training_permit_valid_from = forms.DateField(label=_("Valid from"), required=False)
    training_permit_valid_until = forms.DateField(label=_("Valid until"), required=False)
