from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import OccupationLevel

from .models import DeliveryMode, LessonMedium


class CourseForm(forms.Form):
    occupation_name = forms.CharField(label=_("Occupation"), max_length=128)
    level = forms.TypedChoiceField(label=_("Level"), choices=OccupationLevel.choices, coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)


class LessonForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=None)
    title = forms.CharField(label=_("Lesson title"), max_length=200)
    medium = forms.ChoiceField(label=_("Medium"), choices=LessonMedium.choices)
    delivery = forms.ChoiceField(label=_("Delivery mode"), choices=DeliveryMode.choices)
    required_seconds = forms.IntegerField(
        label=_("Required time (seconds)"),
        min_value=1,
        help_text=_("The lesson completes when 95 percent of this time is watched (WH20-PRG-1)."),
    )
    file = forms.FileField(label=_("File (WebM or MP4 video, PDF document)"))

    def __init__(self, *args, sections=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
