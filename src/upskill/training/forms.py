from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import Catalog, CatalogEntry, Occupation, OnlinePlatform
from upskill.core.scoping import visible
from upskill.organisations.models import Organisation, OrganisationKind, Region, RegionLevel
from upskill.organisations.selectors import townships_for
from upskill.registry.forms import TownshipField
from upskill.registry.models import Hukou

from .models import SURVEY_QUESTIONS, LessonKind, Teacher, TrainingClass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type=date> reads


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")


def catalog_version_label(catalog) -> str:
    """Which catalogue an entry is from: its year and version (issue 15.4)."""
    return _("%(year)s catalogue, version %(version)s") % {
        "year": catalog.year,
        "version": catalog.version,
    }


class EntryField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return (
            f"{obj.occupation.name} · {obj.occupation.get_level_display()} · "
            f"{obj.get_program_display()} · {obj.standard_hours}h · "
            f"{catalog_version_label(obj.catalog)}"
        )


def entries_in_force(actor, year: int | None = None):
    """The training projects a class may be filed under: active entries of published
    catalogues that no later published version of the same catalogue replaced, of the class's
    year when it is known (issue 15.4)."""
    newer = Catalog.objects.filter(
        kind=OuterRef("catalog__kind"),
        region=OuterRef("catalog__region"),
        year=OuterRef("catalog__year"),
        published_at__isnull=False,
        version__gt=OuterRef("catalog__version"),
    )
    entries = (
        visible(CatalogEntry, actor)
        .filter(is_active=True, catalog__published_at__isnull=False)
        .exclude(Exists(newer))
        .select_related("occupation", "catalog")
    )
    return entries.filter(catalog__year=year) if year else entries


class ClassForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=128)
    catalog_entry = EntryField(label=_("Training project"), queryset=CatalogEntry.objects.none())
    township = TownshipField(label=_("Township of the venue"), queryset=Region.objects.none())
    venue = forms.CharField(label=_("Venue"), max_length=255)
    platform = forms.ModelChoiceField(
        label=_("Online platform"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "A class of an online programme names its platform; the platform catalogue in force "
            "must list it with all three permits valid on the class's dates (WH20-PLT-1)."
        ),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)
    planned_places = forms.IntegerField(label=_("Planned places"), min_value=1)
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"), queryset=Teacher.objects.none(), required=False
    )
    assessment_method = forms.CharField(
        label=_("Assessment method"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, actor=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        start = self.initial.get("start_date")
        entries = entries_in_force(actor, start.year if start and not self.is_bound else None)
        self.fields["catalog_entry"].queryset = entries
        self.fields["township"].queryset = townships_for(actor=actor)
        # the platforms the published platform catalogues list (public reference data)
        listed = visible(OnlinePlatform, actor).filter(
            organisation__isnull=False, catalog__published_at__isnull=False
        )
        self.fields["platform"].queryset = Organisation.objects.filter(
            pk__in=listed.values("organisation"), kind=OrganisationKind.PLATFORM
        ).order_by("name")
        self.fields["teachers"].queryset = visible(Teacher, actor).filter(is_active=True)

    def clean(self):
        data = super().clean()
        entry, start, end = data.get("catalog_entry"), data.get("start_date"), data.get("end_date")
        if entry is not None and start is not None:
            years = {start.year, (end or start).year}
            if entry.catalog.year not in years:
                self.add_error(
                    "catalog_entry",
                    _(
                        "This project is in the %(catalogue)s; the class runs in %(year)s. "
                        "Choose a project of the catalogue in force for the class's dates."
                    )
                    % {"catalogue": catalog_version_label(entry.catalog), "year": start.year},
                )
        return data


class LessonForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput)
    end_time = forms.TimeField(label=_("End"), widget=TimeInput)
    hours = forms.DecimalField(
        label=_("Class hours"),
        min_value=0.5,
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=_("Left empty: as many as the time slot holds."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices)
    teacher = forms.ModelChoiceField(
        label=_("Teacher"), queryset=Teacher.objects.none(), required=False
    )
    content = forms.CharField(label=_("Content"), max_length=255)

    def __init__(self, *args, training_class=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if training_class is not None:
            self.fields["teacher"].queryset = Teacher.objects.filter(
                organisation_id=training_class.organisation_id, is_active=True
            )


WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class PatternForm(forms.Form):
    """The weekly pattern of a curriculum (issue 15.4): the same lesson on the chosen weekdays
    between two dates, the public holidays skipped."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput)
    end_time = forms.TimeField(label=_("End"), widget=TimeInput)
    hours = LessonForm.base_fields["hours"]
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices)
    content = forms.CharField(
        label=_("Content"),
        max_length=255,
        help_text=_("{n} is replaced by the lesson's number."),
    )
    teacher = forms.ModelChoiceField(
        label=_("Teacher"), queryset=Teacher.objects.none(), required=False
    )
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("To"), widget=DateInput)
    skip_holidays = forms.BooleanField(
        label=_("Skip public holidays"), required=False, initial=True
    )

    def __init__(self, *args, training_class=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if training_class is not None:
            self.fields["teacher"].queryset = Teacher.objects.filter(
                organisation_id=training_class.organisation_id, is_active=True
            )
            self.fields["date_from"].initial = training_class.start_date
            self.fields["date_to"].initial = training_class.end_date


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Rows copied from Excel"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )


class CurriculumUploadForm(forms.Form):
    file = forms.FileField(label=_("Curriculum (课程表, .xlsx or .csv)"))


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy the lessons of"), queryset=TrainingClass.objects.none()
    )

    def __init__(self, *args, sources=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].queryset = sources


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class EnrolForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=64)
    hukou = forms.ChoiceField(
        label=_("Household registration (for a new person)"),
        choices=[("", "—"), *Hukou.choices],
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    categories = forms.CharField(
        label=_("Categories"),
        max_length=255,
        required=False,
        help_text=_("Names separated by 、 e.g. 脱贫人员、退捕渔民"),
    )
    insured_months = forms.IntegerField(
        label=_("Unemployment-insurance months"), min_value=0, required=False
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster (.xlsx or .csv)"))


class FirstLessonForm(forms.Form):
    date = forms.DateField(label=_("Date of the first lesson"), widget=DateInput)
    content = forms.CharField(
        label=_("Content of the policy briefing"), widget=forms.Textarea(attrs={"rows": 3})
    )


class TeacherForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    certificate_kind = forms.CharField(label=_("Certificate kind"), max_length=64)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=64)
    occupation = forms.ModelChoiceField(
        label=_("Occupation and level of the certificate"),
        queryset=Occupation.objects.filter(catalog__published_at__isnull=False),
        required=False,
    )


class IdentityForm(forms.Form):
    """What a trainee types on their phone: no account, their ID number and name."""

    id_number = forms.CharField(
        label=_("Your ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=64)


_MARKS = [(str(n), str(n)) for n in range(5, 0, -1)]


class SurveyForm(IdentityForm):
    comment = forms.CharField(
        label=_("Anything else you want to tell us"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SURVEY_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=label, choices=_MARKS, widget=forms.RadioSelect
            )

    def answers(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[key]) for key, _label in SURVEY_QUESTIONS}


class LeaveForm(forms.Form):
    enrolment = forms.ChoiceField(label=_("Trainee"))
    lesson = forms.ChoiceField(label=_("Lesson"))
    reason = forms.CharField(label=_("Reason"), max_length=255)
    by_trainee = forms.BooleanField(label=_("Asked by the trainee"), required=False, initial=True)

    def __init__(self, *args, enrolments=(), lessons=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [(e.pk, e.person.name) for e in enrolments]
        self.fields["lesson"].choices = [(lesson.pk, str(lesson)) for lesson in lessons]


class NoticeFilterForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent"),
        required=False,
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=64, required=False)
    start_from = forms.DateField(label=_("Starting from"), widget=DateInput, required=False)
