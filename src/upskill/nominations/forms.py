from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import OnlinePlatform
from upskill.organisations.models import Organisation, OrganisationKind

from .models import Payer, UseCategory


class DateInput(forms.DateInput):
    input_type = "date"


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    document = forms.CharField(label=_("Document number"), max_length=64, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Applications until (inclusive)"), widget=DateInput)
    advanced_exam_fee = forms.DecimalField(
        label=_("Advanced-level exam fee"), min_value=0, max_digits=10, decimal_places=2
    )


class MembershipForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, is_active=True),
    )
    number = forms.CharField(label=_("Member number"), max_length=32, required=False)
    joined_on = forms.DateField(label=_("Member since"), widget=DateInput)


class BatchForm(forms.Form):
    name = forms.CharField(label=_("Batch"), max_length=128)
    institution = forms.ModelChoiceField(
        label=_("Training institution"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.INSTITUTION, is_active=True),
    )
    platform = forms.ModelChoiceField(
        label=_("Online platform"),
        queryset=OnlinePlatform.objects.filter(catalog__published_at__isnull=False),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)


class ApplicationForm(forms.Form):
    """附件1 参加职工职业技能培训企业申请表 (WH20-ENR-1)."""

    industry = forms.CharField(label=_("Industry"), max_length=64)
    hr_lead = forms.CharField(label=_("HR lead"), max_length=64)
    hr_lead_phone = forms.CharField(label=_("HR lead's phone"), max_length=20)
    occupations_wanted = forms.CharField(
        label=_("Occupations wanted"), widget=forms.Textarea(attrs={"rows": 2})
    )
    eligible_employees = forms.IntegerField(
        label=_("Employees with 12 months of unemployment insurance"), min_value=1
    )
    dispatched_included = forms.IntegerField(
        label=_("Of whom dispatched workers"), min_value=0, initial=0
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    batch = forms.ModelChoiceField(label=_("Training batch"), queryset=None)

    def __init__(self, *args, batches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches


class NominationForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("Employee (labour contract)"), queryset=None)
    general_occupation = forms.ModelChoiceField(label=_("General occupation"), queryset=None)
    specialised_occupation = forms.ModelChoiceField(
        label=_("Specialised occupation"), queryset=None
    )
    payer = forms.ChoiceField(label=_("Fee paid by"), choices=Payer.choices)

    def __init__(self, *args, contracts=None, occupations=None, general_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = lambda c: (
            f"{c.person.name} · {c.person.id_number_masked} · "
            + str(_("%(n)d insurance months") % {"n": c.unemployment_insured_months})
        )
        self.fields["general_occupation"].queryset = occupations.filter(name__in=general_names)
        self.fields["specialised_occupation"].queryset = occupations.exclude(name__in=general_names)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("List of employees put forward (.xlsx or .csv)"))


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    number = forms.CharField(label=_("Receipt number"), max_length=64)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Signed copy (PDF or image)"))


class ExamForm(forms.Form):
    on = forms.DateField(label=_("Registered for the exam on"), widget=DateInput)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class UseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=UseCategory.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
