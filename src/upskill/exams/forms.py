from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.catalog.models import OccupationLevel

from .models import Difficulty, QuestionKind


class BankForm(forms.Form):
    occupation_name = forms.CharField(label=_("Occupation"), max_length=128)
    level = forms.TypedChoiceField(label=_("Level"), choices=OccupationLevel.choices, coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)


class QuestionsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Questions (.xlsx or .csv: 题型, 题干, 选项, 答案, 解析, 知识点, 难度)")
    )


class QuestionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All")), *QuestionKind.choices], required=False
    )
    knowledge_area = forms.ChoiceField(label=_("Knowledge area"), required=False)
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), choices=[("", _("All")), *Difficulty.choices], required=False
    )
    search = forms.CharField(label=_("Words of the question"), required=False, max_length=100)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["knowledge_area"].choices = [("", _("All"))] + [(a, a) for a in areas]


class BlueprintForm(forms.Form):
    occupation_name = forms.CharField(label=_("Occupation"), max_length=128)
    level = forms.TypedChoiceField(label=_("Level"), choices=OccupationLevel.choices, coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    pass_mark = forms.DecimalField(label=_("Pass mark"), max_digits=6, decimal_places=1)
    time_limit_minutes = forms.IntegerField(label=_("Time limit (minutes)"), min_value=1)
    wait_minutes = forms.IntegerField(
        label=_("Waiting time between attempts (minutes)"),
        min_value=0,
        required=False,
        help_text=_("Blank: the platform default (WH20-EXM-1)."),
    )


class BlueprintSettingsForm(forms.Form):
    pass_mark = forms.DecimalField(label=_("Pass mark"), max_digits=6, decimal_places=1)
    time_limit_minutes = forms.IntegerField(label=_("Time limit (minutes)"), min_value=1)
    wait_minutes = forms.IntegerField(
        label=_("Waiting time between attempts (minutes)"), min_value=0, required=False
    )


class PartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    knowledge_area = forms.CharField(
        label=_("Knowledge area"), max_length=64, required=False, help_text=_("Blank: any.")
    )
    count = forms.IntegerField(label=_("Questions"), min_value=1, max_value=200)
    points = forms.DecimalField(label=_("Points each"), max_digits=5, decimal_places=1)
