from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import OccupationLevel
from upskill.organisations.models import Region
from upskill.organisations.selectors import regions_for_catalogues

from .models import DEFAULT_FULL_MARKS, DEFAULT_PASS_MARK, CertificateKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Exam date"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=255)
    examiners = forms.CharField(
        label=_("Examiners"), max_length=255, help_text=_("Names, separated by 、")
    )


class ScoreForm(forms.Form):
    theory_score = forms.CharField(label=_("Theory score"), required=False, max_length=8)
    practical_score = forms.CharField(label=_("Practical score"), required=False, max_length=8)
    theory_absent = forms.BooleanField(label=_("Absent (theory)"), required=False)
    practical_absent = forms.BooleanField(label=_("Absent (practical)"), required=False)


class ExemptForm(forms.Form):
    online_score = forms.CharField(label=_("Online theory score"), max_length=8)
    reference = forms.CharField(label=_("Platform and result number"), max_length=128)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))


class PassMarkForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    occupation_name = forms.CharField(label=_("Occupation"), max_length=64)
    level = forms.TypedChoiceField(label=_("Level"), choices=OccupationLevel.choices, coerce=int)
    full_marks = forms.DecimalField(
        label=_("Full marks"), max_digits=5, decimal_places=1, initial=DEFAULT_FULL_MARKS
    )
    theory_pass_mark = forms.DecimalField(
        label=_("Theory pass mark"), max_digits=5, decimal_places=1, initial=DEFAULT_PASS_MARK
    )
    practical_pass_mark = forms.DecimalField(
        label=_("Practical pass mark"), max_digits=5, decimal_places=1, initial=DEFAULT_PASS_MARK
    )
    online_theory_exempts = forms.BooleanField(
        label=_("An online theory result exempts the theory part (HB61-ONL-1)"),
        required=False,
        initial=True,
    )
    document = forms.CharField(label=_("Document"), max_length=128, required=False)

    def __init__(self, *args, actor=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_catalogues(actor=actor)


class CertificateRecordForm(forms.Form):
    id_number = forms.CharField(label=_("ID number of the holder"), max_length=24)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in CertificateKind.choices if c[0] != CertificateKind.TRAINING],
    )
    serial = forms.CharField(label=_("Certificate number"), max_length=64)
    occupation_name = forms.CharField(label=_("Occupation"), max_length=64)
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", "—"), *OccupationLevel.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=128)
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class PublicVerifyForm(forms.Form):
    serial = forms.CharField(label=_("Certificate number"), max_length=64)
    code = forms.CharField(label=_("Verification code"), max_length=32)
