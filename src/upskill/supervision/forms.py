from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from upskill.organisations.models import Organisation

from .models import (
    InspectionKind,
    InspectionMode,
    InspectionResult,
    ScreenshotLabel,
    SignalStatus,
    SpotMethod,
    SpotResult,
    SpotSubject,
)


class InspectionForm(forms.Form):
    """Record an inspection (GA23-INS-1, GA23-EXM-1); screenshots for a video inspection."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=InspectionMode.choices)
    held_at = forms.DateTimeField(
        label=_("Held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.ChoiceField(label=_("Result"), choices=InspectionResult.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in ScreenshotLabel.choices:
            self.fields[f"shot_{value}"] = forms.ImageField(
                label=_("Screenshot: %(what)s") % {"what": label}, required=False
            )

    def screenshots(self) -> list[tuple[str, object]]:
        return [
            (value, self.cleaned_data[f"shot_{value}"])
            for value, _label in ScreenshotLabel.choices
            if self.cleaned_data.get(f"shot_{value}")
        ]

    def screenshot_fields(self):
        return [self[f"shot_{value}"] for value, _label in ScreenshotLabel.choices]


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SignalStatus.DISMISSED, SignalStatus.DISMISSED.label),
            (SignalStatus.CONFIRMED, SignalStatus.CONFIRMED.label),
        ],
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class BlacklistForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    valid_until = forms.DateField(
        label=_("Until (empty: until lifted)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SpotCheckForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.none()
    )
    subject = forms.ChoiceField(label=_("Sample of"), choices=SpotSubject.choices)
    method = forms.ChoiceField(label=_("Verified by"), choices=SpotMethod.choices)
    size = forms.IntegerField(label=_("Sample size"), min_value=1, initial=10)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:
            self.fields["organisation"].queryset = institutions


class SpotItemForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (SpotResult.VERIFIED, SpotResult.VERIFIED.label),
            (SpotResult.FAILED, SpotResult.FAILED.label),
        ],
    )
    note = forms.CharField(label=_("Note"), required=False)
